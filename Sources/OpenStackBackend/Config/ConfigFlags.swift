/// The `--os-*` command-line options. A nil field was not given; a given one beats every other
/// source, as it does for the `openstack` CLI.
public struct ConfigFlags: Sendable, Equatable {
    public var authURL: String?
    public var authType: String?
    public var username: String?
    public var userID: String?
    public var password: String?
    public var projectName: String?
    public var projectID: String?
    public var userDomainName: String?
    public var userDomainID: String?
    public var projectDomainName: String?
    public var projectDomainID: String?
    public var domainName: String?
    public var domainID: String?
    public var applicationCredentialID: String?
    public var applicationCredentialName: String?
    public var applicationCredentialSecret: String?
    public var token: String?
    public var region: String?
    public var interface: String?
    public var cacert: String?
    public var identityAPIVersion: String?
    /// true for `--insecure`, false for `--verify`, nil when neither was given.
    public var insecure: Bool?

    public init(authURL: String? = nil, authType: String? = nil, username: String? = nil, userID: String? = nil,
                password: String? = nil, projectName: String? = nil, projectID: String? = nil,
                userDomainName: String? = nil, userDomainID: String? = nil,
                projectDomainName: String? = nil, projectDomainID: String? = nil,
                domainName: String? = nil, domainID: String? = nil,
                applicationCredentialID: String? = nil, applicationCredentialName: String? = nil,
                applicationCredentialSecret: String? = nil, token: String? = nil,
                region: String? = nil, interface: String? = nil, cacert: String? = nil,
                identityAPIVersion: String? = nil, insecure: Bool? = nil) {
        self.authURL = authURL; self.authType = authType; self.username = username; self.userID = userID
        self.password = password; self.projectName = projectName; self.projectID = projectID
        self.userDomainName = userDomainName; self.userDomainID = userDomainID
        self.projectDomainName = projectDomainName; self.projectDomainID = projectDomainID
        self.domainName = domainName; self.domainID = domainID
        self.applicationCredentialID = applicationCredentialID
        self.applicationCredentialName = applicationCredentialName
        self.applicationCredentialSecret = applicationCredentialSecret; self.token = token
        self.region = region; self.interface = interface; self.cacert = cacert
        self.identityAPIVersion = identityAPIVersion; self.insecure = insecure
    }

    /// The flags as configuration keys, each tagged with the flag's name for error messages.
    /// `insecure` is handled apart because `--verify` also has to switch verification back on.
    var values: [String: ConfigValue] {
        let pairs: [(String, String, String?)] = [
            ("auth_url", "--os-auth-url", authURL), ("auth_type", "--os-auth-type", authType),
            ("username", "--os-username", username), ("user_id", "--os-user-id", userID),
            ("password", "--os-password", password),
            ("project_name", "--os-project-name", projectName), ("project_id", "--os-project-id", projectID),
            ("user_domain_name", "--os-user-domain-name", userDomainName),
            ("user_domain_id", "--os-user-domain-id", userDomainID),
            ("project_domain_name", "--os-project-domain-name", projectDomainName),
            ("project_domain_id", "--os-project-domain-id", projectDomainID),
            ("domain_name", "--os-domain-name", domainName), ("domain_id", "--os-domain-id", domainID),
            ("application_credential_id", "--os-application-credential-id", applicationCredentialID),
            ("application_credential_name", "--os-application-credential-name", applicationCredentialName),
            ("application_credential_secret", "--os-application-credential-secret", applicationCredentialSecret),
            ("token", "--os-token", token), ("region_name", "--os-region-name", region),
            ("interface", "--os-interface", interface), ("cacert", "--os-cacert", cacert),
            ("identity_api_version", "--os-identity-api-version", identityAPIVersion),
        ]
        var result: [String: ConfigValue] = [:]
        // Like osc-lib's `_fix_args`: an empty flag value counts as not given.
        for (key, flag, value) in pairs {
            if let value, !value.isEmpty { result[key] = ConfigValue(value, origin: .flag(flag)) }
        }
        return result
    }
}

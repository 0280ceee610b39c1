import Foundation

extension KeystoneCredentials {
    /// Maps a resolved cloud onto what Keystone needs. Throws `CloudConfigError` naming the cloud,
    /// its file and the missing key when the configuration cannot authenticate at all.
    public init(cloud: CloudConfig, timeout: TimeInterval? = nil) throws {
        let timeout = timeout ?? cloud.apiTimeout ?? 30
        func missing(_ key: String, _ what: String) -> CloudConfigError {
            let place = cloud.sourceFile.map { " in \($0)" } ?? " in the OS_* variables"
            return CloudConfigError(kind: .missingValue,
                                    message: "Cloud \"\(cloud.name)\" cannot authenticate: \(what); set \(key)\(place).",
                                    file: cloud.sourceFile, key: key)
        }
        guard cloud.identityAPIVersion.hasPrefix("3") else {
            throw CloudConfigError(kind: .invalidValue,
                                   message: "Cloud \"\(cloud.name)\" asks for identity API \(cloud.identityAPIVersion), "
                                       + "but stacktop speaks only Keystone v3; set identity_api_version: 3.",
                                   file: cloud.sourceFile, key: "identity_api_version")
        }
        let trimmedURL = cloud.authURL.trimmingCharacters(in: .whitespaces)
        guard !trimmedURL.isEmpty else { throw missing("auth_url (OS_AUTH_URL)", "it has no auth URL") }
        guard let url = URL(string: trimmedURL), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host != nil else {
            throw CloudConfigError(kind: .invalidValue,
                                   message: "Cloud \"\(cloud.name)\" has auth_url \"\(trimmedURL)\", which is not an "
                                       + "http(s) URL; set it to the Keystone address, e.g. https://keystone:5000/v3.",
                                   file: cloud.sourceFile, key: "auth_url")
        }

        let userDomain = Self.pick(id: cloud.userDomainID, name: cloud.userDomainName)
            ?? Self.pick(id: cloud.domainID, name: cloud.domainName)
        let method: KeystoneAuthMethod
        switch cloud.authType {
        case .password:
            guard let user = Self.pick(id: cloud.userID, name: cloud.username) else {
                throw missing("username or user_id (OS_USERNAME)", "password auth needs a user")
            }
            guard let password = cloud.password, !password.isEmpty else {
                throw missing("password (OS_PASSWORD, or secure.yaml)", "password auth needs a password")
            }
            if case .name = user, userDomain == nil {
                throw missing("user_domain_name or user_domain_id (OS_USER_DOMAIN_NAME)",
                              "user \(user) is given by name, so Keystone needs the user's domain")
            }
            method = .password(user: user, password: Secret(password), userDomain: userDomain)
        case .applicationCredential:
            guard let credential = Self.pick(id: cloud.applicationCredentialID, name: cloud.applicationCredentialName)
            else {
                throw missing("application_credential_id (OS_APPLICATION_CREDENTIAL_ID)",
                              "application-credential auth needs the credential's id or name")
            }
            guard let secret = cloud.applicationCredentialSecret, !secret.isEmpty else {
                throw missing("application_credential_secret (OS_APPLICATION_CREDENTIAL_SECRET)",
                              "application-credential auth needs the secret")
            }
            let user = Self.pick(id: cloud.userID, name: cloud.username)
            if case .name = credential, user == nil {
                throw missing("username or user_id", "an application credential given by name needs its owner")
            }
            method = .applicationCredential(credential: credential, secret: Secret(secret), user: user,
                                            userDomain: userDomain)
        case .token:
            guard let token = cloud.token, !token.isEmpty else { throw missing("token (OS_TOKEN)", "token auth needs a token") }
            method = .token(Secret(token))
        }

        var scope: ProjectScope?
        if let project = Self.pick(id: cloud.projectID, name: cloud.projectName) {
            let domain = Self.pick(id: cloud.projectDomainID, name: cloud.projectDomainName)
                ?? Self.pick(id: cloud.domainID, name: cloud.domainName)
            if case .name = project, domain == nil {
                throw missing("project_domain_name or project_domain_id (OS_PROJECT_DOMAIN_NAME)",
                              "project \(project) is given by name, so Keystone needs the project's domain")
            }
            scope = ProjectScope(project: project, domain: domain)
        } else if cloud.authType != .applicationCredential {
            // An unscoped token has no service catalog, so nothing could be listed.
            throw missing("project_name or project_id (OS_PROJECT_NAME)", "it names no project to work in")
        }
        self.init(authURL: url, method: method, project: scope, region: cloud.regionName, interface: cloud.interface,
                  verifyTLS: cloud.verifyTLS, caCertPath: cloud.cacert, timeout: timeout)
    }

    /// Ids win over names, as in keystoneauth.
    private static func pick(id: String?, name: String?) -> NameOrID? {
        if let id, !id.isEmpty { return .id(id) }
        if let name, !name.isEmpty { return .name(name) }
        return nil
    }
}

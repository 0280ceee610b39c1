/// Settings that apply to one service only (`compute_api_version`, `image_endpoint_override`).
public struct ServiceOverride: Sendable, Equatable {
    public var apiVersion: String?
    public var endpointOverride: String?

    public init(apiVersion: String? = nil, endpointOverride: String? = nil) {
        self.apiVersion = apiVersion; self.endpointOverride = endpointOverride
    }
}

/// Everything needed to authenticate against one OpenStack cloud and pick its endpoints, resolved
/// from clouds.yaml, secure.yaml, `OS_*` variables and flags the way the `openstack` CLI does.
/// Printing it (description, debugDescription, dump, Mirror) never shows the password, the
/// application credential secret or the token.
public struct CloudConfig: Sendable, Equatable {
    /// The clouds.yaml name, or "envvars" (OS_CLOUD_NAME) for a cloud made from `OS_*` variables.
    public var name: String
    public var authType: AuthType
    public var authURL: String
    public var username: String?
    public var userID: String?
    public var password: String?
    public var projectName: String?
    public var projectID: String?
    public var userDomainName: String?
    public var userDomainID: String?
    public var projectDomainName: String?
    public var projectDomainID: String?
    /// Domain scope, kept only when no project is given (with a project it fills in the user and
    /// project domains instead, as openstacksdk does).
    public var domainName: String?
    public var domainID: String?
    public var applicationCredentialID: String?
    public var applicationCredentialName: String?
    public var applicationCredentialSecret: String?
    public var token: String?
    public var regionName: String?
    public var interface: EndpointInterface
    public var verifyTLS: Bool
    /// Absolute path of the CA bundle to trust, when one is configured.
    public var cacert: String?
    /// clouds.yaml's `api_timeout` (or `--timeout`): seconds one request may take, end to end.
    public var apiTimeout: Double?
    public var identityAPIVersion: String
    /// Keyed by the service key the configuration used ("compute", "volume", "block_storage").
    public var serviceOverrides: [String: ServiceOverride]
    /// The clouds.yaml (or secure.yaml) the cloud came from; nil for an envvars cloud.
    public var sourceFile: String?

    public init(name: String, authType: AuthType, authURL: String, username: String? = nil, userID: String? = nil,
                password: String? = nil, projectName: String? = nil, projectID: String? = nil,
                userDomainName: String? = nil, userDomainID: String? = nil,
                projectDomainName: String? = nil, projectDomainID: String? = nil,
                domainName: String? = nil, domainID: String? = nil,
                applicationCredentialID: String? = nil, applicationCredentialName: String? = nil,
                applicationCredentialSecret: String? = nil, token: String? = nil, regionName: String? = nil,
                interface: EndpointInterface = .public, verifyTLS: Bool = true, cacert: String? = nil,
                identityAPIVersion: String = "3", serviceOverrides: [String: ServiceOverride] = [:],
                sourceFile: String? = nil) {
        self.name = name; self.authType = authType; self.authURL = authURL
        self.username = username; self.userID = userID; self.password = password
        self.projectName = projectName; self.projectID = projectID
        self.userDomainName = userDomainName; self.userDomainID = userDomainID
        self.projectDomainName = projectDomainName; self.projectDomainID = projectDomainID
        self.domainName = domainName; self.domainID = domainID
        self.applicationCredentialID = applicationCredentialID
        self.applicationCredentialName = applicationCredentialName
        self.applicationCredentialSecret = applicationCredentialSecret; self.token = token
        self.regionName = regionName; self.interface = interface; self.verifyTLS = verifyTLS
        self.cacert = cacert; self.identityAPIVersion = identityAPIVersion
        self.serviceOverrides = serviceOverrides; self.sourceFile = sourceFile
    }

    /// The override for a service, under any of the keys clouds.yaml uses for it
    /// (`block_storage_api_version` or the older `volume_api_version`).
    public func serviceOverride(for service: ServiceType) -> ServiceOverride? {
        let keys: [String] = switch service {
        case .blockStorage: ["block_storage", "volume"]
        default: [service.rawValue]
        }
        return keys.lazy.compactMap { serviceOverrides[$0] }.first
    }
}

extension CloudConfig: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    static let redacted = "<redacted>"

    /// Field names and printable values, secrets replaced; nil fields left out.
    private var printableFields: [(String, String)] {
        func secret(_ value: String?) -> String? { value.map { _ in Self.redacted } }
        let optional: [(String, String?)] = [
            ("name", name), ("authType", authType.rawValue), ("authURL", authURL),
            ("username", username), ("userID", userID), ("password", secret(password)),
            ("projectName", projectName), ("projectID", projectID),
            ("userDomainName", userDomainName), ("userDomainID", userDomainID),
            ("projectDomainName", projectDomainName), ("projectDomainID", projectDomainID),
            ("domainName", domainName), ("domainID", domainID),
            ("applicationCredentialID", applicationCredentialID),
            ("applicationCredentialName", applicationCredentialName),
            ("applicationCredentialSecret", secret(applicationCredentialSecret)), ("token", secret(token)),
            ("regionName", regionName), ("interface", interface.rawValue), ("verifyTLS", String(verifyTLS)),
            ("cacert", cacert), ("identityAPIVersion", identityAPIVersion), ("sourceFile", sourceFile),
        ]
        var fields = optional.compactMap { key, value in value.map { (key, $0) } }
        for (key, override) in serviceOverrides.sorted(by: { $0.key < $1.key }) {
            if let version = override.apiVersion { fields.append(("\(key)_api_version", version)) }
            if let endpoint = override.endpointOverride { fields.append(("\(key)_endpoint_override", endpoint)) }
        }
        return fields
    }

    public var description: String {
        "CloudConfig(" + printableFields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + ")"
    }

    public var debugDescription: String { description }

    /// dump() and debuggers walk the mirror, so it must not expose the stored secrets either.
    public var customMirror: Mirror {
        Mirror(self, children: printableFields.map { (label: Optional($0.0), value: $0.1 as Any) },
               displayStyle: .struct)
    }
}

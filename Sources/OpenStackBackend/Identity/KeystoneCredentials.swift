import Foundation

/// Something Keystone accepts either by id or by name.
public enum NameOrID: Sendable, Equatable, CustomStringConvertible {
    case id(String)
    case name(String)

    public var description: String {
        switch self {
        case .id(let id): id
        case .name(let name): name
        }
    }
}

/// How to prove who we are to Keystone.
public enum KeystoneAuthMethod: Sendable, Equatable {
    /// `userDomain` is required by Keystone when the user is given by name.
    case password(user: NameOrID, password: Secret, userDomain: NameOrID?)
    /// An application credential by id, or by name plus its owner (`user`, and `userDomain` when by name).
    case applicationCredential(credential: NameOrID, secret: Secret, user: NameOrID?, userDomain: NameOrID?)
    /// An existing token, re-scoped to the project.
    case token(Secret)
}

/// The project the token is scoped to; its domain is needed when the project is given by name.
public struct ProjectScope: Sendable, Equatable, CustomStringConvertible {
    public var project: NameOrID
    public var domain: NameOrID?

    public init(project: NameOrID, domain: NameOrID? = nil) {
        self.project = project
        self.domain = domain
    }

    public var description: String { domain.map { "\(project) (domain \($0))" } ?? "\(project)" }
}

/// Everything needed to open a Keystone session; clouds.yaml or OS_* variables map onto it.
public struct KeystoneCredentials: Sendable, Equatable, CustomStringConvertible {
    /// `OS_AUTH_URL`, with or without the trailing `/v3`.
    public var authURL: URL
    public var method: KeystoneAuthMethod
    /// Ignored for application credentials, which carry their own project.
    public var project: ProjectScope?
    public var region: String?
    public var interface: EndpointInterface
    public var verifyTLS: Bool
    public var caCertPath: String?
    /// Seconds per request.
    public var timeout: TimeInterval

    public init(authURL: URL, method: KeystoneAuthMethod, project: ProjectScope? = nil, region: String? = nil,
                interface: EndpointInterface = .public, verifyTLS: Bool = true, caCertPath: String? = nil,
                timeout: TimeInterval = 30) {
        self.authURL = authURL
        self.method = method
        self.project = project
        self.region = region
        self.interface = interface
        self.verifyTLS = verifyTLS
        self.caCertPath = caCertPath
        self.timeout = timeout
    }

    /// The Keystone v3 root: `…/v3` whether or not the configured URL had it.
    public var identityV3URL: URL { Self.versioned(authURL) }

    static func versioned(_ url: URL) -> URL {
        var text = url.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        if text.hasSuffix("/v3") { return URL(string: text) ?? url }
        return URL(string: text + "/v3") ?? url
    }

    /// Who is authenticating, for messages: the user, or the application credential.
    public var principal: String {
        switch method {
        case .password(let user, _, _): "user \(user)"
        case .applicationCredential(let credential, _, _, _): "application credential \(credential)"
        case .token: "the supplied token"
        }
    }

    public var description: String {
        var parts = ["auth \(endpointText(authURL))", principal, "interface \(interface.rawValue)"]
        if let project, !isApplicationCredential { parts.append("project \(project)") }
        if let region { parts.append("region \(region)") }
        if !verifyTLS { parts.append("TLS verification off") }
        if let caCertPath { parts.append("cacert \(caCertPath)") }
        return "KeystoneCredentials(" + parts.joined(separator: ", ") + ")"
    }

    var isApplicationCredential: Bool {
        if case .applicationCredential = method { return true }
        return false
    }
}

import Foundation

/// A Keystone id with its name, as tokens report users, projects, domains and roles.
public struct IdentityReference: Sendable, Equatable, Decodable, CustomStringConvertible {
    public var id: String
    public var name: String?

    public init(id: String, name: String?) {
        self.id = id
        self.name = name
    }

    public var description: String { name.map { "\($0) (\(id))" } ?? id }
}

/// What `POST /v3/auth/tokens` returned: the token (redacted when printed) and its body.
public struct KeystoneToken: Sendable, Equatable, CustomStringConvertible {
    /// The `X-Subject-Token` value.
    public let value: Secret
    public let expiresAt: Date
    public let issuedAt: Date?
    public let user: IdentityReference
    public let userDomain: IdentityReference?
    public let project: IdentityReference?
    public let projectDomain: IdentityReference?
    public let roles: [IdentityReference]
    public let methods: [String]
    public let catalog: ServiceCatalog

    public var roleNames: [String] { roles.map { $0.name ?? $0.id } }

    public var description: String {
        "KeystoneToken(<redacted>, user \(user), project \(project.map(\.description) ?? "none"), "
            + "roles \(roleNames.joined(separator: ",")), expires \(expiresAt), \(catalog.services.count) services)"
    }

    /// Decodes the response body; `value` comes from the X-Subject-Token header.
    public init(value: Secret, body: Data) throws {
        let decoded = try JSONDecoder().decode(Envelope.self, from: body).token
        guard let expiresAt = OpenStackDate.parse(decoded.expires_at) else {
            throw DecodingError.dataCorrupted(.init(codingPath: [],
                                                    debugDescription: "expires_at is not a date"))
        }
        self.value = value
        self.expiresAt = expiresAt
        issuedAt = decoded.issued_at.flatMap(OpenStackDate.parse)
        user = IdentityReference(id: decoded.user.id, name: decoded.user.name)
        userDomain = decoded.user.domain
        project = decoded.project.map { IdentityReference(id: $0.id, name: $0.name) }
        projectDomain = decoded.project?.domain
        roles = decoded.roles ?? []
        methods = decoded.methods ?? []
        catalog = decoded.catalog ?? ServiceCatalog(services: [])
    }

    // Field names follow the JSON so no CodingKeys are needed.
    private struct Envelope: Decodable {
        let token: Body
    }

    private struct Owned: Decodable {
        let id: String
        let name: String?
        let domain: IdentityReference?
    }

    private struct Body: Decodable {
        let expires_at: String
        let issued_at: String?
        let methods: [String]?
        let user: Owned
        let project: Owned?
        let roles: [IdentityReference]?
        let catalog: ServiceCatalog?
    }
}

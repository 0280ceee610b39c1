/// The OpenStack services stacktop talks to, by the catalog types Keystone lists them under.
/// Cinder appears as `block-storage` on new clouds and `volumev3` on older ones; both are accepted.
public enum ServiceType: String, Sendable, CaseIterable, Codable {
    case identity, compute, image, network
    case blockStorage = "block-storage"
    case placement

    /// Catalog `type` values that mean this service, preferred first.
    public var catalogTypes: [String] {
        switch self {
        case .blockStorage: ["block-storage", "volumev3", "volume"]
        default: [rawValue]
        }
    }
}

/// Which of a service's endpoints to use (`OS_INTERFACE`, `interface:` in clouds.yaml).
public enum EndpointInterface: String, Sendable, CaseIterable, Codable {
    case `public`, `internal`, admin

    /// Accepts the CLI's spellings: "public", "publicURL", "internalURL"...
    public init?(configValue: String) {
        let lower = configValue.lowercased()
        let trimmed = lower.hasSuffix("url") ? String(lower.dropLast(3)) : lower
        self.init(rawValue: trimmed)
    }
}

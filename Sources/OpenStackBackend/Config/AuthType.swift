/// The Keystone auth plugins stacktop can use, whatever spelling the configuration used.
public enum AuthType: String, Sendable, CaseIterable, Codable {
    /// keystoneauth `password` / `v3password`.
    case password
    /// keystoneauth `token` / `v3token`.
    case token
    /// keystoneauth `v3applicationcredential`.
    case applicationCredential = "v3applicationcredential"

    /// Accepts keystoneauth's plugin names, ignoring case and `-`/`_`.
    public init?(configValue: String) {
        let plain = String(configValue.lowercased().filter { $0 != "-" && $0 != "_" })
        switch plain {
        case "password", "v3password": self = .password
        case "token", "v3token": self = .token
        case "v3applicationcredential", "applicationcredential": self = .applicationCredential
        default: return nil
        }
    }

    /// The spellings to suggest in an error message.
    static let accepted = "password, v3password, token, v3token or v3applicationcredential"
}

/// The key vocabulary shared by clouds.yaml, `OS_*` variables and flags, after openstacksdk's
/// normalisation (`-` becomes `_`, old names map to new ones).
enum ConfigKeys {
    /// Keys that belong to the auth plugin: in clouds.yaml they live under `auth:` but are also
    /// accepted at the cloud's top level (and from `OS_*` / flags, which are flat).
    static let auth: [String] = [
        "auth_url", "username", "user_id", "password",
        "project_name", "project_id", "user_domain_name", "user_domain_id",
        "project_domain_name", "project_domain_id", "domain_name", "domain_id",
        "application_credential_id", "application_credential_name", "application_credential_secret",
        "token",
    ]

    /// openstacksdk's `_fix_backwards_auth` prefers the top-level value over the `auth:` one for
    /// these ("they may contain cli or environment overrides"); for the other auth keys its
    /// `_validate_auth` prefers `auth:`.
    static let topLevelWins: Set<String> = [
        "project_name", "project_id", "user_domain_name", "user_domain_id",
        "project_domain_name", "project_domain_id", "domain_name", "domain_id", "token",
    ]

    /// Old spellings and the key they mean. Where both appear, the new spelling wins (openstacksdk
    /// walks the old names first and the current one last).
    static let aliases: [String: String] = [
        "tenant_name": "project_name", "tenant_id": "project_id",
        "auth_token": "token", "auth_plugin": "auth_type", "endpoint_type": "interface",
    ]

    /// Values that must never be printed.
    static let secret: Set<String> = ["password", "application_credential_secret", "token"]

    static func normalize(_ key: String) -> String {
        let plain = underscored(key)
        return aliases[plain] ?? plain
    }

    private static func underscored(_ key: String) -> String {
        String(key.map { $0 == "-" ? "_" : $0 })
    }

    static func isAlias(_ key: String) -> Bool {
        aliases[underscored(key)] != nil
    }
}

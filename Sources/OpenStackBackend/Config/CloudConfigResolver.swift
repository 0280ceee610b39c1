/// Turns one cloud's layered settings into a checked `CloudConfig`.
struct CloudConfigResolver {
    /// The chosen cloud and how to name it in messages.
    struct Source {
        var name: String
        /// "cloud \"prod\" (line 3 of /home/me/.config/openstack/clouds.yaml)" or "the cloud made from OS_* variables".
        var phrase: String
        var origin: ConfigOrigin?
        var isEnvironment: Bool
    }

    var source: Source
    var cloud: FlatCloud
    /// Environment values the CLI lays over a named cloud (empty in SDK mode).
    var overlay: [String: ConfigValue]
    var flags: ConfigFlags
    var home: String
    var current: String

    func resolve() throws -> CloudConfig {
        var values = cloud.values
        for (key, value) in overlay { values[key] = value }
        for (key, value) in flags.values { values[key] = value }
        values = values.filter { !$0.value.text.isEmpty }

        let region = try resolveRegion(requested: flags.values["region_name"] ?? overlay["region_name"])
        let identityVersion = values["identity_api_version"]?.text ?? "3"
        let authType = try resolveAuthType(values)
        fanOutDomain(&values)
        applyDefaultDomain(&values, authType: authType, identityVersion: identityVersion)
        try checkCredentials(values, authType: authType)

        var interface = EndpointInterface.public
        if let value = values["interface"] {
            guard let parsed = EndpointInterface(configValue: value.text) else {
                throw Self.unusable(value, .badInterface, key: "interface", "interface \"\(value.text)\"",
                                    "is not one of public, internal or admin; change it to one of those.")
            }
            interface = parsed
        }

        // openstacksdk: `insecure` is the most aggressive setting and wins over `verify`; the CLI's
        // --insecure / --verify are explicit and win over both.
        var verify = !(values["verify"]?.isFalse ?? false)
        if values["insecure"]?.isTrue == true { verify = false }
        if let insecure = flags.insecure { verify = !insecure }

        var cacert: String?
        if let value = values["cacert"] {
            let path = ConfigFiles.absolute(value.text, home: home, current: current)
            // With verification off openstacksdk ignores the bundle, so a missing one does no harm.
            if verify && !ConfigFiles.isFile(path) {
                throw Self.unusable(value, .cacertMissing, key: "cacert", "CA bundle \(path)",
                                    "does not exist; fix the cacert path or remove it to trust the system certificates.")
            }
            cacert = path
        }

        var apiTimeout: Double?
        if let value = values["api_timeout"] {
            guard let seconds = Double(value.text), seconds.isFinite, seconds > 0, seconds <= 3600 else {
                throw Self.unusable(value, .invalidValue, key: "api_timeout", "api_timeout \"\(value.text)\"",
                                    "is not a number of seconds between 0 and 3600; change it to one, such as 30.")
            }
            apiTimeout = seconds
        }

        func text(_ key: String) -> String? { values[key]?.text }
        var config = CloudConfig(
            name: source.name, authType: authType, authURL: text("auth_url") ?? "",
            username: text("username"), userID: text("user_id"), password: text("password"),
            projectName: text("project_name"), projectID: text("project_id"),
            userDomainName: text("user_domain_name"), userDomainID: text("user_domain_id"),
            projectDomainName: text("project_domain_name"), projectDomainID: text("project_domain_id"),
            domainName: text("domain_name"), domainID: text("domain_id"),
            applicationCredentialID: text("application_credential_id"),
            applicationCredentialName: text("application_credential_name"),
            applicationCredentialSecret: text("application_credential_secret"), token: text("token"),
            regionName: region, interface: interface, verifyTLS: verify, cacert: cacert,
            identityAPIVersion: identityVersion, serviceOverrides: Self.serviceOverrides(values),
            sourceFile: source.origin?.file)
        config.apiTimeout = apiTimeout
        return config
    }

    /// openstacksdk's `_get_region`: an asked-for region must be one the cloud lists, if it lists any;
    /// otherwise the first listed region is used.
    private func resolveRegion(requested: ConfigValue?) throws -> String? {
        guard let requested, !requested.text.isEmpty else { return cloud.regions.first }
        if !cloud.regions.isEmpty && !cloud.regions.contains(requested.text) {
            throw CloudConfigError(
                .unknownRegion,
                "Region \"\(requested.text)\" (from \(requested.origin.phrase)) is not a region of \(source.phrase), "
                    + "which lists \(cloud.regions.joined(separator: ", ")); use one of those (names are case-sensitive).",
                key: "region_name", origin: requested.origin)
        }
        return requested.text
    }

    /// A configured value that cannot be used: "The WHAT set WHERE PROBLEM", pointing at where it was set.
    private static func unusable(_ value: ConfigValue, _ kind: CloudConfigError.Kind, key: String, _ what: String,
                                 _ problem: String) -> CloudConfigError {
        CloudConfigError(kind, "The \(what) set \(Self.where(value.origin)) \(problem)", key: key, origin: value.origin)
    }

    /// osc-lib's `_auth_select_default_plugin`: a username means password, else a token means token.
    private func resolveAuthType(_ values: [String: ConfigValue]) throws -> AuthType {
        guard let value = values["auth_type"] else {
            if values["username"] != nil || values["user_id"] != nil { return .password }
            return values["token"] != nil ? .token : .password
        }
        guard let type = AuthType(configValue: value.text) else {
            throw Self.unusable(value, .unknownAuthType, key: "auth_type", "auth type \"\(value.text)\"",
                                "is not supported; use \(AuthType.accepted).")
        }
        return type
    }

    /// openstacksdk's `_handle_domain_id`: with a project, `domain_*` stands for both the user's and
    /// the project's domain.
    private func fanOutDomain(_ values: inout [String: ConfigValue]) {
        guard values["project_name"] != nil || values["project_id"] != nil else { return }
        for kind in ["id", "name"] {
            guard let domain = values.removeValue(forKey: "domain_\(kind)") else { continue }
            for target in ["user_domain_\(kind)", "project_domain_\(kind)"] where values[target] == nil {
                values[target] = domain
            }
        }
    }

    /// osc-lib's `_auth_default_domain`: on Keystone v3 a missing project domain (and, for password
    /// auth, user domain) is OS_DEFAULT_DOMAIN, "default" unless set.
    private func applyDefaultDomain(_ values: inout [String: ConfigValue], authType: AuthType, identityVersion: String) {
        guard identityVersion == "3", authType != .applicationCredential else { return }
        let domain = values["default_domain"] ?? ConfigValue("default", origin: .builtIn)
        if values["project_domain_id"] == nil && values["project_domain_name"] == nil {
            values["project_domain_id"] = domain
        }
        if authType == .password && values["user_domain_id"] == nil && values["user_domain_name"] == nil {
            values["user_domain_id"] = domain
        }
    }

    private func checkCredentials(_ values: [String: ConfigValue], authType: AuthType) throws {
        // openstacksdk fills auth_url from a vendor profile; stacktop ships none, so say so.
        let profile = (values["profile"] ?? values["cloud"]).map {
            "; the vendor profile \"\($0.text)\" is not supported here, so write the URL out"
        } ?? ""
        try require("auth_url", in: values, what: " (the Keystone URL\(profile))")
        switch authType {
        case .password:
            if values["username"] == nil && values["user_id"] == nil {
                let hint = values["application_credential_secret"] != nil
                    ? " (for an application credential set auth_type: v3applicationcredential instead)" : ""
                try require("username", in: values, what: hint)
            }
            try require("password", in: values)
        case .token:
            try require("token", in: values)
        case .applicationCredential:
            try require("application_credential_secret", in: values)
            try require("application_credential_id", in: values,
                        what: " (or application_credential_name together with username)",
                        satisfied: values["application_credential_name"] != nil
                            && (values["username"] != nil || values["user_id"] != nil))
        }
    }

    private func require(_ key: String, in values: [String: ConfigValue], what: String = "",
                         satisfied: Bool = false) throws {
        guard values[key] == nil, !satisfied else { return }
        let variable = "OS_" + key.uppercased()
        let flag = "--os-" + String(key.map { $0 == "_" ? "-" : $0 })
        let fix = source.isEnvironment
            ? "set \(variable) (source your openrc file again) or pass \(flag)"
            : "add \(key): under its auth: section, or pass \(flag)"
        throw CloudConfigError(
            .missingValue, "No \(key)\(what) is set for \(source.phrase); \(fix).",
            key: key, origin: source.origin)
    }

    private static func serviceOverrides(_ values: [String: ConfigValue]) -> [String: ServiceOverride] {
        var result: [String: ServiceOverride] = [:]
        for (key, value) in values {
            if key.hasSuffix("_api_version"), key != "identity_api_version" {
                result[String(key.dropLast("_api_version".count)), default: ServiceOverride()].apiVersion = value.text
            } else if key.hasSuffix("_endpoint_override") {
                result[String(key.dropLast("_endpoint_override".count)), default: ServiceOverride()]
                    .endpointOverride = value.text
            }
        }
        return result
    }

    /// "on line 7 of /x/clouds.yaml", "in OS_INTERFACE", "with --os-interface".
    static func `where`(_ origin: ConfigOrigin) -> String {
        switch origin {
        case .file: "on \(origin.phrase)"
        case .environment: "in \(origin.phrase)"
        case .flag: "with \(origin.phrase)"
        case .builtIn: "by default"
        }
    }
}

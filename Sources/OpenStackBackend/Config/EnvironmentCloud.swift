/// How `OS_*` variables become configuration, in the two ways the Python tools use them.
enum EnvironmentCloud {
    /// Variables that only pick a cloud or a file: alone, they do not make an "envvars" cloud.
    static let selectors: Set<String> = [
        "OS_CLOUD", "OS_REGION_NAME", "OS_CLIENT_CONFIG_FILE", "OS_CLIENT_SECURE_FILE", "OS_CLOUD_NAME",
    ]

    /// openstacksdk's `_get_os_environ`: every `OS_*` variable (except test-harness ones) becomes
    /// the key after `OS_`, lower-cased (OS_PROJECT_NAME -> project_name). nil when only selectors
    /// are set, so that `OS_CLOUD=x` alone does not invent a cloud.
    static func envvarsCloud(_ environment: [String: String]) -> [String: ConfigValue]? {
        let names = environment.keys.filter {
            $0.hasPrefix("OS_") && !$0.hasPrefix("OS_TEST") && !$0.hasPrefix("OS_STD") && !$0.hasPrefix("OS_LOG")
        }
        guard !Set(names).subtracting(selectors).isEmpty else { return nil }
        var values: [String: ConfigValue] = [:]
        // Old spellings first so that OS_PROJECT_NAME beats OS_TENANT_NAME, OS_INTERFACE beats
        // OS_ENDPOINT_TYPE; sorting keeps the result independent of dictionary order.
        let ordered = names.filter(isAlias).sorted() + names.filter { !isAlias($0) }.sorted()
        for name in ordered {
            guard let text = environment[name], !text.isEmpty else { continue }
            values[ConfigKeys.normalize(key(of: name))] = ConfigValue(text, origin: .environment(name))
        }
        return values
    }

    /// What the `openstack` CLI does with `OS_*` on top of a named cloud: osc-lib registers each
    /// `--os-*` option with `default=utils.env('OS_*')`, and openstacksdk's `get_one` lets argparse
    /// values override clouds.yaml. So these variables override a named cloud's values; OS_INSECURE
    /// and OS_ENDPOINT_TYPE are not option defaults and do not.
    static func cliOverlay(_ environment: [String: String]) -> [String: ConfigValue] {
        var values: [String: ConfigValue] = [:]
        func take(_ key: String, _ names: [String]) {
            for name in names {
                if let text = environment[name], !text.isEmpty {
                    values[key] = ConfigValue(text, origin: .environment(name))
                    return
                }
            }
        }
        for key in ConfigKeys.auth { take(key, ["OS_" + key.uppercased()]) }
        // osc-lib falls back to the Keystone v2 names for the project.
        take("project_name", ["OS_PROJECT_NAME", "OS_TENANT_NAME"])
        take("project_id", ["OS_PROJECT_ID", "OS_TENANT_ID"])
        take("token", ["OS_TOKEN", "OS_AUTH_TOKEN"])
        take("auth_type", ["OS_AUTH_TYPE"])
        take("region_name", ["OS_REGION_NAME"])
        take("cacert", ["OS_CACERT"])
        take("interface", ["OS_INTERFACE"])
        take("identity_api_version", ["OS_IDENTITY_API_VERSION"])
        take("default_domain", ["OS_DEFAULT_DOMAIN"])
        // Each client plugin registers --os-<service>-api-version with OS_<SERVICE>_API_VERSION.
        for name in environment.keys.sorted() where name.hasPrefix("OS_") && name.hasSuffix("_API_VERSION") {
            take(key(of: name), [name])
        }
        return values
    }

    private static func key(of name: String) -> String {
        String(name.dropFirst(3)).lowercased()
    }

    private static func isAlias(_ name: String) -> Bool {
        ConfigKeys.isAlias(key(of: name))
    }
}

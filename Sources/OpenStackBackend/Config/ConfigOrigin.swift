/// Where a configuration value came from, so an error can send the user to the exact place to fix.
enum ConfigOrigin: Sendable, Equatable {
    case file(path: String, line: Int)
    case environment(String)
    case flag(String)
    case builtIn

    /// "line 7 of /home/me/.config/openstack/clouds.yaml", "OS_INTERFACE", "--os-interface".
    var phrase: String {
        switch self {
        case .file(let path, let line): line > 0 ? "line \(line) of \(path)" : path
        case .environment(let name): name
        case .flag(let name): name
        case .builtIn: "the built-in default"
        }
    }

    var file: String? {
        if case .file(let path, _) = self { return path }
        return nil
    }

    var line: Int? {
        if case .file(_, let line) = self, line > 0 { return line }
        return nil
    }
}

/// One scalar setting with its origin. `yamlBool` keeps YAML's reading of a plain scalar
/// (`verify: no` is false) because the text alone cannot tell `no` from `"no"`.
struct ConfigValue: Sendable, Equatable {
    var text: String
    var yamlBool: Bool?
    var origin: ConfigOrigin

    init(_ text: String, yamlBool: Bool? = nil, origin: ConfigOrigin) {
        self.text = text; self.yamlBool = yamlBool; self.origin = origin
    }

    /// openstacksdk's `get_boolean`: only a real boolean or the word "true" (any case) is true.
    var isTrue: Bool {
        yamlBool ?? (text.lowercased() == "true")
    }

    /// For `verify`: a YAML boolean, or a word a person would write for "off".
    var isFalse: Bool {
        if let yamlBool { return !yamlBool }
        return ["false", "no", "off", "0"].contains(text.lowercased())
    }
}

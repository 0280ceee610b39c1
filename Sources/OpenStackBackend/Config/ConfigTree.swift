import YAMLKit

/// A parsed clouds.yaml / secure.yaml, every node tagged with its file and line, so that after
/// secure.yaml is merged in each value still points at the file it came from.
indirect enum ConfigTree: Sendable {
    case scalar(ConfigValue)
    /// Keys in file order (names of clouds are listed in that order in error messages).
    case mapping([(key: String, line: Int, value: ConfigTree)], origin: ConfigOrigin)
    case list([ConfigTree], origin: ConfigOrigin)
    case null(origin: ConfigOrigin)

    init(_ node: YAMLNode, file: String) {
        let origin = ConfigOrigin.file(path: file, line: node.line)
        if node.isNull {
            self = .null(origin: origin)
            return
        }
        switch node.kind {
        case .scalar(let text, _):
            self = .scalar(ConfigValue(text, yamlBool: node.bool, origin: origin))
        case .mapping(let entries):
            self = .mapping(entries.map { ($0.key, $0.keyLine, ConfigTree($0.value, file: file)) }, origin: origin)
        case .sequence(let items):
            self = .list(items.map { ConfigTree($0, file: file) }, origin: origin)
        }
    }

    var origin: ConfigOrigin {
        switch self {
        case .scalar(let value): value.origin
        case .mapping(_, let origin), .list(_, let origin), .null(let origin): origin
        }
    }

    var entries: [(key: String, line: Int, value: ConfigTree)]? {
        if case .mapping(let entries, _) = self { return entries }
        return nil
    }

    subscript(key: String) -> ConfigTree? {
        entries?.first { $0.key == key }?.value
    }

    var kindDescription: String {
        switch self {
        case .scalar: "a single value"
        case .mapping: "a mapping"
        case .list: "a list"
        case .null: "an empty value"
        }
    }

    /// openstacksdk's `merge_clouds`: mappings merge key by key, anything else in `newer` replaces.
    func merged(with newer: ConfigTree) -> ConfigTree {
        guard case .mapping(var entries, let origin) = self, case .mapping(let newEntries, _) = newer else {
            return newer
        }
        for entry in newEntries {
            if let index = entries.firstIndex(where: { $0.key == entry.key }) {
                entries[index].value = entries[index].value.merged(with: entry.value)
            } else {
                entries.append(entry)
            }
        }
        return .mapping(entries, origin: origin)
    }
}

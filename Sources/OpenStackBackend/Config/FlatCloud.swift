/// One cloud's settings as flat keys (auth keys beside the others) plus the regions it lists.
struct FlatCloud: Sendable {
    var values: [String: ConfigValue] = [:]
    /// From `regions:` or a comma-separated `region_name:`; the first is the default region.
    var regions: [String] = []

    /// The envvars cloud: already flat; only `region_name` needs splitting.
    init(environment values: [String: ConfigValue]) {
        self.values = values
        regions = Self.split(values["region_name"])
    }

    /// A clouds.yaml entry. `auth:` values win over top-level ones, except for the keys
    /// openstacksdk lets the top level override (see `ConfigKeys.topLevelWins`).
    init(entry: ConfigTree, cloudName: String) throws {
        guard let entries = entry.entries else { return }
        var top: [String: ConfigValue] = [:]
        var auth: [String: ConfigValue] = [:]
        for (key, _, value) in Self.aliasesFirst(entries) {
            switch (key, value) {
            case ("auth", .mapping(let authEntries, _)):
                for (authKey, _, authValue) in Self.aliasesFirst(authEntries) {
                    switch authValue {
                    case .scalar(let scalar): auth[ConfigKeys.normalize(authKey)] = scalar
                    case .null: continue
                    default:
                        throw Self.notAValue(cloudName: cloudName, key: "auth.\(authKey)", value: authValue)
                    }
                }
            case ("auth", .null):
                continue
            case ("auth", _):
                throw CloudConfigError(
                    .malformedFile,
                    "The auth key of cloud \"\(cloudName)\" on \(value.origin.phrase) is \(value.kindDescription), "
                        + "not a mapping; indent auth_url, username and the other auth settings under it.",
                    key: "auth", origin: value.origin)
            case ("regions", .list(let items, _)):
                regions = try items.map { try Self.regionName($0, cloudName: cloudName) }
            case (_, .scalar(let scalar)):
                top[ConfigKeys.normalize(key)] = scalar
            default:
                // Networks, metrics and the other structured settings stacktop does not use.
                continue
            }
        }
        values = top
        for (key, value) in auth where !(ConfigKeys.topLevelWins.contains(key) && top[key] != nil) {
            values[key] = value
        }
        if regions.isEmpty { regions = Self.split(values["region_name"]) }
    }

    private static func aliasesFirst(
        _ entries: [(key: String, line: Int, value: ConfigTree)]
    ) -> [(key: String, line: Int, value: ConfigTree)] {
        entries.filter { ConfigKeys.isAlias($0.key) } + entries.filter { !ConfigKeys.isAlias($0.key) }
    }

    private static func split(_ value: ConfigValue?) -> [String] {
        guard let value else { return [] }
        return value.text.split(separator: ",").map { $0.trimmingSpaces }.filter { !$0.isEmpty }
    }

    /// A `regions:` item: a name, or a mapping with `name:` (and `values:`, not used here).
    private static func regionName(_ item: ConfigTree, cloudName: String) throws -> String {
        if case .scalar(let value) = item { return value.text }
        if case .scalar(let value)? = item["name"] { return value.text }
        throw CloudConfigError(
            .malformedFile,
            "A region of cloud \"\(cloudName)\" on \(item.origin.phrase) has no name; "
                + "write each region as a name or as a mapping with a name: key.",
            key: "regions", origin: item.origin)
    }

    private static func notAValue(cloudName: String, key: String, value: ConfigTree) -> CloudConfigError {
        CloudConfigError(
            .malformedFile,
            "The \(key) setting of cloud \"\(cloudName)\" on \(value.origin.phrase) is \(value.kindDescription), "
                + "not a single value; write it as key: value on one line.",
            key: key, origin: value.origin)
    }
}

extension Substring {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

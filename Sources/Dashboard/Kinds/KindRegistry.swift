import StacktopServices

extension KindSpec {
    /// Every kind with a table, in tab order (`tabOrder`): panels first (the first nine after the Overview
    /// get the digits 2-9 and 0), then what only `stacktop KIND list` shows. Each kinds file lists its own,
    /// so a new kind in an existing file touches that file alone here.
    public static let all: [KindSpec] = (computeKinds + storageKinds + networkKinds + networkingKinds + accountKinds)
        .sorted { $0.tabOrder < $1.tabOrder }

    /// The table of `kind`; a security group's rules are listed with their group.
    public static func of(_ kind: ResourceKind) -> KindSpec? {
        let listed = kind == .securityGroupRule ? .securityGroup : kind
        return all.first { $0.kind == listed }
    }

    /// The table a command word names ("servers", "vol", "volume-snapshots"), if any.
    public static func named(_ word: String) -> KindSpec? {
        let lower = word.lowercased()
        if let spec = all.first(where: { $0.panelWords.contains(lower) }) { return spec }
        return ResourceKind.named(lower).flatMap(of)
    }
}

import StacktopModel
import StacktopServices

/// What the dashboard shows under the tab bar: the Overview, or one kind's table. Panels are in
/// `KindSpec.all`'s order; number keys 1-9 and 0 jump to the first ten, the rest are reached with
/// Tab and by name after `:`.
public enum Panel: Sendable, Hashable {
    case overview
    case kind(ResourceKind)

    public static let allCases: [Panel] = [.overview] + KindSpec.all.filter(\.hasPanel).map { .kind($0.kind) }

    // The panels code and tests name most, spelled as before.
    public static let instances = Panel.kind(.instance)
    public static let images = Panel.kind(.image)
    public static let volumes = Panel.kind(.volume)
    public static let volumeSnapshots = Panel.kind(.volumeSnapshot)
    public static let networks = Panel.kind(.network)
    public static let securityGroups = Panel.kind(.securityGroup)
    public static let quotas = Panel.kind(.quota)
    public static let flavors = Panel.kind(.flavor)
    public static let keypairs = Panel.kind(.keypair)
    public static let projects = Panel.kind(.project)
    public static let floatingIPs = Panel.kind(.floatingIP)
    public static let routers = Panel.kind(.router)
    public static let hypervisors = Panel.kind(.hypervisor)

    /// The table this panel lists (nil for the Overview).
    public var table: KindSpec? {
        guard case .kind(let kind) = self else { return nil }
        return KindSpec.of(kind)
    }

    /// The kind of thing this panel lists, which is what its actions act on.
    public var resourceKind: ResourceKind? {
        guard case .kind(let kind) = self else { return nil }
        return kind
    }

    public var title: String { table?.title ?? "Overview" }

    /// A shorter title for narrow tab bars.
    public var shortTitle: String { table?.shortTitle ?? "Overview" }

    /// The panel's own word ("overview", "instances"): what tests, `stacktop render` and the wall's
    /// panel list print.
    public var word: String { commandAliases[0] }

    /// Words that open this panel after `:`.
    public var commandAliases: [String] { table?.panelWords ?? ["overview", "home", "o"] }

    /// The panel a word names, if any.
    public static func named(_ word: String) -> Panel? {
        let lower = word.lowercased()
        return allCases.first { $0.commandAliases.contains(lower) }
    }

    /// The name an action uses for the row `id` of this panel (nil: no such row, or the Overview).
    func name(of id: String, in snapshot: CloudSnapshot?) -> String? {
        guard let snapshot else { return nil }
        return table?.name(snapshot, id)
    }

    /// The digit that jumps here ("1" for Overview ... "0" for the tenth), nil past the tenth.
    public var digitKey: Character? {
        guard let position = Panel.allCases.firstIndex(of: self) else { return nil }
        switch position + 1 {
        case 1...9: return Character(String(position + 1))
        case 10: return "0"
        default: return nil
        }
    }

    /// `digitKey`, or for panels past the tenth a middle dot: the tab bar shows it in the digit's
    /// place, and no key types it, so the key map's digit lookup cannot jump there by accident.
    public var digit: Character { digitKey ?? Panel.noDigit }

    public static let noDigit: Character = "\u{00B7}"
}

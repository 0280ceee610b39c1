import StacktopModel
import StacktopServices
import TerminalUI

/// How wide a column wants to be.
public enum ColumnWidth: Sendable, Equatable {
    case fixed(Int)
    /// At least `min` columns, then a share of what is left in proportion to `weight`.
    case flexible(min: Int, weight: Int)
}

/// One column of a resource table, shared by the dashboard and `stacktop KIND list`.
public struct ColumnSpec: Sendable, Equatable {
    public var title: String
    /// The name `-c COLUMN` and JSON output use.
    public var key: String
    public var width: ColumnWidth
    public var alignRight: Bool
    /// Lower numbers stay longest when the terminal is narrow (0 = always shown).
    public var priority: Int
    /// Only where values are raw numbers (`-f json`, `-f csv`, or asked for with `-c`): the unit of a
    /// quota's raw figures would contradict the screen, which shows "18 GiB" where the number is MiB.
    public var rawValuesOnly: Bool
    /// Drawn before the others whatever its index (a fleet's Context column, as k9s draws NAMESPACE first).
    public var leading: Bool

    public init(_ title: String, key: String, width: ColumnWidth, alignRight: Bool = false, priority: Int = 0,
                rawValuesOnly: Bool = false, leading: Bool = false) {
        self.title = title; self.key = key; self.width = width; self.alignRight = alignRight
        self.priority = priority; self.rawValuesOnly = rawValuesOnly; self.leading = leading
    }
}

/// One row of a resource table: typed values in column order, plus what the filter searches.
public struct TableRow: Sendable, Equatable {
    public var id: String
    public var values: [FieldValue]
    /// A role per column for cells coloured by meaning (instance state); nil = normal text.
    public var roles: [ThemeRole?]
    /// Lower-cased text of every column, searched by `/`.
    public var searchText: String
    /// Each value's display width (capped at 255), made with the search text from the same strings; empty
    /// when the row was made without them (the table then measures it).
    public var widths: [UInt8] = []

    public init(id: String, values: [FieldValue], roles: [ThemeRole?] = [], searchText: String) {
        self.id = id; self.values = values; self.roles = roles; self.searchText = searchText
    }
}

/// A titled group of label/value lines in a details view.
public struct DetailSection: Sendable, Equatable {
    public var title: String
    public var lines: [(label: String, value: String)]

    public init(_ title: String, _ lines: [(String, String)]) {
        self.title = title
        self.lines = lines.map { (label: $0.0, value: $0.1) }
    }

    public static func == (a: DetailSection, b: DetailSection) -> Bool {
        a.title == b.title && a.lines.elementsEqual(b.lines) { $0.label == $1.label && $0.value == $1.value }
    }
}

/// One column of a kind's table: how it looks, and how it reads its value (and colour) from one item.
public struct KindColumn<Item>: Sendable {
    public var spec: ColumnSpec
    let value: @Sendable (Item) -> FieldValue
    let role: (@Sendable (Item) -> ThemeRole?)?

    public init(_ title: String, key: String, width: ColumnWidth, alignRight: Bool = false, priority: Int = 0,
                rawValuesOnly: Bool = false, role: (@Sendable (Item) -> ThemeRole?)? = nil,
                _ value: @escaping @Sendable (Item) -> FieldValue) {
        spec = ColumnSpec(title, key: key, width: width, alignRight: alignRight, priority: priority,
                          rawValuesOnly: rawValuesOnly)
        self.value = value; self.role = role
    }
}

/// Everything the dashboard and the CLI know about one resource kind, in one value: the words that
/// name it, its titles, where its items sit in a snapshot, its typed columns, how a row is named in
/// an action, and its details. The tab bar, `:` words, `stacktop KIND list`, sorting, filtering,
/// details and action targets all read it; DECISIONS.md ("Adding a kind") lists the files a new
/// kind touches.
public struct KindSpec: Sendable {
    /// What its rows are, and so what its actions act on.
    public let kind: ResourceKind
    public let title: String
    /// For narrow tab bars.
    public let shortTitle: String
    /// How one item is called in a details title ("Instance web-01").
    public let itemWord: String
    /// Words after `:` (and for `--wall-panels`, `stacktop render`) that open its panel: the panel's own
    /// word first ("instances"), then the kind's aliases.
    public let panelWords: [String]
    /// False for kinds only `stacktop KIND list` shows (subnets and ports sit inside Networks on screen).
    public let hasPanel: Bool
    /// Its place in the tab bar (lower first); the first nine panels after the Overview get digits.
    public let tabOrder: Int
    public let columns: [ColumnSpec]
    /// Index of the column sorted by when the panel opens.
    public let defaultSortColumn: Int
    public let rows: @Sendable (CloudSnapshot) -> [TableRow]
    public let details: @Sendable (CloudSnapshot, String) -> [DetailSection]?
    /// The name actions, the CLI and the audit log use for the row with this id; nil when there is none.
    public let name: @Sendable (CloudSnapshot, String) -> String?
    /// Every item's name, in the snapshot's order (what `:` completes after `KIND ACTION`).
    public let names: @Sendable (CloudSnapshot) -> [String]
    /// Whether the snapshot holds an item called this (by name or id): a typed action's target is checked
    /// before any question is asked.
    public let holds: @Sendable (CloudSnapshot, String) -> Bool

    /// - Parameters:
    ///   - items: the rows' items, read from a snapshot (a kind whose columns count other things builds
    ///     small row values here, once per snapshot, rather than searching per cell).
    ///   - id: the row's id (what selection, marks and details keep).
    ///   - name: what an action calls the item.
    ///   - qualifiedInFleet: a fleet snapshot's own list of these items already carries qualified ids
    ///     (instances: events, live rates and consoles find them by id), so rows come from it rather than
    ///     from each member.
    public init<Item>(_ kind: ResourceKind, tabOrder: Int, title: String, shortTitle: String? = nil, itemWord: String? = nil,
                      panelWord: String, hasPanel: Bool = true, defaultSortColumn: Int = 0,
                      qualifiedInFleet: Bool = false,
                      items: @escaping @Sendable (CloudSnapshot) -> [Item],
                      id: @escaping @Sendable (Item) -> String, name: @escaping @Sendable (Item) -> String,
                      columns: [KindColumn<Item>],
                      details: @escaping @Sendable (Item, CloudSnapshot) -> [DetailSection]) {
        self.kind = kind; self.title = title; self.shortTitle = shortTitle ?? title
        self.itemWord = itemWord ?? kind.rawValue
        var words = [panelWord]
        for alias in kind.aliases where !words.contains(alias) { words.append(alias) }
        self.panelWords = words
        self.hasPanel = hasPanel; self.tabOrder = tabOrder; self.defaultSortColumn = defaultSortColumn
        self.columns = columns.map(\.spec)
        let colouredColumns = columns.contains { $0.role != nil }
        /// A row, with the Context column's value after the kind's own when a fleet shows several contexts.
        @Sendable func row(_ item: Item, id rowID: String, context: Substring?) -> TableRow {
            var values = columns.map { $0.value(item) }
            var roles = colouredColumns ? columns.map { $0.role?(item) } : []
            if let context {
                values.append(.text(String(context)))
                if colouredColumns { roles.append(nil) }
            }
            return TableRow.make(id: rowID, values, roles: roles)
        }
        self.rows = { snapshot in
            guard let fleet = snapshot.fleet else {
                return items(snapshot).map { row($0, id: id($0), context: nil) }
            }
            let withContext = fleet.count > 1
            if qualifiedInFleet {
                return items(snapshot).map { item in
                    let rowID = id(item)
                    return row(item, id: rowID, context: withContext ? FleetID.context(of: rowID) : nil)
                }
            }
            return fleet.flatMap { member in
                items(member.snapshot).map { item in
                    row(item, id: FleetID.qualified(id(item), context: member.context),
                        context: withContext ? Substring(member.context) : nil)
                }
            }
        }
        // Everything else reads a fleet's items from their own member, by local id, so the references
        // inside each member (a volume's instance, a port's network) stay its own.
        self.details = { snapshot, wanted in
            if let (member, local) = snapshot.fleetMember(of: wanted) {
                return items(member.snapshot).first { id($0) == local }.map { details($0, member.snapshot) }
            }
            return items(snapshot).first { id($0) == wanted }.map { details($0, snapshot) }
        }
        self.name = { snapshot, wanted in
            if let (member, local) = snapshot.fleetMember(of: wanted) {
                return items(member.snapshot).first { id($0) == local }
                    .map { FleetID.qualified(name($0), context: member.context) }
            }
            return items(snapshot).first { id($0) == wanted }.map(name)
        }
        self.names = { snapshot in
            guard let fleet = snapshot.fleet else { return items(snapshot).map(name) }
            return fleet.flatMap { member in
                items(member.snapshot).map { FleetID.qualified(name($0), context: member.context) }
            }
        }
        self.holds = { snapshot, wanted in
            guard let fleet = snapshot.fleet else {
                return items(snapshot).contains { name($0) == wanted || id($0) == wanted }
            }
            // "web-01@lab-a" in its own context; a bare "web-01" anywhere (the fleet says when it is ambiguous).
            if let (member, local) = snapshot.fleetMember(of: wanted) {
                return items(member.snapshot).contains { name($0) == local || id($0) == local }
            }
            return fleet.contains { member in items(member.snapshot).contains { name($0) == wanted || id($0) == wanted } }
        }
    }

    /// The Context column a fleet adds when it shows more than one context (drawn first, kept last in the
    /// values so every other column keeps its index).
    public static let contextColumn = ColumnSpec("Context", key: "context", width: .flexible(min: 7, weight: 1),
                                                 priority: 0, leading: true)

    /// The columns for this snapshot: the kind's own, and the Context column when a fleet shows several.
    public func columns(for snapshot: CloudSnapshot?) -> [ColumnSpec] {
        snapshot?.showsContexts == true ? columns + [Self.contextColumn] : columns
    }
}

extension TableRow {
    /// Builds a row from values, deriving the search text from their display form.
    static func make(id: String, _ values: [FieldValue], roles: [ThemeRole?] = [],
                     now: Date = Date(timeIntervalSince1970: 0)) -> TableRow {
        var widths: [UInt8] = []
        widths.reserveCapacity(values.count)
        let search = values.map { value -> String in
            if case .date = value {
                widths.append(UInt8(TableModel.ageWidth))
                return ""
            }
            let text = value.display(now: now)
            widths.append(UInt8(min(255, TableModel.width(of: text))))
            return text
        }.joined(separator: " ").lowercased()
        var row = TableRow(id: id, values: values, roles: roles, searchText: search)
        row.widths = widths
        return row
    }
}

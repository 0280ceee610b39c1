import StacktopModel
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

    public init(_ title: String, key: String, width: ColumnWidth, alignRight: Bool = false, priority: Int = 0,
                rawValuesOnly: Bool = false) {
        self.title = title; self.key = key; self.width = width; self.alignRight = alignRight
        self.priority = priority; self.rawValuesOnly = rawValuesOnly
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

/// Everything the dashboard and the CLI need to know about one resource kind: the one place a kind
/// plugs in. Adding a kind means adding one of these and one case to `Panel`.
public struct ResourceTable: Sendable {
    public var kind: ResourceKindName
    public var title: String
    public var columns: [ColumnSpec]
    public var rows: @Sendable (CloudSnapshot) -> [TableRow]
    public var details: @Sendable (CloudSnapshot, String) -> [DetailSection]?
    /// Index of the column sorted by when the panel opens.
    public var defaultSortColumn: Int

    public init(kind: ResourceKindName, title: String, columns: [ColumnSpec], defaultSortColumn: Int = 0,
                rows: @escaping @Sendable (CloudSnapshot) -> [TableRow],
                details: @escaping @Sendable (CloudSnapshot, String) -> [DetailSection]?) {
        self.kind = kind; self.title = title; self.columns = columns; self.rows = rows; self.details = details
        self.defaultSortColumn = defaultSortColumn
    }
}

/// The singular word a kind goes by in messages ("instance", "image").
public typealias ResourceKindName = String

extension TableRow {
    /// Builds a row from values, deriving the search text from their display form.
    static func make(id: String, _ values: [FieldValue], roles: [ThemeRole?] = [],
                     now: Date = Date(timeIntervalSince1970: 0)) -> TableRow {
        let search = values.map { value -> String in
            if case .date = value { return "" }
            return value.display(now: now)
        }.joined(separator: " ").lowercased()
        return TableRow(id: id, values: values, roles: roles, searchText: search)
    }
}

import StacktopModel

/// The list state of one panel: its rows, what the filter keeps, the sort, the selection and the
/// scroll position. Rows are rebuilt only when data, filter or sort change, so moving the cursor
/// costs nothing however many rows there are.
public struct TableModel: Sendable, Equatable {
    public let table: ResourceTableID
    public private(set) var rows: [TableRow] = []
    /// Indices into `rows` that pass the filter, in sort order.
    public private(set) var visible: [Int] = []
    public private(set) var filter: String = ""
    public private(set) var sortColumn: Int
    public private(set) var sortAscending = true
    /// Position in `visible` of the selected row.
    public private(set) var cursor = 0
    /// Position in `visible` of the first row on screen.
    public var scroll = 0
    /// Rows marked with Space for bulk actions, by id.
    public private(set) var marked: Set<String> = []

    public init(table: ResourceTableID, sortColumn: Int) {
        self.table = table
        self.sortColumn = sortColumn
    }

    public var selectedRow: TableRow? { visible.isEmpty ? nil : rows[visible[cursor]] }
    public var selectedID: String? { selectedRow?.id }
    public var count: Int { visible.count }

    /// Replaces the rows (new data), keeping the selected row selected when it still exists.
    public mutating func setRows(_ newRows: [TableRow]) {
        let keep = selectedID
        rows = newRows
        marked = marked.filter { id in newRows.contains { $0.id == id } }
        rebuild(keeping: keep)
    }

    /// Filters by a case-insensitive substring; a leading "!" keeps the rows that do NOT match.
    public mutating func setFilter(_ text: String) {
        guard text != filter else { return }
        let keep = selectedID
        filter = text
        rebuild(keeping: keep)
    }

    public mutating func sort(by column: Int, ascending: Bool) {
        let keep = selectedID
        sortColumn = column
        sortAscending = ascending
        rebuild(keeping: keep)
    }

    public mutating func moveCursor(by delta: Int) { setCursor(cursor + delta) }

    public mutating func setCursor(_ position: Int) {
        cursor = visible.isEmpty ? 0 : min(max(0, position), visible.count - 1)
    }

    public mutating func toggleMark() {
        guard let id = selectedID else { return }
        if marked.contains(id) { marked.remove(id) } else { marked.insert(id) }
    }

    public mutating func clearMarks() { marked = [] }

    /// Marked row ids in the order the rows are shown, so bulk actions and prompts read top to bottom.
    public var markedInDisplayOrder: [String] {
        visible.map { rows[$0].id }.filter { marked.contains($0) }
    }

    /// Keeps the cursor on screen in a viewport of `height` rows.
    public mutating func scrollToCursor(height: Int) {
        guard height > 0 else { return }
        if cursor < scroll { scroll = cursor }
        if cursor >= scroll + height { scroll = cursor - height + 1 }
        scroll = max(0, min(scroll, max(0, visible.count - height)))
    }

    private mutating func rebuild(keeping id: String?) {
        let rows = self.rows
        var indices = Array(rows.indices)
        let (inverted, needle) = FilterText.parse(filter)
        if !needle.isEmpty {
            indices = indices.filter { rows[$0].searchText.contains(needle) != inverted }
        }
        let column = sortColumn
        let ascending = sortAscending
        indices.sort { a, b in
            let va = column < rows[a].values.count ? rows[a].values[column] : .missing
            let vb = column < rows[b].values.count ? rows[b].values[column] : .missing
            if FieldValue.ascending(va, vb) { return ascending }
            if FieldValue.ascending(vb, va) { return !ascending }
            return a < b  // stable: equal keys keep the backend's order
        }
        visible = indices
        if let id, let position = indices.firstIndex(where: { rows[$0].id == id }) {
            cursor = position
        } else {
            setCursor(cursor)
        }
    }
}

/// Which table a model lists (the panel's raw value).
public typealias ResourceTableID = String

enum FilterText {
    /// ("!web" -> inverted "web"); the needle is lower-cased.
    static func parse(_ filter: String) -> (inverted: Bool, needle: String) {
        if filter.hasPrefix("!") { return (true, String(filter.dropFirst()).lowercased()) }
        return (false, filter.lowercased())
    }
}

import StacktopModel
import TerminalUI
import FoundationEssentials

/// The list state of one panel: its rows, what the filter keeps, the sort, the selection and the
/// scroll position. Rows are rebuilt only when data, filter or sort change, so moving the cursor
/// costs nothing however many rows there are.
public struct TableModel: Sendable, Equatable {
    public let table: ResourceTableID
    public private(set) var rows: [TableRow] = []
    /// Indices into `rows` that pass the filter, in sort order.
    public private(set) var visible: [Int] = []
    /// Every index into `rows`, in sort order: a filter keystroke filters this (or, when the filter
    /// only grew, `visible`) without sorting again.
    private var sorted: [Int] = []
    public private(set) var filter: String = ""
    public private(set) var sortColumn: Int
    public private(set) var sortAscending = true
    /// Position in `visible` of the selected row.
    public private(set) var cursor = 0
    /// The user put the cursor where it is (a key, a click). Until then, the pieces of a read under way leave
    /// the cursor on the first row, whatever arrives above it (see `setRows`).
    public private(set) var cursorChosen = false
    /// Position in `visible` of the first row on screen.
    public var scroll = 0
    /// Rows marked with Space for bulk actions, by id.
    public private(set) var marked: Set<String> = []
    /// The display width of each column's widest cell, for the layout (`TableLayout`); made with the rows.
    public private(set) var contentWidths: [Int] = []

    public init(table: ResourceTableID, sortColumn: Int) {
        self.table = table
        self.sortColumn = sortColumn
    }

    public var selectedRow: TableRow? { visible.isEmpty ? nil : rows[visible[cursor]] }
    public var selectedID: String? { selectedRow?.id }
    public var count: Int { visible.count }

    /// Replaces the rows (new data), keeping the selected row selected when it still exists.
    /// `followingSelection` false: a piece of a read under way (a fleet's contexts, a large cloud's pages, in
    /// any order); unless the user chose the row, the cursor stays on the first row rather than following the
    /// row that happened to arrive first down the list. A whole read always keeps the selected row (the rows
    /// of the cache, then the live ones, keep what the user is looking at selected).
    public mutating func setRows(_ newRows: [TableRow], followingSelection: Bool = true) {
        let keep = followingSelection || cursorChosen ? selectedID : nil
        rows = newRows
        contentWidths = Self.widths(of: newRows)
        if !marked.isEmpty {
            let ids = Set(newRows.map(\.id))
            marked = marked.filter(ids.contains)
        }
        resort()
        refilter(keeping: keep)
    }

    /// Filters by a case-insensitive substring; a leading "!" keeps the rows that do NOT match; a leading
    /// "@context" keeps a fleet's rows of the contexts whose names start so.
    public mutating func setFilter(_ text: String) {
        guard text != filter else { return }
        let keep = selectedID
        let previous = filter
        filter = text
        // A longer needle keeps a subset of what the shorter one kept: narrow what is shown.
        let (before, now) = (FilterText.parse(previous), FilterText.parse(text))
        let narrows = !previous.isEmpty && !before.inverted && !now.inverted && (before.context == nil) == (now.context == nil)
            && text.lowercased().contains(previous.lowercased())
        refilter(keeping: keep, from: narrows ? visible : sorted)
    }

    public mutating func sort(by column: Int, ascending: Bool) {
        let keep = selectedID
        sortColumn = column
        sortAscending = ascending
        resort()
        refilter(keeping: keep)
    }

    public mutating func moveCursor(by delta: Int) { setCursor(cursor + delta) }

    public mutating func setCursor(_ position: Int) {
        cursorChosen = true
        place(position)
    }

    private mutating func place(_ position: Int) {
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

    /// Widest cell per column, from the widths each row was made with (measured here for a row without them).
    static func widths(of rows: [TableRow]) -> [Int] {
        var widths: [Int] = []
        let epoch = Date(timeIntervalSince1970: 0)
        for row in rows {
            if widths.count < row.values.count { widths += Array(repeating: 0, count: row.values.count - widths.count) }
            if row.widths.count == row.values.count {
                for (column, width) in row.widths.enumerated() where Int(width) > widths[column] { widths[column] = Int(width) }
                continue
            }
            for (column, value) in row.values.enumerated() {
                let width: Int
                if case .date = value { width = ageWidth } else { width = Self.width(of: value.display(now: epoch)) }
                if width > widths[column] { widths[column] = width }
            }
        }
        return widths
    }

    /// An age is at most five columns ("11mo"), whatever the clock says.
    static let ageWidth = 5

    /// Display width, counted by bytes when the text is ASCII (almost always).
    static func width(of text: String) -> Int {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 { ascii = false; break }
        return ascii ? text.utf8.count : DisplayWidth.of(text)
    }

    private mutating func resort() {
        let rows = self.rows
        let column = sortColumn
        let ascending = sortAscending
        // Keys once per row, then the sort compares keys (see `FieldValue.sortKey`).
        let keys = rows.map { column < $0.values.count ? $0.values[column].sortKey : FieldSortKey.missing }
        sorted = Array(rows.indices)
        sorted.sort { a, b in
            if keys[a] < keys[b] { return ascending }
            if keys[b] < keys[a] { return !ascending }
            return a < b  // stable: equal keys keep the backend's order
        }
    }

    /// `visible` from `candidates` (in sort order): those that pass the filter.
    private mutating func refilter(keeping id: String?, from candidates: [Int]? = nil) {
        let rows = self.rows
        let (inverted, needle, context) = FilterText.parse(filter)
        var indices = candidates ?? sorted
        if let context {
            // `@lab` keeps a fleet's rows whose context starts so (their ids end in "@context").
            indices = indices.filter { FleetID.context(of: rows[$0].id)?.lowercased().hasPrefix(context) == true }
        }
        if !needle.isEmpty {
            let match = FilterText.matcher(needle)
            indices = indices.filter { match(rows[$0].searchText) != inverted }
        }
        visible = indices
        if let id, let position = indices.firstIndex(where: { rows[$0].id == id }) {
            cursor = position
        } else {
            place(cursor)
        }
    }
}

/// Which table a model lists (the panel's raw value).
public typealias ResourceTableID = String

enum FilterText {
    /// ("!web" -> inverted "web"); the needle is lower-cased.
    /// ("!web" -> inverted "web"; "@lab-a web" -> context "lab-a", needle "web"); all lower-cased.
    static func parse(_ filter: String) -> (inverted: Bool, needle: String, context: String?) {
        var text = Substring(filter)
        var context: String?
        if text.hasPrefix("@") {
            let word = text.dropFirst().prefix { $0 != " " }
            context = word.lowercased()
            text = text.dropFirst(1 + word.count).drop { $0 == " " }
        }
        if text.hasPrefix("!") { return (true, String(text.dropFirst()).lowercased(), context) }
        return (false, text.lowercased(), context)
    }

    /// Whether a (lower-cased) search text contains `needle`. An ASCII needle is searched byte by
    /// byte in the UTF-8 (an ASCII byte never occurs inside a multi-byte character, so this is exact);
    /// anything else goes through String's own search, which knows canonical equivalence.
    static func matcher(_ needle: String) -> @Sendable (String) -> Bool {
        let bytes = Array(needle.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 }), let first = bytes.first else { return { $0.contains(needle) } }
        return { text in
            var text = text
            return text.withUTF8 { haystack in
                guard haystack.count >= bytes.count else { return false }
                var start = 0
                let last = haystack.count - bytes.count
                while start <= last {
                    if haystack[start] == first {
                        var offset = 1
                        while offset < bytes.count, haystack[start + offset] == bytes[offset] { offset += 1 }
                        if offset == bytes.count { return true }
                    }
                    start += 1
                }
                return false
            }
        }
    }
}

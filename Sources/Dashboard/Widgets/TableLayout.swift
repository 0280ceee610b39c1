import TerminalUI

/// Which columns fit in a width, and how wide each one is drawn. Widths come from what the columns hold
/// (`content`, the widest cell of each column): a column is never given more than its content needs while
/// another is cut, and a less important column is left out before a more important one would be cut.
struct TableLayout: Equatable {
    /// (column index, x offset, width) of every column shown.
    var columns: [(index: Int, x: Int, width: Int)]

    static func == (a: TableLayout, b: TableLayout) -> Bool {
        a.columns.elementsEqual(b.columns) { $0 == $1 }
    }

    static let gap = 1
    /// No column asks for more than this, however long its longest cell: one long name cannot take a row.
    static let widest = 48

    /// - Parameter content: the display width of each column's widest cell; nil (or a shorter list) where
    ///   not known, and then the column asks for its declared width and flexible columns share what is left.
    init(specs: [ColumnSpec], width: Int, content: [Int]? = nil) {
        func minimum(_ spec: ColumnSpec) -> Int {
            // Room for the title and its sort arrow; a title-less marker column is just its width.
            let title = spec.title.isEmpty ? 0 : DisplayWidth.of(spec.title) + 1
            switch spec.width {
            case .fixed(let w): return max(w, title)
            case .flexible(let min, _): return max(min, title)
            }
        }
        func wanted(_ i: Int) -> Int {
            guard let content, i < content.count else { return minimum(specs[i]) }
            return max(minimum(specs[i]), min(content[i], TableLayout.widest))
        }
        func total(_ indices: [Int], _ size: (Int) -> Int) -> Int {
            indices.reduce(0) { $0 + size($1) } + max(0, indices.count - 1) * TableLayout.gap
        }
        func leastImportant(_ indices: [Int]) -> Int? {
            indices.max { specs[$0].priority < specs[$1].priority || (specs[$0].priority == specs[$1].priority && $0 < $1) }
        }
        // Drop the least important columns until the rest fit at their minimum...
        var shown = specs.indices.filter { !specs[$0].rawValuesOnly }
        while total(shown, { minimum(specs[$0]) }) > width, shown.count > 1, let drop = leastImportant(shown) {
            shown.removeAll { $0 == drop }
        }
        func important(_ a: Int, _ b: Int) -> Bool {
            specs[a].priority < specs[b].priority || (specs[a].priority == specs[b].priority && a < b)
        }
        /// Each shown column's width: its minimum, then up to what it wants, most important first.
        func allocate(_ shown: [Int]) -> [Int: Int] {
            var widths = Dictionary(uniqueKeysWithValues: shown.map { ($0, minimum(specs[$0])) })
            var spare = max(0, width - total(shown, { minimum(specs[$0]) }))
            for i in shown.sorted(by: important) where spare > 0 {
                let more = min(spare, wanted(i) - widths[i]!)
                widths[i]! += more
                spare -= more
            }
            return widths
        }
        // ...and then the least important while a more important one would be cut: the last one left may be
        // cut itself (a long list of addresses), rather than leave its room blank.
        var widths = allocate(shown)
        while let least = leastImportant(shown), specs[least].priority > 0,
              shown.contains(where: { important($0, least) && widths[$0]! < wanted($0) }) {
            shown.removeAll { $0 == least }
            widths = allocate(shown)
        }
        let spare = max(0, width - total(shown, { widths[$0]! }))
        // Without content, flexible columns share the rest as declared; with it, the rest stays blank at the
        // end of the row rather than padding one column.
        if content == nil, spare > 0 {
            let flexible = shown.compactMap { i -> (Int, Int)? in
                if case .flexible(_, let weight) = specs[i].width { return (i, weight) }
                return nil
            }
            let totalWeight = flexible.reduce(0) { $0 + $1.1 }
            if totalWeight > 0 {
                var given = 0
                for (i, weight) in flexible {
                    let share = spare * weight / totalWeight
                    widths[i]! += share
                    given += share
                }
                if let last = flexible.last { widths[last.0]! += spare - given }
            } else if let last = shown.last {
                widths[last]! += spare
            }
        }
        var x = 0
        let ordered = shown.filter { specs[$0].leading } + shown.filter { !specs[$0].leading }
        columns = ordered.map { i in
            defer { x += widths[i]! + TableLayout.gap }
            return (i, x, widths[i]!)
        }
    }
}

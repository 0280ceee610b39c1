import TerminalUI

/// Which columns fit in a width, and how wide each one is drawn.
struct TableLayout: Equatable {
    /// (column index, x offset, width) of every column shown.
    var columns: [(index: Int, x: Int, width: Int)]

    static func == (a: TableLayout, b: TableLayout) -> Bool {
        a.columns.elementsEqual(b.columns) { $0 == $1 }
    }

    static let gap = 1

    init(specs: [ColumnSpec], width: Int) {
        func minimum(_ spec: ColumnSpec) -> Int {
            switch spec.width {
            case .fixed(let w): max(w, DisplayWidth.of(spec.title) + 2)
            case .flexible(let min, _): max(min, DisplayWidth.of(spec.title) + 2)
            }
        }
        // Drop the least important columns until the rest fit.
        var shown = specs.indices.filter { !specs[$0].rawValuesOnly }
        func needed(_ indices: [Int]) -> Int {
            indices.reduce(0) { $0 + minimum(specs[$1]) } + max(0, indices.count - 1) * TableLayout.gap
        }
        while needed(shown) > width, shown.count > 1 {
            let drop = shown.max { specs[$0].priority < specs[$1].priority || (specs[$0].priority == specs[$1].priority && $0 > $1) }!
            shown.removeAll { $0 == drop }
        }
        var widths = Dictionary(uniqueKeysWithValues: shown.map { ($0, minimum(specs[$0])) })
        var spare = max(0, width - needed(shown))
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
            spare -= given
            if let last = flexible.last { widths[last.0]! += spare }
        } else if let last = shown.last {
            widths[last]! += spare
        }
        var x = 0
        columns = shown.map { i in
            defer { x += widths[i]! + TableLayout.gap }
            return (i, x, widths[i]!)
        }
    }
}

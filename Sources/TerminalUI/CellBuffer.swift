import TextSafety
/// The screen as a grid of cells in memory. Screens draw into it; the terminal layer writes only
/// the cells that differ from the previous frame; tests read it back as text.
public struct CellBuffer: Sendable, Equatable {
    public private(set) var size: Size
    public private(set) var cells: [Cell]

    public init(size: Size, fill: Cell = .blank) {
        self.size = size
        self.cells = Array(repeating: fill, count: max(0, size.width * size.height))
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * size.width + x] }
        set {
            guard x >= 0, y >= 0, x < size.width, y < size.height else { return }
            cells[y * size.width + x] = newValue
        }
    }

    public func contains(x: Int, y: Int) -> Bool { x >= 0 && y >= 0 && x < size.width && y < size.height }

    /// Fills `rect` (clipped to the buffer) with `cell`.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            breakWideCharacter(at: x0, y: y)
            breakWideCharacter(at: x1 - 1, y: y)
            let row = y * size.width
            for x in x0..<x1 { cells[row + x] = cell }
        }
    }

    /// Before cell (x, y) is overwritten: if it is half of a wide character, blank the other half,
    /// so the buffer never holds half a character (which the terminal would show differently).
    private mutating func breakWideCharacter(at x: Int, y: Int) {
        let index = y * size.width + x
        if cells[index].isContinuation, x > 0 {
            cells[index - 1].character = " "
        } else if x + 1 < size.width, cells[index + 1].isContinuation {
            cells[index + 1].character = " "
        }
    }

    /// Writes `text` starting at (x, y), clipped at `maxX` (default: the right edge). Wide characters
    /// take two cells; one that would straddle the clip edge is replaced by a space. Returns the x
    /// after the last column written.
    @discardableResult
    public mutating func write(_ text: some StringProtocol, x: Int, y: Int, style: Style, maxX: Int? = nil) -> Int {
        guard y >= 0, y < size.height else { return x }
        let limit = min(maxX ?? size.width, size.width)
        var column = x
        // Printable ASCII (most of a screen) is one cell a byte: no Character, width or sanitizing work.
        var ascii = String(text)
        if DisplayWidth.printableASCIICount(ascii) != nil {
            return ascii.withUTF8 { bytes in
                for byte in bytes {
                    if column >= limit { return limit }
                    if column >= 0 {
                        breakWideCharacter(at: column, y: y)
                        cells[y * size.width + column] = Cell(Character(Unicode.Scalar(byte)), style)
                    }
                    column += 1
                }
                return column
            }
        }
        for original in text {
            // A ZWJ sequence (👩‍💻) is one glyph on some terminals and several on others: its parts are
            // drawn one by one, so the columns are the same on every terminal (TerminalText).
            if original.unicodeScalars.count > 1, original.unicodeScalars.contains(TerminalText.zeroWidthJoiner) {
                column = write(TerminalText.withoutJoiners(String(original)), x: column, y: y, style: style, maxX: limit)
                if column >= limit { return column }
                continue
            }
            // Names come from outside: a control or bidi character is shown, never sent (TerminalText).
            let character = TerminalText.cellCharacter(original)
            let width = DisplayWidth.of(character)
            if width == 0 { continue }
            if column + width > limit {
                if width == 2, column < limit, column >= 0 { cells[y * size.width + column] = Cell(" ", style) }
                return limit
            }
            if column >= 0 {
                breakWideCharacter(at: column, y: y)
                cells[y * size.width + column] = Cell(character, style)
                if width == 2, column + 1 < size.width {
                    breakWideCharacter(at: column + 1, y: y)
                    cells[y * size.width + column + 1] = Cell(Cell.continuationCharacter, style)
                }
            }
            column += width
        }
        return column
    }

    /// Changes the style of the cells in `rect`, keeping their characters (selection highlight).
    public mutating func restyle(_ rect: Rect, _ transform: (Style) -> Style) {
        let x0 = max(0, rect.x), x1 = min(size.width, rect.maxX)
        let y0 = max(0, rect.y), y1 = min(size.height, rect.maxY)
        guard x0 < x1, y0 < y1 else { return }
        for y in y0..<y1 {
            for x in x0..<x1 { cells[y * size.width + x].style = transform(cells[y * size.width + x].style) }
        }
    }

    /// Row `y` as plain text (continuation cells dropped), trailing spaces kept.
    public func text(row y: Int) -> String {
        var line = ""
        for x in 0..<size.width where !self[x, y].isContinuation { line.append(self[x, y].character) }
        return line
    }

    /// The whole buffer as text, one line per row, trailing spaces trimmed: the snapshot format.
    public var text: String {
        (0..<size.height).map { row in
            var line = text(row: row)
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// The positions whose cells differ from `previous` (all of them when the sizes differ), row by
    /// row, in runs: what the terminal layer must write. An identical frame yields nothing.
    public func changes(since previous: CellBuffer?) -> [CellRun] {
        var runs: [CellRun] = []
        let full = previous == nil || previous!.size != size
        for y in 0..<size.height {
            var x = 0
            while x < size.width {
                let index = y * size.width + x
                if full || cells[index] != previous!.cells[index] {
                    var end = x + 1
                    while end < size.width,
                          full || cells[y * size.width + end] != previous!.cells[y * size.width + end]
                            || cells[y * size.width + end].isContinuation {
                        end += 1
                    }
                    runs.append(CellRun(x: x, y: y, cells: Array(cells[index..<(y * size.width + end)])))
                    x = end
                } else {
                    x += 1
                }
            }
        }
        return runs
    }
}

/// Consecutive changed cells on one row.
public struct CellRun: Sendable, Equatable {
    public var x: Int
    public var y: Int
    public var cells: [Cell]

    public init(x: Int, y: Int, cells: [Cell]) { self.x = x; self.y = y; self.cells = cells }
}

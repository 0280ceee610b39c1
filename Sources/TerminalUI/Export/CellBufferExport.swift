/// A screen turned into something that can be saved or shown elsewhere: plain text for snapshots
/// and bug reports, ANSI for `cat` in a terminal, SVG for documentation.
public enum CellBufferExport {
    /// One line per row, trailing spaces removed, each line ending in "\n".
    public static func plainText(_ buffer: CellBuffer) -> String {
        guard buffer.size.height > 0 else { return "" }
        return buffer.text + "\n"
    }

    /// The attributes of every cell, one character per cell and one line per row, for tests that must see
    /// emphasis and not only text (a selection shown without colour): `.` none, else a hexadecimal digit
    /// of bold 1, underline 2, reverse 4, dim 8 added up (`4` reverse, `5` reverse and bold). Colours
    /// are left out. Trailing `.` are removed, as trailing spaces are from `plainText`.
    public static func attributes(_ buffer: CellBuffer) -> String {
        var output = ""
        for y in 0..<buffer.size.height {
            var line = ""
            for x in 0..<buffer.size.width {
                let style = buffer[x, y].style
                let bits = (style.bold ? 1 : 0) + (style.underline ? 2 : 0) + (style.reverse ? 4 : 0) + (style.dim ? 8 : 0)
                line.append(bits == 0 ? "." : Character(String(bits, radix: 16)))
            }
            while line.hasSuffix(".") { line.removeLast() }
            output += line + "\n"
        }
        return output
    }

    /// One line per row with SGR colour sequences, emitted only when the style changes. Every line
    /// that changed the style ends with a reset, so lines can be printed or cut independently.
    /// Trailing cells that would look blank anyway are left out.
    public static func ansi(_ buffer: CellBuffer) -> String {
        var output = ""
        for y in 0..<buffer.size.height {
            var current = Style.plain
            for x in 0..<visibleWidth(of: buffer, row: y) {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                output += SGR.transition(from: current, to: cell.style)
                current = cell.style
                output.append(SGR.printable(cell.character))
            }
            if current != .plain { output += SGR.reset }
            output += "\n"
        }
        return output
    }

    /// The number of leading cells of row `y` that show anything (a space shows nothing unless it
    /// has a background, is reversed or underlined).
    static func visibleWidth(of buffer: CellBuffer, row y: Int) -> Int {
        var width = buffer.size.width
        while width > 0 {
            let cell = buffer[width - 1, y]
            let style = cell.style
            let blank = cell.character == " " && style.background == .default && !style.reverse && !style.underline
            if !blank { break }
            width -= 1
        }
        return width
    }
}

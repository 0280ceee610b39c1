import TerminalUI

/// Drawing pieces that read from across a room: block digits and sparklines several rows tall.
extension Painter {
    /// A sparkline `rows` tall: each column is one value in 0…1 filled from the bottom in eighths.
    /// A column with no data stays blank, so a gap in the history shows as a gap.
    mutating func sparkline(_ values: [Double?], x: Int, y: Int, rows: Int, role: ThemeRole) {
        guard rows > 0 else { return }
        let levels = glyphs.sparkline
        let style = theme[role]
        for (column, value) in values.enumerated() {
            guard let value else { continue }
            // At least the lowest mark, so an idle host still shows that it was measured.
            var eighths = max(1, Int((min(max(value, 0), 1) * Double(rows * 8)).rounded()))
            for row in stride(from: rows - 1, through: 0, by: -1) where eighths > 0 {
                let here = min(8, eighths)
                buffer.write(String(levels[here - 1]), x: x + column, y: y + row, style: style)
                eighths -= here
            }
        }
    }

    /// Writes `text` (digits and a few signs) in a 3×5 block font, each dot `scale` cells square;
    /// returns the x after it.
    @discardableResult
    mutating func bigText(_ text: String, x: Int, y: Int, scale: Int = 1, role: ThemeRole) -> Int {
        let mark = String(repeating: String(glyphs.block), count: scale)
        let style = theme[role]
        var cursor = x
        for character in text {
            guard let rows = BigFont.rows[character] else { continue }
            for (offset, row) in rows.enumerated() {
                for (column, bit) in row.enumerated() where bit == "#" {
                    for line in 0..<scale {
                        buffer.write(mark, x: cursor + column * scale, y: y + offset * scale + line, style: style)
                    }
                }
            }
            cursor += (BigFont.width + 1) * scale
        }
        return cursor
    }
}

/// The block font for big numbers: 3 columns by 5 rows per character.
enum BigFont {
    static let width = 3
    static let height = 5

    /// Columns `text` takes in the big font at `scale` (one blank dot between characters).
    static func columns(_ text: String, scale: Int = 1) -> Int {
        let count = text.filter { rows[$0] != nil }.count
        return count == 0 ? 0 : (count * (width + 1) - 1) * scale
    }

    static let rows: [Character: [String]] = [
        "0": ["###", "# #", "# #", "# #", "###"],
        "1": [" # ", "## ", " # ", " # ", "###"],
        "2": ["###", "  #", "###", "#  ", "###"],
        "3": ["###", "  #", " ##", "  #", "###"],
        "4": ["# #", "# #", "###", "  #", "  #"],
        "5": ["###", "#  ", "###", "  #", "###"],
        "6": ["###", "#  ", "###", "# #", "###"],
        "7": ["###", "  #", "  #", " # ", " # "],
        "8": ["###", "# #", "###", "# #", "###"],
        "9": ["###", "# #", "###", "  #", "###"],
        ":": ["   ", " # ", "   ", " # ", "   "],
        "%": ["# #", "  #", " # ", "#  ", "# #"],
    ]
}

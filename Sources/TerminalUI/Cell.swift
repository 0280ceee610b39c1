/// One character cell of the screen. A wide character (CJK, some emoji) occupies its own cell plus
/// a `continuation` cell to its right, so columns always line up with the terminal's.
public struct Cell: Sendable, Equatable {
    public var character: Character
    public var style: Style

    public init(_ character: Character, _ style: Style = .plain) {
        self.character = character; self.style = style
    }

    public static let blank = Cell(" ")
    /// The right half of a wide character: never written by itself.
    public static let continuationCharacter: Character = "\u{0}"
    public var isContinuation: Bool { character == Cell.continuationCharacter }
}

/// Display width of characters in terminal columns (a small wcwidth: the ranges that matter for
/// names people give machines).
public enum DisplayWidth {
    public static func of(_ character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let v = scalar.value
        if v < 0x20 || (v >= 0x7F && v < 0xA0) { return 0 }
        if v < 0x300 { return 1 }
        // Borders, sparklines, arrows and dashes are drawn every frame: one column each, and no mark among them,
        // so they skip the category lookup below (which was most of a frame's width work).
        if (0x2500...0x25FF).contains(v) || (0x2190...0x21FF).contains(v) || (0x2010...0x2027).contains(v) { return 1 }
        if scalar.properties.generalCategory == .nonspacingMark
            || scalar.properties.generalCategory == .enclosingMark { return 0 }
        if (0x1100...0x115F).contains(v) || (0x2E80...0x303E).contains(v) || (0x3041...0x33FF).contains(v)
            || (0x3400...0x4DBF).contains(v) || (0x4E00...0x9FFF).contains(v) || (0xA000...0xA4CF).contains(v)
            || (0xAC00...0xD7A3).contains(v) || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v)
            || (0xFF00...0xFF60).contains(v) || (0xFFE0...0xFFE6).contains(v)
            || (0x1F300...0x1F64F).contains(v) || (0x1F900...0x1F9FF).contains(v)
            || (0x20000...0x3FFFD).contains(v) {
            return 2
        }
        return 1
    }

    public static func of(_ string: some StringProtocol) -> Int {
        // Most of a screen is printable ASCII, one column a byte: counted without forming Characters.
        if let ascii = printableASCIICount(string) { return ascii }
        return string.reduce(0) { $0 + of($1) }
    }

    /// The number of bytes when every one is printable ASCII (0x20-0x7E), else nil.
    static func printableASCIICount(_ string: some StringProtocol) -> Int? {
        if let string = string as? String { return printableASCIICount(string) }
        if let string = string as? Substring { return printableASCIICount(String(string)) }
        var count = 0
        for byte in string.utf8 {
            guard byte >= 0x20, byte < 0x7F else { return nil }
            count += 1
        }
        return count
    }

    /// The same for a String, over its contiguous UTF-8 (no generic iteration on the hot path).
    static func printableASCIICount(_ string: String) -> Int? {
        var string = string
        return string.withUTF8 { bytes in
            for byte in bytes where byte < 0x20 || byte >= 0x7F { return nil }
            return bytes.count
        }
    }

    /// The longest prefix of `string` that fits in `width` columns, with "…" (or "~" in ASCII mode)
    /// when something was cut.
    public static func truncate(_ string: String, to width: Int, ellipsis: Character = "…") -> String {
        guard width > 0 else { return "" }
        if of(string) <= width { return string }
        var result = ""
        var used = 0
        for character in string {
            let w = of(character)
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        result.append(ellipsis)
        return result
    }

    /// `string` cut or padded with spaces to exactly `width` columns.
    public static func pad(_ string: String, to width: Int, alignRight: Bool = false,
                           ellipsis: Character = "…") -> String {
        let cut = truncate(string, to: width, ellipsis: ellipsis)
        let padding = String(repeating: " ", count: max(0, width - of(cut)))
        return alignRight ? padding + cut : cut + padding
    }
}

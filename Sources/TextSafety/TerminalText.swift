/// The one way out to a terminal or a file for text stacktop did not write itself (names, descriptions,
/// error bodies from a cloud or a host): nothing in it may act on the terminal that shows it.
///
/// What is shown instead (README, "Hostile names"):
/// - C0 controls (U+0000-U+001F) as their Unicode control pictures, `␛` for ESC, `␇` for BEL, `␍` for
///   CR; newline (and tab) only where the format allows them;
/// - DEL (U+007F) as `␡`;
/// - C1 controls (U+0080-U+009F: U+009B is CSI on many terminals) and the bidirectional overrides,
///   embeddings, isolates and marks (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) as `�`.
/// Every replacement is one column wide, so widths stay what the terminal draws. Zero-width joiners are
/// left out, so an emoji sequence shows as its parts (as terminals without ZWJ support draw it anyway).
public enum TerminalText {
    public static let zeroWidthJoiner: Unicode.Scalar = "\u{200D}"

    public static func withoutJoiners(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: text.unicodeScalars.lazy.filter { $0 != zeroWidthJoiner })
        return String(scalars)
    }

    /// What `scalar` is shown as, or nil when it is safe as it is.
    @inline(__always)
    public static func replacement(for scalar: Unicode.Scalar, allowNewline: Bool = false,
                                   allowTab: Bool = false) -> Unicode.Scalar? {
        let v = scalar.value
        if v >= 0x20 && v < 0x7F { return nil }
        if v < 0x20 {
            if allowNewline && v == 0x0A { return nil }
            if allowTab && v == 0x09 { return nil }
            return Unicode.Scalar(0x2400 + v)
        }
        if v == 0x7F { return "\u{2421}" }
        if v < 0xA0 { return "\u{FFFD}" }
        if isDirectionalControl(v) { return "\u{FFFD}" }
        return nil
    }

    /// The bidirectional formatting characters that can reorder what follows them on a line.
    @inline(__always)
    public static func isDirectionalControl(_ v: UInt32) -> Bool {
        v == 0x061C || v == 0x200E || v == 0x200F || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
    }

    /// True when `text` has nothing to replace (the common case, checked without copying).
    public static func isSafe(_ text: some StringProtocol, allowNewline: Bool = false, allowTab: Bool = false) -> Bool {
        for scalar in text.unicodeScalars
        where scalar == zeroWidthJoiner || replacement(for: scalar, allowNewline: allowNewline, allowTab: allowTab) != nil {
            return false
        }
        return true
    }

    /// `text` with every unsafe scalar replaced by what it is shown as.
    public static func sanitize(_ text: some StringProtocol, allowNewline: Bool = false, allowTab: Bool = false) -> String {
        if isSafe(text, allowNewline: allowNewline, allowTab: allowTab) { return String(text) }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars where scalar != zeroWidthJoiner {
            out.append(replacement(for: scalar, allowNewline: allowNewline, allowTab: allowTab) ?? scalar)
        }
        return String(out)
    }

    /// One character for a cell: a character holding anything unsafe becomes the replacement of its first
    /// unsafe scalar (a cell is one grapheme; an escape sequence is many cells, each shown).
    @inline(__always)
    public static func cellCharacter(_ character: Character) -> Character {
        if character.isASCII, let ascii = character.asciiValue, ascii >= 0x20, ascii < 0x7F { return character }
        for scalar in character.unicodeScalars {
            if let shown = replacement(for: scalar) { return Character(shown) }
        }
        return character
    }
}

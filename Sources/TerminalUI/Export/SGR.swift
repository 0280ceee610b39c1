import TextSafety
/// Select Graphic Rendition sequences: how a terminal is told to change colours and attributes.
enum SGR {
    static let reset = "\u{1B}[0m"

    /// The shortest sequence that turns `from` into `to` (empty when they are equal): either the
    /// individual changes (22/24/27 switch attributes off) or a reset followed by the full style,
    /// whichever is fewer bytes.
    static func transition(from: Style, to: Style) -> String {
        if from == to { return "" }
        if to == .plain { return reset }
        var changes: [String] = []
        if (from.bold && !to.bold) || (from.dim && !to.dim) {
            changes.append("22")
            if to.bold { changes.append("1") }
            if to.dim { changes.append("2") }
        } else {
            if to.bold && !from.bold { changes.append("1") }
            if to.dim && !from.dim { changes.append("2") }
        }
        if to.underline != from.underline { changes.append(to.underline ? "4" : "24") }
        if to.reverse != from.reverse { changes.append(to.reverse ? "7" : "27") }
        if to.foreground != from.foreground { changes.append(code(to.foreground, layer: 3)) }
        if to.background != from.background { changes.append(code(to.background, layer: 4)) }

        let incremental = "\u{1B}[" + changes.joined(separator: ";") + "m"
        let fromReset = "\u{1B}[" + (["0"] + full(to)).joined(separator: ";") + "m"
        return fromReset.utf8.count < incremental.utf8.count ? fromReset : incremental
    }

    /// Every parameter needed to draw `style` starting from the plain style.
    private static func full(_ style: Style) -> [String] {
        var codes: [String] = []
        if style.bold { codes.append("1") }
        if style.dim { codes.append("2") }
        if style.underline { codes.append("4") }
        if style.reverse { codes.append("7") }
        if style.foreground != .default { codes.append(code(style.foreground, layer: 3)) }
        if style.background != .default { codes.append(code(style.background, layer: 4)) }
        return codes
    }

    /// `layer` is 3 for the foreground and 4 for the background (39/49, 38;5;N/48;5;N, 38;2;r;g;b).
    private static func code(_ color: Color, layer: Int) -> String {
        switch color {
        case .default: "\(layer)9"
        case .indexed(let index): "\(layer)8;5;\(index)"
        case .rgb(let r, let g, let b): "\(layer)8;2;\(r);\(g);\(b)"
        }
    }

    /// What may be sent for a cell's character: a control character in a cell (a VM name with an
    /// escape in it) must never reach the terminal as a command.
    static func printable(_ character: Character) -> Character {
        TerminalText.cellCharacter(character)
    }
}

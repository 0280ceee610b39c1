import TerminalUI

/// Drawing helpers over a cell buffer with the current theme and glyphs.
struct Painter {
    var buffer: CellBuffer
    let theme: Theme
    let glyphs: Glyphs

    init(size: Size, theme: Theme, glyphs: Glyphs) {
        self.buffer = CellBuffer(size: size, fill: Cell(" ", theme[.text]))
        self.theme = theme
        self.glyphs = glyphs
    }

    /// Writes `text` cut to `width` columns (with an ellipsis) and returns the x after it.
    @discardableResult
    mutating func text(_ text: String, x: Int, y: Int, width: Int? = nil, role: ThemeRole = .text,
                       style: Style? = nil, alignRight: Bool = false) -> Int {
        let s = style ?? theme[role]
        guard let width else { return buffer.write(text, x: x, y: y, style: s) }
        let fitted = DisplayWidth.pad(text, to: width, alignRight: alignRight, ellipsis: glyphs.ellipsis)
        return buffer.write(fitted, x: x, y: y, style: s, maxX: x + width)
    }

    mutating func fill(_ rect: Rect, role: ThemeRole) {
        buffer.fill(rect, with: Cell(" ", theme[role]))
    }

    /// A bordered box with a title in its top edge; returns the inside.
    @discardableResult
    mutating func box(_ rect: Rect, title: String? = nil, titleRole: ThemeRole = .title) -> Rect {
        guard rect.width >= 2, rect.height >= 2 else { return Rect(x: rect.x, y: rect.y, width: 0, height: 0) }
        let border = theme[.border]
        let h = String(glyphs.horizontal)
        buffer.write(String(glyphs.topLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.topRight),
                     x: rect.x, y: rect.y, style: border)
        buffer.write(String(glyphs.bottomLeft) + String(repeating: h, count: rect.width - 2) + String(glyphs.bottomRight),
                     x: rect.x, y: rect.maxY - 1, style: border)
        for y in (rect.y + 1)..<(rect.maxY - 1) {
            buffer.write(String(glyphs.vertical), x: rect.x, y: y, style: border)
            buffer.write(String(glyphs.vertical), x: rect.maxX - 1, y: y, style: border)
        }
        if let title, rect.width > 6 {
            text(" \(title) ", x: rect.x + 2, y: rect.y, width: min(DisplayWidth.of(title) + 2, rect.width - 4), role: titleRole)
        }
        return rect.inset(1)
    }

    /// A horizontal bar `width` wide filled to `fraction`.
    mutating func gauge(fraction: Double, x: Int, y: Int, width: Int, role: ThemeRole) {
        guard width > 0 else { return }
        let filled = min(width, Int((min(max(fraction, 0), 1) * Double(width)).rounded()))
        buffer.write(String(repeating: String(glyphs.gaugeFull), count: filled), x: x, y: y, style: theme[role])
        buffer.write(String(repeating: String(glyphs.gaugeEmpty), count: width - filled),
                     x: x + filled, y: y, style: theme[.gaugeEmpty])
    }
}

extension Painter {
    /// A role's colours on a dialog's background, so text inside dialogs and forms does not cut holes in it.
    func onDialog(_ role: ThemeRole) -> Style { theme[role].merged(over: theme[.dialog]) }

    /// The focused field of a dialog: the selection on the dialog, or, where the two look alike (both
    /// reverse video and no colour, as without colours), the dialog's opposite in bold.
    var selectionOnDialog: Style {
        let selection = onDialog(.selection), dialog = onDialog(.dialog)
        guard selection.foreground == dialog.foreground, selection.background == dialog.background,
              selection.reverse == dialog.reverse else { return selection }
        var distinct = selection
        distinct.reverse.toggle()
        distinct.bold = true
        return distinct
    }
}

import TerminalUI

/// The row action menu, hanging below the row it is about (above it when there is no room below).
enum RowMenuScreen {
    static func draw(_ menu: RowMenu, readOnly: Bool, over rect: Rect, into painter: inout Painter) {
        let keys = menu.items.map { painter.glyphs.label($0.key) }
        let texts = menu.items.map { $0.title + ($0.refused ? " (read-only)" : "") }
        let keyWidth = keys.map { DisplayWidth.of($0) }.max() ?? 1
        let textWidth = texts.map { DisplayWidth.of($0) }.max() ?? 1
        let width = min(rect.width, max(DisplayWidth.of(menu.title) + 6, keyWidth + textWidth + 5))
        let height = min(rect.height, menu.items.count + 2)
        var y = menu.anchorY + 1
        if y + height > rect.maxY { y = max(rect.y, menu.anchorY - height) }
        let x = max(rect.x, min(menu.anchorX, rect.maxX - width))
        let box = Rect(x: x, y: y, width: width, height: height)
        painter.fill(box, role: .dialog)
        let inner = painter.box(box, title: menu.title)
        guard inner.height > 0 else { return }
        // Scrolled so the chosen entry is always shown.
        let first = max(0, menu.cursor - inner.height + 1)
        for line in 0..<min(inner.height, menu.items.count - first) {
            let index = first + line
            let item = menu.items[index]
            let rowY = inner.y + line
            let chosen = index == menu.cursor
            let row = Rect(x: inner.x, y: rowY, width: inner.width, height: 1)
            let style = chosen ? painter.selectionOnDialog : painter.onDialog(item.refused ? .muted : .dialog)
            painter.buffer.fill(row, with: Cell(" ", style))
            painter.text(keys[index], x: inner.x + 1, y: rowY, width: keyWidth,
                         style: chosen ? style : painter.onDialog(item.refused ? .muted : .helpKey))
            painter.text(texts[index], x: inner.x + 2 + keyWidth, y: rowY, width: max(0, inner.width - keyWidth - 3), style: style)
            painter.regions.add(row, .menuItem(index))
        }
    }
}

import TerminalUI

/// The guest's recent serial output, newest at the bottom and followed live; `/` keeps only the
/// lines that contain the search text.
enum ConsoleLogScreen {
    static func draw(_ pane: ConsoleLogPane, in rect: Rect, into painter: inout Painter) {
        let dot = painter.glyphs.separator
        let following = pane.scrollFromEnd == 0 ? dot + "following" : dot + "scrolled back (G follows)"
        let searchNote = pane.search.isEmpty ? "" : dot + "lines with \"\(pane.search)\""
        let inner = painter.box(rect, title: "Console log\(dot)\(pane.name)\(following)\(searchNote)")
        guard let text = pane.text else {
            painter.text("Reading the serial output of \(pane.name)" + painter.glyphs.dots, x: inner.x + 1, y: inner.y,
                         width: inner.width - 2, role: .muted)
            return
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            String($0).filter { $0 != "\r" }
        }
        if lines.last == "" { lines.removeLast() }
        if !pane.search.isEmpty { let needle = pane.search.lowercased(); lines = lines.filter { $0.lowercased().contains(needle) } }
        let bodyHeight = max(0, inner.height - (pane.searching ? 1 : 0))
        guard !lines.isEmpty else {
            let why = pane.search.isEmpty ? "The guest has written nothing to its serial port yet."
                : "No line contains \"\(pane.search)\"."
            painter.text(why, x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            drawSearch(pane, inner: inner, into: &painter)
            return
        }
        let maxScroll = max(0, lines.count - bodyHeight)
        let end = lines.count - min(pane.scrollFromEnd, maxScroll)
        let start = max(0, end - bodyHeight)
        for (offset, line) in lines[start..<end].enumerated() {
            let matched = !pane.search.isEmpty
            painter.text(line, x: inner.x + 1, y: inner.y + offset, width: inner.width - 2, role: matched ? .accent : .text)
        }
        drawSearch(pane, inner: inner, into: &painter)
    }

    private static func drawSearch(_ pane: ConsoleLogPane, inner: Rect, into painter: inout Painter) {
        guard pane.searching else { return }
        let y = inner.maxY - 1
        let x = painter.text("/" + pane.search, x: inner.x + 1, y: y, width: min(inner.width - 3, DisplayWidth.of(pane.search) + 1),
                             role: .commandLine)
        painter.text("_", x: x, y: y, role: .accent)
    }
}

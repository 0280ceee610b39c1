import TerminalUI

/// `M` or `:messages`: the status line's recent messages, newest first, each with its time and its whole
/// text wrapped to the width, so a line the status bar cut short can be read in full.
enum MessagesScreen {
    static let timeWidth = 8

    /// The screen lines: (time or "", text, is error), newest message first.
    static func lines(_ log: MessageLog, width: Int, utcOffsetSeconds: Int = 0) -> [(time: String, text: String, isError: Bool)] {
        let textWidth = max(10, width - timeWidth - 3)
        return log.entries.reversed().flatMap { entry in
            let parts = ConfirmDialog.wrap(entry.text, width: textWidth)
            return parts.enumerated().map { index, part in
                (index == 0 ? Format.clock(entry.time.addingTimeInterval(Double(utcOffsetSeconds))) : "", part, entry.isError)
            }
        }
    }

    static func draw(_ log: MessageLog, scroll: Int, utcOffsetSeconds: Int = 0, in rect: Rect, into painter: inout Painter) {
        let zone = utcOffsetSeconds == 0 ? "times UTC" : "local times (\(Format.utcOffset(utcOffsetSeconds)))"
        let inner = painter.box(rect, title: "Messages (\(log.entries.count))\(painter.glyphs.separator)newest first, \(zone)")
        guard !log.entries.isEmpty else {
            painter.text("No messages yet: what the status line says is kept here, whole.", x: inner.x + 1, y: inner.y,
                         width: inner.width - 2, role: .muted)
            return
        }
        let lines = lines(log, width: inner.width - 2, utcOffsetSeconds: utcOffsetSeconds)
        let first = min(scroll, max(0, lines.count - inner.height))
        let textX = inner.x + 1 + timeWidth + 2
        for (offset, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            painter.text(line.time, x: inner.x + 1, y: y, width: timeWidth, role: .muted)
            painter.text(line.text, x: textX, y: y, width: max(0, inner.maxX - 1 - textX), role: line.isError ? .stateError : .text)
        }
        if lines.count > inner.height {
            let hint = " \(first + 1)-\(min(lines.count, first + inner.height))/\(lines.count) "
            painter.text(hint, x: rect.maxX - DisplayWidth.of(hint) - 2, y: rect.maxY - 1, role: .muted)
        }
    }
}

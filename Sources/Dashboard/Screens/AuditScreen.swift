import FoundationEssentials
import StacktopServices
import TerminalUI

/// `:audit`: every mutation stacktop sent, newest first, with how it ended.
enum AuditScreen {
    static func draw(_ records: [AuditRecord]?, scroll: Int, in rect: Rect, into painter: inout Painter) {
        let inner = painter.box(rect, title: "Audit log" + (records.map { " (\($0.count))" } ?? ""))
        guard let records else {
            painter.text("Loading the audit log" + painter.glyphs.dots, x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        guard !records.isEmpty else {
            painter.text("No actions yet: every start, stop, delete\(painter.glyphs.dots) sent from stacktop is listed here.",
                         x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        let timeWidth = 19, resultWidth = 9, projectWidth = 12
        let actionWidth = min(24, max(14, inner.width / 5))
        let targetWidth = max(8, inner.width - timeWidth - resultWidth - projectWidth - actionWidth - 6)
        var x = inner.x + 1
        for (title, width) in [("Time", timeWidth), ("Result", resultWidth), ("Project", projectWidth),
                               ("Action", actionWidth), ("Target" + painter.glyphs.separator + "error", targetWidth)] {
            x = painter.text(title, x: x, y: inner.y, width: width, role: .header) + 1
        }
        let visible = records.dropFirst(min(scroll, max(0, records.count - 1))).prefix(max(0, inner.height - 1))
        for (offset, record) in visible.enumerated() {
            let y = inner.y + 1 + offset
            let role: ThemeRole = switch record.result {
            case .succeeded: .stateRunning
            case .failed: .stateError
            case .refused: .statePaused
            }
            var x = inner.x + 1
            x = painter.text(String(Format.iso8601(record.time).dropLast().map { $0 == "T" ? " " : $0 }), x: x, y: y, width: timeWidth, role: .muted) + 1
            x = painter.text(record.result.rawValue, x: x, y: y, width: resultWidth, role: role) + 1
            x = painter.text(record.project ?? "-", x: x, y: y, width: projectWidth) + 1
            x = painter.text(record.action, x: x, y: y, width: actionWidth) + 1
            let dot = painter.glyphs.separator
            let detail = record.target + (record.error.map { dot + $0 } ?? "")
                + (record.requestIDs.isEmpty ? "" : dot + record.requestIDs.joined(separator: " "))
            painter.text(detail, x: x, y: y, width: targetWidth, role: record.error == nil ? .text : .statusError)
        }
    }
}

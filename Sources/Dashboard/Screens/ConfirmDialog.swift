import StacktopServices
import TerminalUI

/// The confirmation gate, drawn over whatever was on screen: the question, what exactly will be
/// touched, and (for data-destroying actions) a field where the name or count must be typed.
enum ConfirmDialog {
    static func draw(_ pending: PendingAction, over rect: Rect, into painter: inout Painter) {
        let request = pending.request
        let width = min(rect.width - 4, 76)
        let question = pending.confirmation.question ?? ""
        let lines = wrap(question, width: width - 4)
        let targets = request.targets.prefix(6).map { "\(painter.glyphs.bullet) " + $0 }
            + (request.targets.count > 6 ? ["\(painter.glyphs.dots) and \(request.targets.count - 6) more"] : [])
        let typing: Bool
        if case .typeText = pending.confirmation { typing = true } else { typing = false }
        let height = min(rect.height, lines.count + targets.count + (typing ? 6 : 4))
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + max(0, (rect.height - height) / 2),
                       width: width, height: height)
        painter.fill(box, role: .dialog)
        let title = request.action.traits.destructive ? "Confirm" + painter.glyphs.separator + request.action.traits.title : "Confirm"
        let inner = painter.box(box, title: title, titleRole: request.action.traits.destroysData ? .statusError : .title)
        var y = inner.y
        for line in lines where y < inner.maxY {
            painter.text(line, x: inner.x + 1, y: y, width: inner.width - 2, role: .dialog)
            y += 1
        }
        for target in targets where y < inner.maxY {
            painter.text(target, x: inner.x + 3, y: y, width: inner.width - 4, style: painter.onDialog(.accent))
            y += 1
        }
        y += 1
        if typing, y < inner.maxY {
            let field = "> " + pending.typed
            let x = painter.text(field, x: inner.x + 1, y: y, width: min(DisplayWidth.of(field), inner.width - 3),
                                 role: .commandLine)
            painter.text("_", x: min(x, inner.maxX - 2), y: y, style: painter.onDialog(.accent))
            y += 2
        }
        if y < inner.maxY {
            let dot = painter.glyphs.separator
            let hint = typing ? "Enter confirms\(dot)Esc cancels" : "y confirms\(dot)any other key cancels"
            painter.text(hint, x: inner.x + 1, y: y, width: inner.width - 2, style: painter.onDialog(.muted))
        }
    }

    /// Greedy word wrap by display width.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            let candidate = line.isEmpty ? String(word) : line + " " + word
            if DisplayWidth.of(candidate) > width, !line.isEmpty {
                lines.append(line)
                line = String(word)
            } else {
                line = candidate
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}

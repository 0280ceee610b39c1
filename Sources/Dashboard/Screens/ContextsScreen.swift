import StacktopServices
import TerminalUI
import TextSafety

/// `:ctx`: every context, the one in use marked `*`, the cursor on one; Enter switches to it.
enum ContextsScreen {
    static func draw(_ state: AppState, cursor: Int, in rect: Rect, into painter: inout Painter) {
        let contexts = state.contexts.contexts
        let inner = painter.box(rect, title: "Contexts (\(contexts.count))")
        guard inner.width > 4, inner.height > 0 else { return }
        let x0 = inner.x + 1, width = inner.width - 2
        var y = inner.y
        guard !contexts.isEmpty else {
            let lines = ["No contexts yet. Each libvirt host named under hosts: in",
                         "~/.config/stacktop/config.yaml is one (name: URI), and so is each cloud in",
                         "clouds.yaml; README's Contexts section has an example."]
            for (offset, line) in lines.enumerated() {
                painter.text(line, x: x0, y: y + offset, width: width, role: .muted)
            }
            drawProblems(state, from: y + lines.count, in: inner, into: &painter)
            return
        }
        let nameWidth = min(24, max(4, contexts.map { DisplayWidth.of(TerminalText.sanitize($0.name)) }.max() ?? 4))
        let kindWidth = 9, readOnlyWidth = 9
        let originWidth = min(22, max(6, contexts.map { DisplayWidth.of($0.origin) }.max() ?? 6))
        let endpointWidth = max(8, width - 2 - nameWidth - kindWidth - readOnlyWidth - originWidth - 4)
        let columns = [("Name", nameWidth), ("Kind", kindWidth), ("URI or auth URL", endpointWidth),
                       ("Read-only", readOnlyWidth), ("From", originWidth)]
        var x = painter.text("  ", x: x0, y: y, role: .header)
        for (title, columnWidth) in columns { x = painter.text(title, x: x, y: y, width: columnWidth, role: .header) + 1 }
        y += 1
        let rows = max(1, inner.maxY - y - 1)
        let first = min(max(0, cursor - rows + 1), max(0, contexts.count - rows))
        for (index, context) in contexts.enumerated().dropFirst(first).prefix(rows) {
            let chosen = index == cursor
            let role: ThemeRole = chosen ? .selection : .text
            if chosen { painter.fill(Rect(x: x0, y: y, width: width, height: 1), role: .selection) }
            let current = context.name == state.currentContext
            var x = painter.text(current ? "* " : "  ", x: x0, y: y, width: 2, role: chosen ? .selection : .accent)
            let cells = [context.name, context.kind.rawValue, context.endpoint.isEmpty ? "-" : context.endpoint,
                         context.readOnly ? "yes" : "no", context.origin]
            for ((_, columnWidth), cell) in zip(columns, cells) {
                x = painter.text(cell, x: x, y: y, width: columnWidth, role: role) + 1
            }
            y += 1
        }
        y = drawProblems(state, from: y, in: inner, into: &painter)
        if y < inner.maxY {
            let dot = painter.glyphs.separator
            let hint = "* in use" + dot + "Enter switches to the context under the cursor" + dot + "Esc back"
                + (state.currentContext == nil ? dot + "what the command line opened is none of these" : "")
            painter.text(hint, x: x0, y: inner.maxY - 1, width: width, role: .muted)
        }
    }

    /// Why some contexts may be missing (a clouds.yaml that could not be read).
    @discardableResult
    private static func drawProblems(_ state: AppState, from top: Int, in inner: Rect, into painter: inout Painter) -> Int {
        var y = top
        for problem in state.contexts.problems where y < inner.maxY - 1 {
            painter.text(problem, x: inner.x + 1, y: y, width: inner.width - 2, role: .statusError)
            y += 1
        }
        return y
    }
}

/// The `:` line's candidates, drawn just above it (it is the bottom line), the chosen one highlighted.
enum CommandPaletteView {
    static let rowsShown = 6

    static func draw(_ state: AppState, aboveRow bottom: Int, into painter: inout Painter) {
        let palette = state.palette
        guard palette.isOpen, case .command = state.input else { return }
        let count = min(rowsShown, palette.candidates.count)
        let widest = palette.candidates.map { DisplayWidth.of($0) }.max() ?? 0
        let more = "\(palette.selected + 1)/\(palette.candidates.count)"
        let width = min(state.size.width, max(widest, DisplayWidth.of(more)) + 4)
        let x = min(max(0, DisplayWidth.of(":" + palette.base) - 1), state.size.width - width)
        let top = bottom - count - 1
        guard top >= 2 else { return }
        let first = min(max(0, palette.selected - count + 1), palette.candidates.count - count)
        painter.fill(Rect(x: x, y: top, width: width, height: count + 1), role: .dialog)
        painter.text(more, x: x + width - DisplayWidth.of(more) - 1, y: top, style: painter.onDialog(.muted))
        for row in 0..<count {
            let index = first + row
            let chosen = index == palette.selected
            painter.text(" " + palette.candidates[index], x: x, y: top + 1 + row, width: width,
                         style: chosen ? painter.theme[.selection] : painter.onDialog(.text))
        }
    }
}

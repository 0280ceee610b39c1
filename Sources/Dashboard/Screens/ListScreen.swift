import StacktopModel
import TerminalUI

/// A resource table in a box: title with counts, filter and sort; header; rows; selection.
enum ListScreen {
    static func draw(_ state: AppState, in rect: Rect, into painter: inout Painter) {
        guard let table = state.panel.table, let model = state.tables[state.panel] else { return }
        var title = "\(table.title) (\(model.count)"
        if model.count != model.rows.count { title += " of \(model.rows.count)" }
        title += ")"
        if !model.filter.isEmpty { title += " filter: \(model.filter)" }
        if !model.marked.isEmpty {
            title += painter.glyphs.separator + "\(model.marked.count) marked"
            let hidden = model.marked.count - model.markedInDisplayOrder.count
            if hidden > 0 { title += " (\(hidden) hidden by the filter)" }
        }
        let inner = painter.box(rect, title: title)
        guard inner.height >= 2 else { return }
        let columns = table.columns(for: state.snapshot)
        let layout = TableLayout(specs: columns, width: inner.width - 2, content: model.contentWidths)
        let x0 = inner.x + 1
        // Header, with the sort arrow on the sorted column.
        for column in layout.columns {
            let spec = columns[column.index]
            var label = spec.title
            if column.index == model.sortColumn {
                label.append(model.sortAscending ? painter.glyphs.sortAscending : painter.glyphs.sortDescending)
            }
            painter.text(label, x: x0 + column.x, y: inner.y, width: column.width, role: .header, alignRight: spec.alignRight)
        }
        let bodyHeight = inner.height - 1
        if model.rows.isEmpty || model.count == 0 {
            // Why it is empty, when the backend says: a service the cloud lacks, or a kind the backend has
            // no such thing as (a libvirt host's floating IPs), from its capabilities.
            let unavailable = state.snapshot?.unavailability(of: table.title)?.reason
                ?? state.capabilitiesWhenWritable.unsupportedKinds[table.kind]
            let message = model.rows.isEmpty ? (unavailable ?? "No \(table.title.lowercased()) yet.")
                : "No row matches \"\(model.filter)\"; press Esc to clear the filter."
            for (offset, line) in ConfirmDialog.wrap(message, width: inner.width - 2).prefix(max(1, bodyHeight)).enumerated() {
                painter.text(line, x: x0, y: inner.y + 1 + offset, width: inner.width - 2, role: .muted)
            }
            return
        }
        let first = min(model.scroll, max(0, model.count - 1))
        for line in 0..<bodyHeight {
            let position = first + line
            guard position < model.count else { break }
            let row = model.rows[model.visible[position]]
            let y = inner.y + 1 + line
            // A wall has no cursor: a highlighted row there would only look like an alarm.
            let selected = position == model.cursor && state.wall == nil
            let marked = model.marked.contains(row.id)
            painter.regions.add(Rect(x: inner.x, y: y, width: inner.width, height: 1), .row(position: position))
            if marked { painter.text("*", x: inner.x, y: y, role: .marked) }
            for column in layout.columns {
                let spec = columns[column.index]
                let value = column.index < row.values.count ? row.values[column.index] : .missing
                let role = (column.index < row.roles.count ? row.roles[column.index] : nil) ?? (marked ? .marked : .text)
                let text = value == .marker(true) ? String(painter.glyphs.lock) : value.display(now: state.now)
                painter.text(text, x: x0 + column.x, y: y, width: column.width, role: role,
                             alignRight: spec.alignRight)
            }
            if selected {
                let selection = painter.theme[.selection]
                painter.buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { _ in selection }
            }
        }
        // A scroll position hint in the bottom border when not everything fits.
        if model.count > bodyHeight {
            let hint = " \(model.cursor + 1)/\(model.count) "
            painter.text(hint, x: rect.maxX - DisplayWidth.of(hint) - 2, y: rect.maxY - 1, role: .muted)
        }
    }
}

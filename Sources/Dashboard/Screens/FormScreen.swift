import TerminalUI

/// A form over the list it acts on: notes (quota left), one line per field, the focused field's help,
/// and the error of the last submit.
enum FormScreen {
    static func draw(_ form: FormState, over rect: Rect, into painter: inout Painter) {
        let width = min(rect.width - 4, 90)
        let height = min(rect.height, form.notes.count + form.fields.count + 6)
        let box = Rect(x: rect.x + (rect.width - width) / 2, y: rect.y + max(0, (rect.height - height) / 2),
                       width: width, height: height)
        painter.fill(box, role: .dialog)
        let inner = painter.box(box, title: form.title)
        var y = inner.y
        for note in form.notes where y < inner.maxY {
            painter.text(note, x: inner.x + 1, y: y, width: inner.width - 2, style: painter.onDialog(.muted))
            y += 1
        }
        if !form.notes.isEmpty { y += 1 }
        let labelWidth = min(18, max(8, form.fields.map { DisplayWidth.of($0.label) }.max() ?? 8) + 1)
        for (index, field) in form.fields.enumerated() where y < inner.maxY - 2 {
            let focused = index == form.focus
            let label = field.label + (field.required ? "*" : "")
            painter.text(label, x: inner.x + 1, y: y, width: labelWidth, style: painter.onDialog(focused ? .accent : .text))
            let valueX = inner.x + 2 + labelWidth
            painter.text(display(field.value, focused: focused), x: valueX, y: y,
                         width: max(0, inner.maxX - valueX - 1), style: focused ? painter.selectionOnDialog : painter.onDialog(.dialog))
            y += 1
        }
        let footerY = inner.maxY - 1
        if let error = form.error {
            painter.text(error, x: inner.x + 1, y: footerY - 1, width: inner.width - 2, style: painter.onDialog(.statusError))
        } else if form.fields.indices.contains(form.focus), !form.fields[form.focus].help.isEmpty {
            painter.text(form.fields[form.focus].help, x: inner.x + 1, y: footerY - 1, width: inner.width - 2, style: painter.onDialog(.muted))
        }
        painter.text(["Tab next", "\(painter.glyphs.arrowLeft)\(painter.glyphs.arrowRight) choose", "Enter submit", "Esc cancel", "* required"]
            .joined(separator: painter.glyphs.separator), x: inner.x + 1, y: footerY,
                     width: inner.width - 2, style: painter.onDialog(.muted))
    }

    static func display(_ value: FormField.Value, focused: Bool) -> String {
        switch value {
        case .text(let text):
            return text + (focused ? "_" : "")
        case .choice(let options, let selected):
            guard options.indices.contains(selected) else { return "(nothing to choose from)" }
            return "‹ " + options[selected] + " ›" + (options.count > 1 ? "  \(selected + 1)/\(options.count)" : "")
        case .multiChoice(let options, let selected):
            guard !options.isEmpty else { return "(nothing to choose from)" }
            return options.enumerated().map { index, name in
                (selected.contains(index) ? "[x] " : "[ ] ") + "\(index + 1) \(name)"
            }.joined(separator: "  ")
        }
    }
}

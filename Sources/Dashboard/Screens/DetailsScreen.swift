import StacktopModel
import StacktopServices
import TerminalUI

/// Every field of one resource, in titled sections, scrollable.
enum DetailsScreen {
    static func draw(_ state: AppState, panel: Panel, id: String, scroll: Int, in rect: Rect, into painter: inout Painter) {
        guard let snapshot = state.snapshot, let table = panel.table,
              var sections = table.details(snapshot, id) else { return }
        // What only the backend can add (a libvirt host: the network filter a security group becomes).
        for block in snapshot.extraDetails[DetailBlock.key(kind: table.kind.rawValue, id: id)] ?? [] {
            sections.append(DetailSection(block.title, block.lines.map { ("", $0) }))
        }
        let name = sections.first?.lines.first?.value ?? id
        let inner = painter.box(rect, title: "\(table.itemWord.capitalized) \(name)")
        let lines = layout(sections, width: inner.width - 2)
        let first = min(scroll, max(0, lines.count - inner.height))
        for (offset, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            switch line {
            case .section(let title):
                painter.text(title, x: inner.x + 1, y: y, width: inner.width - 2, role: .title)
            case .field(let label, let value):
                painter.text(label, x: inner.x + 3, y: y, width: labelWidth, role: .muted)
                painter.text(value, x: inner.x + 3 + labelWidth + 1, y: y, width: max(0, inner.width - labelWidth - 5))
            case .blank:
                break
            }
        }
        if lines.count > inner.height {
            let hint = " \(first + 1)-\(min(lines.count, first + inner.height))/\(lines.count) "
            painter.text(hint, x: rect.maxX - DisplayWidth.of(hint) - 2, y: rect.maxY - 1, role: .muted)
        }
    }

    static let labelWidth = 18

    enum Line: Equatable { case section(String), field(String, String), blank }

    /// Sections as screen lines; long values wrap onto following lines.
    static func layout(_ sections: [DetailSection], width: Int) -> [Line] {
        let valueWidth = max(10, width - labelWidth - 3)
        var lines: [Line] = []
        for section in sections {
            if !lines.isEmpty { lines.append(.blank) }
            lines.append(.section(section.title))
            for field in section.lines {
                let chunks = wrap(field.value, width: valueWidth)
                lines.append(.field(field.label, chunks.first ?? ""))
                for chunk in chunks.dropFirst() { lines.append(.field("", chunk)) }
            }
        }
        return lines
    }

    static func wrap(_ text: String, width: Int) -> [String] {
        var chunks: [String] = []
        var current = ""
        var used = 0
        for character in text {
            let w = DisplayWidth.of(character)
            if used + w > width { chunks.append(current); current = ""; used = 0 }
            current.append(character)
            used += w
        }
        chunks.append(current)
        return chunks
    }
}

/// The raw definition of an instance (its libvirt domain XML), scrollable.
enum RawScreen {
    static func draw(name: String, text: String?, scroll: Int, in rect: Rect, into painter: inout Painter,
                     title: String? = nil) {
        let inner = painter.box(rect, title: title ?? "\(name) · libvirt XML")
        guard let text else {
            painter.text("Loading…", x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let first = min(scroll, max(0, lines.count - inner.height))
        for (offset, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            painter.text(String(line).replacingTabs(), x: inner.x + 1, y: inner.y + offset, width: inner.width - 2,
                         role: line.trimmingLeadingSpaces.hasPrefix("<!--") ? .muted : .text)
        }
        if lines.count > inner.height {
            let hint = " \(first + 1)-\(min(lines.count, first + inner.height))/\(lines.count) "
            painter.text(hint, x: rect.maxX - DisplayWidth.of(hint) - 2, y: rect.maxY - 1, role: .muted)
        }
    }
}

extension String {
    func replacingTabs() -> String {
        contains("\t") ? split(separator: "\t", omittingEmptySubsequences: false).joined(separator: "    ") : self
    }
}

extension Substring {
    var trimmingLeadingSpaces: Substring { drop { $0 == " " } }
}

/// Every key of the screen the help was opened from, generated from the key map.
enum HelpScreen {
    static func draw(_ state: AppState, context: KeyContext, in rect: Rect, into painter: inout Painter) {
        let screen: String
        switch context {
        case .list: screen = state.panel.title
        case .overview: screen = "Overview"
        case .details: screen = "Details"
        case .raw: screen = "Raw definition"
        case .help: screen = "Help"
        case .confirm: screen = "Confirmation"
        case .audit: screen = "Audit log"
        case .form: screen = "Form"
        case .consoleLog: screen = "Console log"
        case .consoleTakeover: screen = "Busy console"
        }
        let inner = painter.box(rect, title: "Keys · \(screen)")
        var y = inner.y
        let kind = state.panel.resourceKind
        for binding in KeyMap.bindings(for: context, actions: state.offeredActions, kind: kind) where y < inner.maxY {
            let keys: String
            if case .panel = binding.command {
                keys = "1-9 0"
            } else {
                keys = binding.keys.map(\.label).joined(separator: " ")
            }
            // Read-only: mutating keys are listed greyed, so the wall screen still documents them honestly.
            let greyed: Bool
            if case .action = binding.command { greyed = state.readOnly } else { greyed = false }
            painter.text(keys, x: inner.x + 2, y: y, width: 18, role: greyed ? .muted : .helpKey)
            painter.text(binding.help + (greyed ? " (not in read-only mode)" : ""), x: inner.x + 21, y: y,
                         width: max(0, inner.width - 22), role: greyed ? .muted : .text)
            y += 1
        }
        if y + 1 < inner.maxY {
            painter.text("Commands: :instances :vm :images :vol :net :sg :quota :flavors :keypairs :projects "
                         + ":audit :theme NAME :refresh :q", x: inner.x + 2, y: y + 1, width: inner.width - 4, role: .muted)
            if y + 2 < inner.maxY {
                painter.text("Actions:  :KIND ACTION NAME [--option value], e.g. :server stop web-01, "
                             + ":server reboot web-01 --hard", x: inner.x + 2, y: y + 2, width: inner.width - 4, role: .muted)
            }
        }
    }
}

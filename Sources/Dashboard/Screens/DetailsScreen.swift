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
        var lines = layout(sections, width: inner.width - 2)
        if panel == .instances, let instance = snapshot.instances.first(where: { $0.id == id }) {
            lines += LiveSection.lines(instance, track: state.liveStatistics.tracks[id], note: state.backend.liveStatisticsNote,
                                       width: inner.width - 2)
        }
        let first = min(scroll, max(0, lines.count - inner.height))
        for (offset, line) in lines.dropFirst(first).prefix(inner.height).enumerated() {
            let y = inner.y + offset
            switch line {
            case .section(let title):
                painter.text(title, x: inner.x + 1, y: y, width: inner.width - 2, role: .title)
            case .field(let label, let value):
                painter.text(label, x: inner.x + 3, y: y, width: labelWidth, role: .muted)
                painter.text(value, x: inner.x + 3 + labelWidth + 1, y: y, width: max(0, inner.width - labelWidth - 5))
            case .graph(let label, let values, let caption):
                painter.text(label, x: inner.x + 3, y: y, width: labelWidth, role: .muted)
                let x = inner.x + 3 + labelWidth + 1
                painter.sparkline(values, x: x, y: y, rows: 1, role: .accent)
                painter.text(caption, x: x + values.count + 1, y: y,
                             width: max(0, inner.width - labelWidth - 6 - values.count))
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

    enum Line: Equatable {
        case section(String), field(String, String), blank
        /// A one-row sparkline of values in 0…1, then what the latest one reads.
        case graph(String, [Double?], String)
    }

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
        let inner = painter.box(rect, title: title ?? name + painter.glyphs.separator + "libvirt XML")
        guard let text else {
            painter.text("Loading" + painter.glyphs.dots, x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
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

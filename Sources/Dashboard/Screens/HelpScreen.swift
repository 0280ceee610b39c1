import StacktopServices
import TerminalUI

/// One screen line of the help: a heading, a key with what it does, or the rest of a long description.
struct HelpLine: Equatable {
    enum Kind: Equatable { case heading, key, more }
    var kind: Kind
    var keys: String
    var text: String
    /// Read-only refuses it: listed greyed, with "(read-only)".
    var greyed: Bool
}

/// What the help lists, generated from the key map (`KeyMap.sections`) so it cannot drift from what
/// the keys do: the screen's own keys, moving, the keys that work everywhere, then the `:` commands.
enum HelpContent {
    static let keyWidth = 18

    /// The help's lines for the pane at the state's size, after its filter.
    static func lines(_ state: AppState, pane: HelpPane) -> [HelpLine] {
        let textWidth = max(10, state.size.width - 5 - keyWidth - 1)
        let kind = state.panel.resourceKind
        var sections: [(String, [HelpLine])] = KeyMap.sections(for: pane.context, actions: state.offeredActions, kind: kind).map { section in
            (section.title, section.bindings.flatMap { binding in
                let greyed = state.readOnly && binding.command.refusedWhenReadOnly
                let keys: String
                if case .panel = binding.command {
                    keys = "1-9 0"
                } else {
                    keys = binding.keys.map { state.glyphs.label($0) }.joined(separator: " ")
                }
                return entry(keys: keys, text: binding.help + (greyed ? " (read-only)" : ""), greyed: greyed, width: textWidth)
            })
        }
        if KeyMap.bindings(for: pane.context).contains(where: { $0.command == .startCommand }) {
            sections.append(("Commands after :", commands(glyphs: state.glyphs).flatMap {
                entry(keys: $0.0, text: $0.1, greyed: false, width: textWidth)
            }))
        }
        let needle = pane.filter.lowercased()
        var lines: [HelpLine] = []
        for (title, entries) in sections {
            var kept = entries
            if !needle.isEmpty {
                // A description continued on more lines is kept or dropped whole.
                var groups: [[HelpLine]] = []
                for line in entries {
                    if line.kind == .more, !groups.isEmpty { groups[groups.count - 1].append(line) } else { groups.append([line]) }
                }
                kept = groups.filter { group in
                    group.contains { $0.keys.lowercased().contains(needle) || $0.text.lowercased().contains(needle) }
                }.flatMap { $0 }
            }
            guard !kept.isEmpty else { continue }
            lines.append(HelpLine(kind: .heading, keys: "", text: title, greyed: false))
            lines += kept
        }
        return lines
    }

    /// A key and its description, wrapped to `width` onto more lines.
    static func entry(keys: String, text: String, greyed: Bool, width: Int) -> [HelpLine] {
        let wrapped = ConfirmDialog.wrap(text, width: width)
        return wrapped.enumerated().map { index, part in
            HelpLine(kind: index == 0 ? .key : .more, keys: index == 0 ? keys : "", text: part, greyed: greyed)
        }
    }

    /// The `:` commands: one per panel from the panels' own words, then the others.
    static func commands(glyphs: Glyphs) -> [(String, String)] {
        Panel.allCases.map { panel -> String in
            // Its own word and its shortest alias: ":instances :vm".
            let shortest = panel.commandAliases.dropFirst().min { $0.count < $1.count }
            return ([panel.word] + (shortest.map { [$0] } ?? [])).map { ":" + $0 }.joined(separator: " ")
        }.enumerated().map { index, words in
            (words, "the \(Panel.allCases[index].title) panel")
        } + [
            (":KIND ACTION NAME", "any action with its options, e.g. :server stop web-01, :server reboot web-01 --hard"),
            (":messages", "the recent status messages in full, newest first"),
            (":audit", "the audit log: every action sent, with its result"),
            (":topology", "networks and the instances on each"),
            (":project NAME", "work in another project (quotas, owner of what is created)"),
            (":ctx [NAME]", "the contexts (hosts in stacktop's config.yaml, clouds in clouds.yaml); :ctx NAME switches to one"),
            (":console :log :vnc", "serial console, console log, VNC display of the selected (or named) instance"),
            (":theme NAME", "default, light, high-contrast, mono, or a theme file's path"),
            (":filter TEXT", "filter the rows, as / does"),
            (":refresh", "read the backend now"),
            (":help", "this help"),
            (":q", "quit"),
        ]
    }

    /// Lines the help shows at once at `size` (the content area less the box, and less the filter line).
    static func visibleLines(for size: Size, pane: HelpPane? = nil) -> Int {
        let filterLine = pane.map { $0.filtering || !$0.filter.isEmpty } ?? false
        return max(1, size.height - 4 - 2 - (filterLine ? 1 : 0))
    }
}

/// Every key of the screen the help was opened from and the keys that work everywhere, scrollable and
/// filtered with `/`.
enum HelpScreen {
    static func title(_ state: AppState, context: KeyContext) -> String {
        switch context {
        case .list: state.panel.title
        case .overview: "Overview"
        case .details: "Details"
        case .raw: "Raw definition"
        case .help: "Help"
        case .confirm: "Confirmation"
        case .audit: "Audit log"
        case .messages: "Messages"
        case .form: "Form"
        case .consoleLog: "Console log"
        case .consoleTakeover: "Busy console"
        case .menu: "Actions menu"
        }
    }

    static func draw(_ state: AppState, pane: HelpPane, in rect: Rect, into painter: inout Painter) {
        let inner = painter.box(rect, title: "Keys\(painter.glyphs.separator)\(title(state, context: pane.context))")
        guard inner.height > 0 else { return }
        var top = inner.y
        if pane.filtering || !pane.filter.isEmpty {
            painter.text("/" + pane.filter, x: inner.x + 1, y: top, width: inner.width - 3, role: .commandLine)
            let x = inner.x + 1 + DisplayWidth.of("/" + pane.filter)
            if pane.filtering { painter.text("_", x: min(x, inner.maxX - 2), y: top, role: .accent) }
            top += 1
        }
        let lines = HelpContent.lines(state, pane: pane)
        let height = inner.maxY - top
        if lines.isEmpty {
            painter.text("No key matches \"\(pane.filter)\"; Esc clears the filter.", x: inner.x + 2, y: top,
                         width: inner.width - 4, role: .muted)
            return
        }
        let first = min(pane.scroll, max(0, lines.count - height))
        let textX = inner.x + 2 + HelpContent.keyWidth + 1
        for (offset, line) in lines.dropFirst(first).prefix(height).enumerated() {
            let y = top + offset
            switch line.kind {
            case .heading:
                painter.text(line.text, x: inner.x + 1, y: y, width: inner.width - 2, role: .title)
            case .key, .more:
                painter.text(line.keys, x: inner.x + 2, y: y, width: HelpContent.keyWidth, role: line.greyed ? .muted : .helpKey)
                painter.text(line.text, x: textX, y: y, width: max(0, inner.maxX - 1 - textX), role: line.greyed ? .muted : .text)
            }
        }
        if lines.count > height {
            let hint = " \(first + 1)-\(min(lines.count, first + height))/\(lines.count) "
            painter.text(hint, x: rect.maxX - DisplayWidth.of(hint) - 2, y: rect.maxY - 1, role: .muted)
        }
    }
}

import StacktopServices
import TerminalUI

/// Everything a key can ask the dashboard to do. The key map binds keys to these per screen, and the
/// help screen is generated from the same bindings, so it always lists exactly what works.
public enum Command: Sendable, Equatable {
    case up, down, top, bottom, pageUp, pageDown
    case nextPanel, previousPanel, panel(Panel)
    case openDetails, showRaw, back
    case startFilter, startCommand, help
    case sortNext, sortReverse
    case mark
    case refresh, redraw, quit
    /// A mutation on the marked rows, or the selected one.
    case action(ActionKind)
    case showAudit
    /// At the confirmation gate: `y` on a yes/no question.
    case confirmYes
    /// The selected instance's serial console (`stacktop console NAME` from the shell).
    case console
    case consoleLog
    case vnc
    /// Right after the serial console was found busy: open it anyway, taking it from its user.
    case takeOverConsole
    /// The recent status messages in full, newest first (`:messages`).
    case showMessages
    /// Ctrl-Z: give the terminal back and stop, as a shell job; `fg` brings the dashboard back.
    case suspend
    /// The selected row's actions menu (also a right click on the row).
    case actionMenu
}

extension Command {
    /// Moves between panels and rows and nothing else: safe to apply before the backend is open.
    public var onlyMoves: Bool {
        switch self {
        case .up, .down, .top, .bottom, .pageUp, .pageDown, .nextPanel, .previousPanel, .panel: true
        default: false
        }
    }

    /// Refused in read-only mode: mutations, and typing into a guest (serial console) or seeing its
    /// screen (VNC), which the dashboard refuses there. Help lists these greyed.
    public var refusedWhenReadOnly: Bool {
        switch self {
        case .action, .console, .vnc, .takeOverConsole: true
        default: false
        }
    }
}

public struct KeyBinding: Sendable {
    public var keys: [Key]
    public var command: Command
    public var help: String
}

/// Bindings under a heading, as the help screen shows them.
public struct KeySection: Sendable {
    public var title: String
    public var bindings: [KeyBinding]
}

/// The screens that have their own keys.
public enum KeyContext: Sendable, Equatable {
    case list, overview, details, raw, help, confirm, audit, form, consoleLog, messages
    /// The row action menu.
    case menu
    /// The one key after a busy serial console, before the screen's own keys.
    case consoleTakeover
}

public enum KeyMap {
    static let movement: [KeyBinding] = [
        KeyBinding(keys: [.up, .character("k")], command: .up, help: "move up"),
        KeyBinding(keys: [.down, .character("j")], command: .down, help: "move down"),
        KeyBinding(keys: [.home, .character("g")], command: .top, help: "go to the first row"),
        KeyBinding(keys: [.end, .character("G")], command: .bottom, help: "go to the last row"),
        KeyBinding(keys: [.pageUp, .ctrl("b")], command: .pageUp, help: "page up"),
        KeyBinding(keys: [.pageDown, .ctrl("f")], command: .pageDown, help: "page down"),
    ]

    static let global: [KeyBinding] = [
        KeyBinding(keys: [.tab, .right, .character("l")], command: .nextPanel, help: "next panel"),
        KeyBinding(keys: [.backTab, .left, .character("h")], command: .previousPanel, help: "previous panel"),
        KeyBinding(keys: Panel.allCases.map { .character($0.digit) }, command: .panel(.overview),
                   help: "jump to panel 1-9, 0 (Overview ... Projects)"),
        KeyBinding(keys: [.character(":")], command: .startCommand,
                   help: "command: :vm :images :vol :net :sg :quota :audit :ctx :theme NAME :q; :KIND ACTION NAME; "
                       + "Tab completes, Up/Down recall earlier commands"),
        KeyBinding(keys: [.character("r"), .ctrl("r")], command: .refresh, help: "refresh now"),
        KeyBinding(keys: [.ctrl("l")], command: .redraw, help: "redraw the screen"),
        KeyBinding(keys: [.character("M")], command: .showMessages,
                   help: "messages: the recent status lines in full, newest first (also :messages)"),
        KeyBinding(keys: [.character("?"), .function(1)], command: .help, help: "this help"),
        KeyBinding(keys: [.ctrl("z")], command: .suspend, help: "suspend to the shell; fg comes back"),
        KeyBinding(keys: [.character("q")], command: .quit, help: "quit"),
    ]

    /// Bindings for the actions a list offers, generated from `ActionKind.traits` so keys, help and
    /// behaviour cannot drift apart.
    public static func actionBindings(_ actions: [ActionKind], kind: ResourceKind?) -> [KeyBinding] {
        actions.compactMap { action in
            guard let key = action.traits.key else { return nil }
            let noun = kind?.noun ?? "item"
            let care = action.traits.destroysData ? " (type the name to confirm)" : action.traits.destructive ? " (asks y)" : ""
            let what: String
            switch action {
            case .create, .upload: what = "\(action.traits.title.lowercased()) a new \(noun) (a form asks for the details)"
            case .attachVolume: what = "attach a volume to the selected \(noun)"
            case .detachVolume: what = "detach a volume from the selected \(noun)"
            case .associate: what = "associate the selected \(noun) with a port"
            case .disassociate: what = "disassociate the selected \(noun)"
            default: what = "\(action.traits.title.lowercased()) the marked or selected \(noun)"
            }
            return KeyBinding(keys: [.character(key)], command: .action(action), help: what + care)
        }
    }

    /// Console, console log and VNC: instances only.
    static func consoleBindings(kind: ResourceKind?) -> [KeyBinding] {
        guard kind == .instance else { return [] }
        return [
            KeyBinding(keys: [.character("C")], command: .console, help: "serial console of the instance (the escape key, Ctrl-] by default, comes back)"),
            KeyBinding(keys: [.character("T")], command: .consoleLog, help: "console log: the guest's recent serial output"),
            KeyBinding(keys: [.character("V")], command: .vnc, help: "VNC display: open a viewer, or how to reach it over SSH"),
        ] + takeover
    }

    /// Offered for one key when the serial console was busy.
    static let takeover = [
        KeyBinding(keys: [.character("F")], command: .takeOverConsole,
                   help: "right after C finds the console busy: take it over (otherwise F is resize)"),
    ]

    public static func bindings(for context: KeyContext, actions: [ActionKind] = [], kind: ResourceKind? = nil) -> [KeyBinding] {
        sections(for: context, actions: actions, kind: kind).flatMap(\.bindings)
    }

    /// A context's bindings under headings: its own keys first, then moving, then the keys that work on
    /// every screen. `bindings(for:)` is these, flattened: help shows exactly what the keys do.
    public static func sections(for context: KeyContext, actions: [ActionKind] = [], kind: ResourceKind? = nil) -> [KeySection] {
        let noun = kind.map { $0.noun + "s" } ?? "rows"
        let acting = actionBindings(actions, kind: kind) + consoleBindings(kind: kind)
        let moving = KeySection(title: "Moving", bindings: movement)
        let everywhere = KeySection(title: "Everywhere", bindings: global)
        let sections: [KeySection]
        switch context {
        case .list:
            sections = [
                KeySection(title: "Actions on \(noun)", bindings: acting),
                KeySection(title: "This list", bindings: [
                    KeyBinding(keys: [.enter, .character("d")], command: .openDetails, help: "details of the selected row"),
                    KeyBinding(keys: [.character("y")], command: .showRaw, help: "raw definition (libvirt XML) of an instance"),
                    KeyBinding(keys: [.character("/")], command: .startFilter, help: "filter rows (substring; start with ! to invert)"),
                    KeyBinding(keys: [.character("s")], command: .sortNext, help: "sort by the next column"),
                    KeyBinding(keys: [.character("I")], command: .sortReverse, help: "invert the sort order"),
                    KeyBinding(keys: [.character(" ")], command: .mark, help: "mark the row (for bulk actions)"),
                    KeyBinding(keys: [.character("a")], command: .actionMenu,
                               help: "actions menu: what the selected row's state allows, with keys (also a right click)"),
                    KeyBinding(keys: [.escape], command: .back, help: "clear the filter"),
                ]),
                moving, everywhere,
            ]
        case .overview:
            sections = [everywhere]
        case .details:
            sections = [
                KeySection(title: "Actions on this \(kind?.noun ?? "item")", bindings: acting),
                KeySection(title: "Details", bindings: [
                    KeyBinding(keys: [.character("y")], command: .showRaw, help: "raw definition (libvirt XML) of an instance"),
                    KeyBinding(keys: [.character("a")], command: .actionMenu,
                               help: "actions menu: what this item's state allows, with keys"),
                    KeyBinding(keys: [.escape, .backspace], command: .back, help: "back to the list"),
                ]),
                moving, everywhere,
            ]
        case .raw:
            sections = [KeySection(title: "This view", bindings: [KeyBinding(keys: [.escape, .backspace], command: .back, help: "back")]),
                        moving, everywhere]
        case .help:
            sections = [KeySection(title: "Help", bindings: [
                KeyBinding(keys: [.character("/")], command: .startFilter, help: "filter the keys (Enter keeps, Esc clears)"),
                KeyBinding(keys: [.escape, .character("?"), .character("q"), .enter], command: .back, help: "close the help"),
            ]), moving]
        case .confirm:
            sections = [KeySection(title: "Question", bindings: [
                KeyBinding(keys: [.character("y"), .character("Y")], command: .confirmYes, help: "confirm (yes/no questions)"),
                KeyBinding(keys: [.escape, .character("n"), .character("N")], command: .back, help: "cancel")])]
        case .audit:
            sections = [KeySection(title: "Audit log", bindings: [
                KeyBinding(keys: [.escape, .backspace, .character("q")], command: .back, help: "close the audit log")]), moving]
        case .messages:
            sections = [KeySection(title: "Messages", bindings: [
                KeyBinding(keys: [.escape, .backspace, .character("q"), .character("M")], command: .back, help: "close the messages")]),
                moving]
        case .consoleLog:
            sections = [KeySection(title: "Console log", bindings: [
                KeyBinding(keys: [.character("/")], command: .startFilter, help: "search the log"),
                KeyBinding(keys: [.escape, .backspace, .character("q")], command: .back, help: "close the log")]), moving]
        case .consoleTakeover:
            sections = [KeySection(title: "Busy console", bindings: takeover)]
        case .menu:
            sections = [KeySection(title: "Actions menu", bindings: [
                KeyBinding(keys: [.enter], command: .confirmYes, help: "run the chosen action, exactly as its key does"),
                KeyBinding(keys: [.escape, .character("q"), .character("a")], command: .back, help: "close the menu"),
            ]), KeySection(title: "Moving", bindings: movement)]
        case .form:
            sections = [KeySection(title: "Form", bindings: [
                KeyBinding(keys: [.tab, .down], command: .down, help: "next field"),
                KeyBinding(keys: [.backTab, .up], command: .up, help: "previous field"),
                KeyBinding(keys: [.left, .right], command: .nextPanel, help: "change a choice (also Space)"),
                KeyBinding(keys: [.character("1")], command: .mark, help: "digits toggle entries of a list"),
                KeyBinding(keys: [.enter], command: .confirmYes, help: "submit (then the usual confirmation)"),
                KeyBinding(keys: [.escape], command: .back, help: "cancel")])]
        }
        return sections.filter { !$0.bindings.isEmpty }
    }

    /// The command a key means in `context`, if any.
    public static func command(for key: Key, in context: KeyContext, actions: [ActionKind] = [],
                               kind: ResourceKind? = nil) -> Command? {
        if ![.help, .confirm, .form, .consoleTakeover, .menu].contains(context), case .character(let c) = key,
           let panel = Panel.allCases.first(where: { $0.digit == c }) {
            return .panel(panel)
        }
        return bindings(for: context, actions: actions, kind: kind).first { $0.keys.contains(key) }?.command
    }
}

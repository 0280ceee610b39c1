/// The parts of the screen a theme colours. Theme files name these roles (snake_case keys); a
/// role a file leaves out falls back to the built-in default.
public enum ThemeRole: String, Sendable, CaseIterable, Hashable {
    case text, muted, title, border, accent
    case tabActive = "tab_active", tabInactive = "tab_inactive"
    case header, selection, marked
    case statusBar = "status_bar", statusError = "status_error", statusStale = "status_stale"
    case badgeDemo = "badge_demo", badgeReadonly = "badge_readonly", badgeCached = "badge_cached"
    case stateRunning = "state_running", statePaused = "state_paused", stateShutoff = "state_shutoff"
    case stateError = "state_error", stateBuilding = "state_building", stateOther = "state_other"
    case gaugeOK = "gauge_ok", gaugeWarn = "gauge_warn", gaugeCritical = "gauge_critical", gaugeEmpty = "gauge_empty"
    case helpKey = "help_key", commandLine = "command_line", dialog
}

/// A complete set of styles, one per role.
public struct Theme: Sendable, Equatable {
    public var name: String
    public var styles: [ThemeRole: Style]

    public init(name: String, styles: [ThemeRole: Style]) {
        self.name = name
        self.styles = styles
    }

    public subscript(role: ThemeRole) -> Style {
        styles[role] ?? Theme.builtIn.styles[role] ?? .plain
    }

    /// The same theme with colours removed (NO_COLOR, `--no-color`, or a terminal without colour).
    /// What a colour marked must still be marked: a role drawn on a background colour (status bar,
    /// badges, dialogs) becomes reverse video, as mono.yaml does by hand, and the cursor row and the
    /// active tab are reverse video whatever the theme says, so no theme can leave them invisible.
    /// Every role is filled in, so nothing falls back to the built-in theme's colours.
    public var monochrome: Theme {
        var result: [ThemeRole: Style] = [:]
        for role in ThemeRole.allCases {
            let coloured = self[role]
            var plain = coloured.monochrome
            if coloured.background != .default { plain.reverse = true }
            if role == .selection || role == .tabActive { plain.reverse = true }
            if role == .tabActive { plain.bold = true }
            result[role] = plain
        }
        return Theme(name: name, styles: result)
    }

    /// Compiled in, so stacktop looks right with no theme files at all. `themes/default.yaml`
    /// says the same thing in the file format.
    public static let builtIn = Theme(name: "default", styles: [
        .text: Style(),
        .muted: Style(foreground: .brightBlack),
        .title: Style(foreground: .brightCyan, bold: true),
        .border: Style(foreground: .brightBlack),
        .accent: Style(foreground: .cyan),
        .tabActive: Style(foreground: .black, background: .cyan, bold: true),
        .tabInactive: Style(foreground: .white),
        .header: Style(foreground: .brightWhite, bold: true, underline: false),
        .selection: Style(foreground: .black, background: .cyan),
        .marked: Style(foreground: .brightYellow, bold: true),
        .statusBar: Style(foreground: .white, background: .indexed(236)),
        .statusError: Style(foreground: .brightWhite, background: .red, bold: true),
        .statusStale: Style(foreground: .black, background: .yellow, bold: true),
        .badgeDemo: Style(foreground: .black, background: .magenta, bold: true),
        .badgeReadonly: Style(foreground: .black, background: .yellow, bold: true),
        .badgeCached: Style(foreground: .black, background: .white),
        .stateRunning: Style(foreground: .green, bold: true),
        .statePaused: Style(foreground: .yellow),
        .stateShutoff: Style(foreground: .brightBlack),
        .stateError: Style(foreground: .brightRed, bold: true),
        .stateBuilding: Style(foreground: .cyan),
        .stateOther: Style(foreground: .magenta),
        .gaugeOK: Style(foreground: .green),
        .gaugeWarn: Style(foreground: .yellow),
        .gaugeCritical: Style(foreground: .red, bold: true),
        .gaugeEmpty: Style(foreground: .brightBlack),
        .helpKey: Style(foreground: .cyan, bold: true),
        .commandLine: Style(foreground: .brightWhite),
        .dialog: Style(foreground: .white, background: .indexed(235)),
    ])
}

/// Every character stacktop draws of its own that is not ASCII: Unicode in a UTF-8 locale, plain ASCII
/// under `--ascii` or any other locale. Screens take these from here (never a literal), and the
/// dashboard passes its finished frame through `asciiOnly` as a last guard.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var teeLeft: Character, teeRight: Character
    public var gaugeFull: Character, gaugeEmpty: Character
    /// What ends text cut to fit (one column).
    public var ellipsis: Character
    public var selectedMarker: Character
    public var sparkline: [Character]
    public var isASCII: Bool
    /// Between parts of a title or a line ("Keys · Instances").
    public var dot: Character
    /// Prose that goes on ("Refreshing…"): one character, or three dots.
    public var dots: String
    /// "running → paused".
    public var arrow: String
    /// A quota without a limit.
    public var infinity: String
    public var bullet: Character
    public var sortAscending: Character, sortDescending: Character
    /// More tabs, or more choices, lie that way.
    public var moreLeft: Character, moreRight: Character
    public var treeBranch: String, treeLast: String
    /// A dot of the block digits.
    public var block: Character
    public var arrowUp: String, arrowDown: String, arrowLeft: String, arrowRight: String
    /// Beside a locked instance (Horizon's padlock), one column wide.
    public var lock: Character = "■"

    /// " · ", the usual separator with its spaces.
    public var separator: String { " \(dot) " }

    /// How the help screen and the hints write a key: arrows as arrows, or their names in ASCII.
    public func label(_ key: Key) -> String {
        switch key {
        case .up: arrowUp
        case .down: arrowDown
        case .left: arrowLeft
        case .right: arrowRight
        default: key.label
        }
    }

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤", gaugeFull: "█", gaugeEmpty: "░", ellipsis: "…", selectedMarker: "▶",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], isASCII: false,
        dot: "·", dots: "…", arrow: "→", infinity: "∞", bullet: "•", sortAscending: "▲", sortDescending: "▼",
        moreLeft: "‹", moreRight: "›", treeBranch: "├── ", treeLast: "└── ", block: "█",
        arrowUp: "↑", arrowDown: "↓", arrowLeft: "←", arrowRight: "→")

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+", gaugeFull: "#", gaugeEmpty: ".", ellipsis: "~", selectedMarker: ">",
        sparkline: ["_", ".", "-", "~", "=", "+", "*", "#"], isASCII: true,
        dot: "-", dots: "...", arrow: "->", infinity: "-", bullet: "*", sortAscending: "^", sortDescending: "v",
        moreLeft: "<", moreRight: ">", treeBranch: "|-- ", treeLast: "`-- ", block: "#",
        arrowUp: "Up", arrowDown: "Down", arrowLeft: "Left", arrowRight: "Right", lock: "L")

    /// Each non-ASCII character of `unicode` (and the few typographic ones stacktop's sentences use) with
    /// the one ASCII character that takes its cell.
    static let asciiCells: [Character: Character] = {
        var table: [Character: Character] = ["…": "~", "·": "-", "→": ">", "←": "<", "↑": "^", "↓": "v", "∞": "-",
                                             "•": "*", "‹": "<", "›": ">", "▲": "^", "▼": "v", "▶": ">", "—": "-",
                                             "–": "-", "■": "L", "“": "\"", "”": "\"", "‘": "'", "’": "'", "░": "."]
        let u = Glyphs.unicode, a = Glyphs.ascii
        for (wide, plain) in zip([u.horizontal, u.vertical, u.topLeft, u.topRight, u.bottomLeft, u.bottomRight,
                                  u.teeLeft, u.teeRight, u.gaugeFull, u.gaugeEmpty] + u.sparkline,
                                 [a.horizontal, a.vertical, a.topLeft, a.topRight, a.bottomLeft, a.bottomRight,
                                  a.teeLeft, a.teeRight, a.gaugeFull, a.gaugeEmpty] + a.sparkline) {
            table[wide] = table[wide] ?? plain
        }
        return table
    }()

    /// In ASCII mode, replaces cell for cell (the layout stays as it is) every character of stacktop's own
    /// that is not ASCII. Other characters of names from outside stay (the terminal layer shows "?" for what
    /// the locale cannot); one of these in a name shows its stand-in too.
    public func asciiOnly(_ buffer: inout CellBuffer) {
        guard isASCII else { return }
        for y in 0..<buffer.size.height {
            for x in 0..<buffer.size.width {
                var cell = buffer[x, y]
                guard !cell.character.isASCII, let plain = Glyphs.asciiCells[cell.character] else { continue }
                cell.character = plain
                buffer[x, y] = cell
            }
        }
    }
}

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

    /// The same theme with colours removed (NO_COLOR, or a terminal without colour).
    public var monochrome: Theme {
        Theme(name: name, styles: styles.mapValues(\.monochrome))
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

/// Line-drawing characters: Unicode box drawing in a UTF-8 locale, plain ASCII otherwise.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: Character, vertical: Character
    public var topLeft: Character, topRight: Character, bottomLeft: Character, bottomRight: Character
    public var teeLeft: Character, teeRight: Character
    public var gaugeFull: Character, gaugeEmpty: Character
    public var ellipsis: Character
    public var selectedMarker: Character
    public var sparkline: [Character]
    public var isASCII: Bool

    public static let unicode = Glyphs(
        horizontal: "─", vertical: "│", topLeft: "┌", topRight: "┐", bottomLeft: "└", bottomRight: "┘",
        teeLeft: "├", teeRight: "┤", gaugeFull: "█", gaugeEmpty: "░", ellipsis: "…", selectedMarker: "▶",
        sparkline: ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"], isASCII: false)

    public static let ascii = Glyphs(
        horizontal: "-", vertical: "|", topLeft: "+", topRight: "+", bottomLeft: "+", bottomRight: "+",
        teeLeft: "+", teeRight: "+", gaugeFull: "#", gaugeEmpty: ".", ellipsis: "~", selectedMarker: ">",
        sparkline: ["_", ".", "-", "~", "=", "+", "*", "#"], isASCII: true)
}

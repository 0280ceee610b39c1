import CTerminalShim

/// What the terminal can do, decided before going full screen.
public struct TerminalCapabilities: Sendable, Equatable {
    /// stdin and stdout are ttys, TERM is set, not "dumb", and terminfo knows it can move the cursor.
    public var isInteractive: Bool
    /// 0 (none, or NO_COLOR set), 8, 16 or 256.
    public var colors: Int
    /// The locale's codeset is UTF-8, so box drawing and wide characters can be shown.
    public var utf8: Bool
    /// Why full screen is not possible, e.g. "TERM=dumb" or "stdout is not a terminal".
    public var reasonNotInteractive: String?

    public init(isInteractive: Bool, colors: Int, utf8: Bool, reasonNotInteractive: String? = nil) {
        self.isInteractive = isInteractive
        self.colors = colors
        self.utf8 = utf8
        self.reasonNotInteractive = reasonNotInteractive
    }

    /// Decides from `environment` (TERM, NO_COLOR, LC_ALL/LC_CTYPE/LANG) and the real stdin/stdout.
    ///
    /// Side effect, on purpose: the process locale is set (`setlocale(LC_ALL, "")`, then LC_CTYPE
    /// from `environment`), because ncurses draws in whatever locale the process is in and `utf8`
    /// must describe what will actually be drawn. Call it once, before `NcursesTerminal.init`.
    public static func detect(environment: [String: String]) -> TerminalCapabilities {
        func value(_ name: String) -> String? {
            guard let v = environment[name], !v.isEmpty else { return nil }
            return v
        }
        let ctype = value("LC_ALL") ?? value("LC_CTYPE") ?? value("LANG") ?? "C"
        let utf8 = st_apply_locale(ctype) == 1

        let term = value("TERM")
        var entryFound = false, hasCursorMotion = false, terminfoColors: Int32 = 0
        if let term, term != "dumb" {
            var cup: Int32 = 0
            entryFound = st_probe_terminfo(term, &cup, &terminfoColors) == 1
            hasCursorMotion = cup == 1
        }

        let reason: String?
        if st_isatty(1) == 0 {
            reason = "stdout is not a terminal"
        } else if st_isatty(0) == 0 {
            reason = "stdin is not a terminal"
        } else if let term {
            if term == "dumb" {
                reason = "TERM=dumb"
            } else if !entryFound {
                reason = "TERM=\(term) is not in the terminfo database"
            } else if !hasCursorMotion {
                reason = "TERM=\(term) cannot move the cursor"
            } else {
                reason = nil
            }
        } else {
            reason = "TERM is not set"
        }

        let colors = value("NO_COLOR") != nil ? 0 : Self.colorLevel(Int(terminfoColors))
        return TerminalCapabilities(isInteractive: reason == nil, colors: colors, utf8: utf8,
                                    reasonNotInteractive: reason)
    }

    /// terminfo's `colors` rounded down to a level the colour mapping knows.
    static func colorLevel(_ count: Int) -> Int {
        switch count {
        case 256...: 256
        case 16..<256: 16
        case 8..<16: 8
        default: 0
        }
    }
}

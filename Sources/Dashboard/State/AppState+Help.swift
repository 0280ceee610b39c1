import TerminalUI

/// The help screen's own keys: typing into its filter after `/`; everything else goes through the key
/// map's `.help` bindings (moving scrolls it, Esc closes it).
extension AppState {
    /// nil when the key is not the filter's: the key map decides.
    mutating func handleHelpKey(_ key: Key, pane: HelpPane) -> [Effect]? {
        guard pane.filtering else { return nil }
        var pane = pane
        switch key {
        case .enter: pane.filtering = false
        case .escape: pane.filtering = false; pane.filter = ""
        case .backspace: pane.filter = String(pane.filter.dropLast())
        case .ctrl("u"): pane.filter = ""
        case .character(let character): pane.filter.append(character)
        case .ctrl("c"):
            quitRequested = true
            return [.quit]
        default: return []
        }
        pane.scroll = 0
        overlays[overlays.count - 1] = .help(pane)
        return []
    }

    /// The last scroll position of the help on top (its last line at the bottom), for its lines at this size.
    var helpScrollLimit: Int {
        guard case .help(let pane)? = topOverlay else { return 0 }
        let lines = HelpContent.lines(self, pane: pane).count
        return max(0, lines - HelpContent.visibleLines(for: size, pane: pane))
    }
}

extension Overlay {
    /// Help scrolls no further than its last line, so `G` then `↑` moves at once.
    func clampingHelp(maximum: Int) -> Overlay {
        guard case .help(var pane) = self, pane.scroll > maximum else { return self }
        pane.scroll = maximum
        return .help(pane)
    }
}

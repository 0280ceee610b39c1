import StacktopModel
import StacktopServices
import TerminalUI

/// The wall screen's rules on top of the dashboard's: read-only for good, a handful of harmless keys,
/// rotation on the clock, and a memory of what happened.
extension AppState {
    /// Turns this state into a wall screen. Read-only cannot be undone from inside: no key, command
    /// or event clears it, and nothing is offered (the backend refuses below this anyway).
    public mutating func enterWall(_ settings: WallSettings) {
        readOnly = true
        capabilities = .none
        wall = WallState(settings: settings, now: now)
        panel = settings.panels[0]
        overlays.removeAll()
        input = .normal
    }

    /// The only keys a wall answers; everything else is ignored without a word (no status line to
    /// fill, no command line to open, nothing to perform).
    mutating func handleWallKey(_ key: Key) -> [Effect] {
        guard var wall else { return [] }
        defer { self.wall = wall }
        let wasArmed = wall.quitArmed
        wall.quitArmed = false
        switch key {
        case .character("q"), .character("Q"):
            if wall.settings.confirmQuit && !wasArmed {
                wall.quitArmed = true
                return []
            }
            quitRequested = true
            return [.quit]
        case .ctrl("c"):
            quitRequested = true
            return [.quit]
        case .character(" "), .character("p"):
            wall.togglePause(now: now)
        case .tab, .right, .character("l"):
            wall.step(by: 1, now: now)
        case .backTab, .left, .character("h"):
            wall.step(by: -1, now: now)
        case .ctrl("l"):
            return [.redrawAll]
        case .character("r"):
            // Harmless, and the only way on after refused credentials (nothing retries those by itself).
            refresh.fullReadAsked = true
            return [.refresh]
        default:
            return []
        }
        panel = wall.currentPanel
        return []
    }

    /// Time passed: rotate if due.
    mutating func wallTick() {
        if wall?.rotateIfDue(now: now) == true, let wall { panel = wall.currentPanel }
    }

    // The recorders below mutate `wall` in place (through `wall?.`): copying it out and back would
    // copy an hour of host samples on every refresh.

    /// A live snapshot arrived: events for what changed, a history sample, and back to fresh.
    mutating func wallRecordLive(_ new: CloudSnapshot, previous: CloudSnapshot?, wasStaleSince: Date?) {
        guard wall != nil else { return }
        if let previous { wall?.events.recordChanges(from: previous, to: new, at: now) }
        if let since = wasStaleSince {
            let seconds = Int(now.timeIntervalSince(since).rounded())
            wall?.events.add("Data is live again after \(Format.spoken(seconds: seconds)) stale", severity: .good, at: now)
        }
        wall?.history.record(new.hypervisors, at: now)
        wall?.lastUpdate = now
    }

    /// A refresh failed or the connection dropped: the first failure of a run is an event (the
    /// banner counts the tries from `failedRefreshes`).
    mutating func wallRecordFailure(_ message: String, firstFailure: Bool) {
        if firstFailure { wall?.events.add(message, severity: .error, at: now) }
    }

    /// A libvirt lifecycle event changed an instance in place: the wall lists it as it happens.
    mutating func wallRecordStateChange(name: String, from: InstanceState, to: InstanceState) {
        guard let events = wall?.events, from != to else { return }
        wall?.events.add(events.stateChange(name, from: from, to: to), severity: WallEvents.severity(of: to), at: now)
    }

    /// On a wall only the panels it rotates through need their tables rebuilt on each refresh.
    func needsTable(_ panel: Panel) -> Bool {
        wall.map { $0.settings.panels.contains(panel) } ?? true
    }
}

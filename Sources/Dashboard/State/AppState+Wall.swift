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

    // The recorders below mutate `wall` (or `activity`) in place: copying it out and back would copy an
    // hour of host samples on every refresh. On a wall the wall keeps them; otherwise `activity` does,
    // for the large Overview.

    /// When things happen: a wall's `now` follows the clock each second; the dashboard's moves only once a
    /// minute (ages need no more), so its events take the loop's clock.
    var activityClock: Date { wall != nil ? now : refresh.clock }

    /// The events and host history being kept: the wall's, or the dashboard's own.
    private mutating func recordActivity(_ body: (inout HostHistory, inout WallEvents) -> Void) {
        guard wall != nil else { return body(&activity.history, &activity.events) }
        // Swapped out and back (no copy), since one call cannot borrow two parts of `wall!` at once.
        var history = HostHistory(), events = WallEvents()
        swap(&history, &wall!.history)
        swap(&events, &wall!.events)
        body(&history, &events)
        swap(&history, &wall!.history)
        swap(&events, &wall!.events)
    }

    /// A live snapshot arrived: events for what changed, a history sample, and back to fresh.
    mutating func wallRecordLive(_ new: CloudSnapshot, previous: CloudSnapshot?, wasStaleSince: Date?) {
        let now = activityClock, arrow = glyphs.arrow
        recordActivity { history, events in
            // An idle refresh changes nothing: its instances are not walked.
            if let previous, previous.instances != new.instances {
                events.recordChanges(from: previous, to: new, at: now, arrow: arrow)
            }
            if let since = wasStaleSince {
                let seconds = Int(now.timeIntervalSince(since).rounded())
                events.add("Data is live again after \(Format.spoken(seconds: seconds)) stale", severity: .good, at: now)
            }
            history.record(new.hypervisors, at: now)
        }
        wall?.lastUpdate = now
    }

    /// A refresh failed or the connection dropped: the first failure of a run is an event (the
    /// banner counts the tries from `failedRefreshes`).
    mutating func wallRecordFailure(_ message: String, firstFailure: Bool) {
        let now = activityClock
        if firstFailure { recordActivity { _, events in events.add(message, severity: .error, at: now) } }
    }

    /// A libvirt lifecycle event changed an instance in place: the wall lists it as it happens.
    mutating func wallRecordStateChange(name: String, from: InstanceState, to: InstanceState) {
        guard from != to else { return }
        let now = activityClock, arrow = glyphs.arrow
        recordActivity { _, events in
            events.add(events.stateChange(name, from: from, to: to, arrow: arrow), severity: WallEvents.severity(of: to), at: now)
        }
    }

    /// On a wall only the panels it rotates through need their tables rebuilt on each refresh.
    func needsTable(_ panel: Panel) -> Bool {
        wall.map { $0.settings.panels.contains(panel) } ?? true
    }
}

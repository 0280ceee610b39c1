import FoundationEssentials
import StacktopModel
import StacktopServices

/// When the dashboard reads the backend: one read at a time, one more queued when a change was asked
/// for meanwhile, the normal interval after a good read, back-off after failures (and none at all
/// after refused credentials until `r`), events resubscribed after a lost connection.
public struct RefreshSchedule: Sendable, Equatable {
    /// Seconds between reads (`--refresh`).
    public var refreshSeconds: Double
    /// The latest time the loop reported (`.clock`); the schedule's "now".
    public var clock: Date
    /// When the next read is due.
    public var nextRefresh: Date
    /// A read is on its way.
    public var loading = false
    /// A read was asked for while one was on its way (an action finished): that read may predate the
    /// change, so one more follows it.
    public var reloadWhenDone = false
    public var loadsStarted = 0
    /// The event stream ended with its connection; listen again after the next good read.
    public var resubscribeEvents = false
    /// `r` asked for everything: the next read to start is a full one.
    public var fullReadAsked = false
    /// What the read on its way (or the last one) asks of the backend; the runner hands it over.
    public var request = ReadRequest()

    public init(refreshSeconds: Double = 2, clock: Date) {
        self.refreshSeconds = refreshSeconds; self.clock = clock; self.nextRefresh = clock
    }

    /// Saving the snapshot costs a JSON encode: once at the first read and then every 30th is plenty (and
    /// only when its data changed since the last save).
    var savesThisRead: Bool { loadsStarted == 1 || loadsStarted % 30 == 0 }
}

/// The console the user may take over (F) after opening it found it busy.
public struct ConsoleTakeover: Sendable, Equatable {
    public var instanceID: String
    public var name: String
}

extension AppState {
    /// Turns what the reducer asked for into what the runner does: refresh requests become at most one
    /// read at a time; a closed console-log pane stops its reader.
    mutating func schedule(_ asked: [Effect], after event: AppEvent) -> [Effect] {
        var effects: [Effect] = []
        for effect in asked {
            if effect == .refresh {
                if startRead(queueIfBusy: true), !effects.contains(.refresh) { effects.append(.refresh) }
            } else {
                effects.append(effect)
            }
        }
        if let following = followingConsoleLog {
            let stillOpen: Bool
            if case .consoleLog(let pane)? = topOverlay { stillOpen = pane.instanceID == following } else { stillOpen = false }
            if !stillOpen, !effects.contains(where: { if case .loadConsoleLog = $0 { true } else { false } }) {
                followingConsoleLog = nil
                effects.append(.stopConsoleLog)
            }
        }
        for case .loadConsoleLog(let id) in effects { followingConsoleLog = id }
        return effects
    }

    /// Marks a read as started and returns true, or (a read already on its way) queues one more when
    /// `queueIfBusy` and returns false.
    mutating func startRead(queueIfBusy: Bool) -> Bool {
        refresh.nextRefresh = refresh.clock.addingTimeInterval(refresh.refreshSeconds)
        guard !refresh.loading else {
            if queueIfBusy { refresh.reloadWhenDone = true }
            return false
        }
        refresh.loading = true
        refresh.loadsStarted += 1
        refresh.request = ReadRequest(kindsInView: kindsInView, full: refresh.fullReadAsked)
        refresh.fullReadAsked = false
        return true
    }

    /// What a finished read means for the schedule: the queued read, the cache, the event stream, the back-off.
    mutating func readFinished(_ snapshot: CloudSnapshot?) -> [Effect] {
        // A snapshot handed in without a read (`stacktop render`, tests) changes nothing here.
        guard refresh.loading else { return [] }
        var effects: [Effect] = []
        refresh.loading = false
        if let snapshot {
            // An idle host gives the same data read after read; saving it again would cost an encode of
            // every row (at 10,000 instances about a quarter of the idle CPU) for nothing.
            if refresh.savesThisRead, !readOnly, lastSavedSnapshot.map({ !$0.hasSameData(as: snapshot) }) ?? true {
                effects.append(.saveSnapshot(snapshot))
                lastSavedSnapshot = snapshot
            }
            if refresh.resubscribeEvents { refresh.resubscribeEvents = false; effects.append(.subscribeEvents) }
        } else {
            // Back off instead of hammering a backend that is down or overloaded; refused credentials
            // are not sent again until the user presses r (a lockout counts tries).
            refresh.nextRefresh = retryWaitsForUser ? .distantFuture : refresh.clock.addingTimeInterval(
                RetrySchedule.delay(afterFailures: failedRefreshes, refreshSeconds: refresh.refreshSeconds))
        }
        if refresh.reloadWhenDone {
            refresh.reloadWhenDone = false
            effects.append(.refresh)
        }
        return effects
    }

    /// The ticks that keep ages and the wall's clock true, at `now`.
    mutating func clockTicks(_ now: Date, utcOffsetSeconds: Int) -> [Effect] {
        self.utcOffsetSeconds = utcOffsetSeconds
        if wall != nil {
            // The wall's clock, age counter and rotation all run on the clock.
            wall?.utcOffsetSeconds = utcOffsetSeconds
            return reduceTick(now)
        }
        if staleSince != nil || now.timeIntervalSince(self.now) >= 60 { return reduceTick(now) }
        return []
    }

    /// How long the loop may sleep from `now` before the state has something to do on its own.
    public func secondsUntilWake(now: Date) -> Double {
        var limit = max(0, refresh.nextRefresh.timeIntervalSince(now))
        if let wall {
            if let rotation = wall.nextRotation { limit = min(limit, max(0, rotation.timeIntervalSince(now))) }
            // The clock changes on the second: wake just after it (with --no-clock, only when stale).
            if !wall.settings.hideClock || staleSince != nil {
                let intoSecond = now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)
                limit = min(limit, 1 - intoSecond + 0.002)
            }
        } else if staleSince != nil {
            // While stale, tick every second so the age on the status line is true.
            limit = min(limit, 1)
        }
        return min(limit, 60)
    }
}

import Synchronization
import Dashboard
import TerminalUI

/// Events from background work (backend loads, libvirt events) waiting for the main loop. Posting
/// wakes the loop through the terminal's wake-up pipe, so it sleeps in poll(2) while nothing happens.
final class Mailbox: Sendable {
    private let queue = Mutex<[AppEvent]>([])
    private let wakeup: (any TerminalWaker)?

    init(wakeup: (any TerminalWaker)?) { self.wakeup = wakeup }

    func post(_ event: AppEvent) {
        queue.withLock { $0.append(event) }
        wakeup?.wake()
    }

    /// Everything posted since the last drain, in order; a read's piece that a later piece or the whole read
    /// already replaces is left out (each piece holds every row so far: drawing the older one is wasted work).
    func drain() -> [AppEvent] {
        let events = queue.withLock { events in
            defer { events.removeAll() }
            return events
        }
        guard let last = events.lastIndex(where: Self.replacesPieces) else { return events }
        return events.enumerated().compactMap { index, event in
            if index < last, case .snapshotPartial = event { return nil }
            return event
        }
    }

    private static func replacesPieces(_ event: AppEvent) -> Bool {
        switch event {
        case .snapshotPartial, .snapshotLoaded: true
        default: false
        }
    }
}

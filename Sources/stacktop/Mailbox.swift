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

    func drain() -> [AppEvent] {
        queue.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

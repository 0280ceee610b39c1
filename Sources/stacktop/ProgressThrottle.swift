import FoundationEssentials
import StacktopServices
import Synchronization

/// Lets a progress update through at most every 200 ms (and always the last one), so a fast upload
/// does not flood the screen.
final class ProgressThrottle: Sendable {
    private let last = Mutex<ContinuousClock.Instant?>(nil)

    func shouldReport(_ update: ActionProgress.Update) -> Bool {
        let now = ContinuousClock.now
        return last.withLock { previous in
            if update.done < update.total, let previous, now - previous < .milliseconds(200) { return false }
            previous = now
            return true
        }
    }
}

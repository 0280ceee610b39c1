import Synchronization
import FoundationEssentials
import Glibc
import TerminalUI

/// A terminal in memory for the event loop under test: it keeps every frame the loop draws (as text), and
/// feeds scripted input, each step waiting until the screen shows what it is for (the loop's own wake-ups
/// from backend results arrive through `waker`, as the wake-up pipe does on a real terminal).
final class InMemoryTerminal: TerminalDevice {
    struct Step {
        /// Sent once the last frame contains this text (nil: at once).
        var when: String?
        /// Or once this holds: for what the screen cannot show, such as a read whose data did not change.
        var whenTrue: (() -> Bool)?
        var input: TerminalInput

        init(when: String?, input: TerminalInput) {
            self.when = when
            self.input = input
        }

        init(whenTrue: @escaping () -> Bool, input: TerminalInput) {
            self.whenTrue = whenTrue
            self.input = input
        }

        func holds(on frame: String) -> Bool {
            if let whenTrue { return whenTrue() }
            return when.map { frame.contains($0) } ?? true
        }
    }

    let size: Size
    let colorCount = 256
    let waker: any TerminalWaker
    private let wakeFlag: WakeFlag
    private(set) var frames: [String] = []
    private(set) var invalidations = 0
    private var script: [Step]
    /// Why the loop was ended by the terminal rather than by the script (a step that never came true).
    private(set) var gaveUp: String?
    private let deadline: Date

    init(size: Size = Size(width: 120, height: 40), script: [Step], timeoutSeconds: Double = 10) {
        self.size = size
        self.script = script
        let flag = WakeFlag()
        wakeFlag = flag
        waker = flag
        deadline = Date().addingTimeInterval(timeoutSeconds)
    }

    var lastFrame: String { frames.last ?? "" }

    func draw(_ buffer: CellBuffer) -> Int {
        let text = buffer.text
        if text != frames.last { frames.append(text) }
        return 0
    }

    func invalidate() { invalidations += 1 }
    func suspend() {}
    func resume() {}

    /// The next scripted input whose condition holds; else waits (in short sleeps, so the test needs no
    /// threads of its own) until woken, the loop's timeout, or the test's deadline, which sends a quit.
    func waitForInput(timeoutMilliseconds: Int32) -> [TerminalInput] {
        let until = Date().addingTimeInterval(timeoutMilliseconds < 0 ? 3600 : Double(timeoutMilliseconds) / 1000)
        while true {
            if let step = script.first, step.holds(on: lastFrame) {
                script.removeFirst()
                return [step.input]
            }
            if Date() >= deadline {
                gaveUp = script.first.map { step in
                    step.whenTrue == nil ? "the screen never showed \"\(step.when ?? "")\"" : "a scripted condition never held"
                } ?? "the script ended without quitting"
                return [.signal(.terminate)]
            }
            if wakeFlag.take() || Date() >= until { return [] }
            usleep(2_000)
        }
    }
}

/// Set by any thread, taken by the loop.
final class WakeFlag: TerminalWaker {
    private let woken = Atomic<Bool>(false)
    func wake() { woken.store(true, ordering: .releasing) }
    func take() -> Bool { woken.exchange(false, ordering: .acquiringAndReleasing) }
}

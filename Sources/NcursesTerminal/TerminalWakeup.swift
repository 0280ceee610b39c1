import CTerminalShim
import TerminalUI

/// Lets another thread (or a signal handler) end `NcursesTerminal.waitForInput` early, e.g. when
/// fresh data has arrived and the screen should be redrawn.
public final class TerminalWakeup: TerminalWaker {
    let readDescriptor: Int32
    /// Write end; writing one byte is async-signal-safe and never blocks (the pipe is non-blocking).
    public let writeDescriptor: Int32

    init() throws(TerminalError) {
        var fds: [Int32] = [-1, -1]
        let error = st_make_pipe(&fds)
        guard error == 0 else { throw .wakePipeUnavailable(reason: TerminalError.errnoText(error)) }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
    }

    /// Wakes the waiting main thread. Callable from any thread.
    public func signal() { st_wake(writeDescriptor) }

    public func wake() { signal() }

    func drain() { st_drain(readDescriptor) }

    deinit {
        st_close(readDescriptor)
        st_close(writeDescriptor)
    }
}

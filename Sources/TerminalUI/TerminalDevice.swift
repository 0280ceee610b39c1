/// Something the main loop must react to.
public enum TerminalInput: Sendable, Equatable {
    case key(Key)
    /// The terminal changed size; draw a buffer of this size next.
    case resize(Size)
    case signal(TerminalSignal)
}

/// A request to quit: Ctrl-C, or a signal from outside the process.
public enum TerminalSignal: Sendable, Equatable {
    case interrupt, terminate, hangup
}

/// Ends a terminal's `waitForInput` early from any thread (fresh data arrived: draw it).
public protocol TerminalWaker: Sendable {
    func wake()
}

/// What the dashboard's event loop needs of a terminal: ncurses on a real one (NcursesTerminal), an
/// in-memory one in tests, so the loop itself runs under test.
public protocol TerminalDevice: AnyObject {
    var size: Size { get }
    /// Colours the terminal shows (0: none, so themes become monochrome).
    var colorCount: Int { get }
    var waker: any TerminalWaker { get }
    /// Writes the cells that differ from the last frame; returns how many. An unchanged frame writes nothing.
    @discardableResult func draw(_ buffer: CellBuffer) -> Int
    /// The next draw repaints every cell.
    func invalidate()
    /// Waits up to `timeoutMilliseconds` (-1: forever) for input or a wake-up; returns what is there, maybe nothing.
    func waitForInput(timeoutMilliseconds: Int32) -> [TerminalInput]
    /// Hands the terminal to something else (a serial console) until `resume`.
    func suspend()
    func resume()
    /// Ctrl-Z: hands the terminal back to the shell and stops the process until it is continued (`fg`),
    /// then takes it again and repaints on the next draw.
    func stopForJobControl()
}

extension TerminalDevice {
    /// A terminal with no job control (one in memory) has nothing to stop.
    public func stopForJobControl() {}
}

import TerminalUI

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

import CTerminalShim

/// Why the terminal could not be taken over. Each message is one sentence: what failed, what to do.
public enum TerminalError: Error, Equatable, CustomStringConvertible {
    case notInteractive(reason: String)
    case crashLogUnavailable(path: String, reason: String)
    case alreadyActive
    case cannotStart
    case wakePipeUnavailable(reason: String)

    public var description: String {
        switch self {
        case .notInteractive(let reason):
            "The terminal cannot show a full-screen display (\(reason)); run in an interactive terminal with TERM set."
        case .crashLogUnavailable(let path, let reason):
            "Cannot open the crash log \(path) (\(reason)); make its directory exist and be writable."
        case .alreadyActive:
            "The terminal is already in full-screen mode in this process; shut it down before opening it again."
        case .cannotStart:
            "ncurses could not take over the terminal; check that TERM names a terminal installed in terminfo."
        case .wakePipeUnavailable(let reason):
            "Cannot create the terminal's wake-up pipe (\(reason)); close some files or raise the open-file limit."
        }
    }

    static func errnoText(_ code: Int32) -> String { String(cString: st_strerror(code)) }
}

import TextSafety
/// A theme that could not be used. `description` is one sentence naming the file, the line and the
/// problem, ending with what happens next, ready for the status bar or stderr.
public struct ThemeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The theme file as the user would recognise it (the path that was opened); nil when no file
    /// was involved (a theme name that matched nothing).
    public var file: String?
    /// 1-based; nil when the problem is not at one place in the file (unreadable, not found).
    public var line: Int?
    /// A lower-case clause without a final period, e.g. `unknown colour "bluish" for role selection (...)`.
    public var problem: String

    public init(file: String?, line: Int?, problem: String) {
        self.file = file; self.line = line; self.problem = problem
    }

    /// Switching themes at run time keeps the old one, hence the default consequence.
    public var description: String { sentence(consequence: "the current theme stays") }

    /// The message with another ending, e.g. "stacktop uses the built-in theme" at start-up.
    public func sentence(consequence: String?) -> String {
        let tail = consequence.map { "; \($0)." } ?? "."
        // Problems quote the file (an unknown key "\e" is an ESC): shown, not obeyed (found by the fuzz suite).
        switch (file, line) {
        case (let file?, let line?): return TerminalText.sanitize("Theme file \(file), line \(line): \(problem)\(tail)")
        case (let file?, nil): return TerminalText.sanitize("Theme file \(file): \(problem)\(tail)")
        default: return TerminalText.sanitize(problem.prefix(1).uppercased() + problem.dropFirst() + tail)
        }
    }
}

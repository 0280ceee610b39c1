import StacktopServices

/// What can be typed after `:`.
public enum ParsedCommand: Sendable, Equatable {
    case none
    case panel(Panel)
    case quit
    case help
    case refresh
    /// nil: say which theme is in use.
    case theme(String?)
    case filter(String)
    /// `:audit`: the audit log of every mutation.
    case audit
    /// `:console [NAME]`, `:log [NAME]`, `:vnc [NAME]`: the selected instance when no name is given.
    case console(String?), consoleLog(String?), vnc(String?)
    /// `:topology`: networks and the instances on each.
    case topology
    /// `:messages`: the recent status messages in full.
    case messages
    /// `:project NAME`: work in another project (quotas on the Overview, owner of what is created).
    case project(String?)
    /// `:ctx`: the contexts; `:ctx NAME`: switch to one.
    case context(String?)
    /// `:fleet [A,B,…]`: every context at once (or those named).
    case fleet([String])
    /// `:KIND ACTION NAME… [--option value]`: the shell's action grammar.
    case action(ActionCommand)
    /// Typed like an action but not valid; the sentence says why.
    case invalid(String)
    case unknown(String)
}

public enum CommandLine {
    public static func parse(_ text: String) -> ParsedCommand {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first?.lowercased() else { return .none }
        let quotedWords = ActionCommand.words(of: text)
        // `:project NAME` switches project; `:project delete NAME` is an action like any other.
        if first == "project", quotedWords.count == 2, ActionKind.named(quotedWords[1]) == nil,
           quotedWords[1].lowercased() != "list" {
            return .project(quotedWords[1])
        }
        if quotedWords.count >= 2, ResourceKind.named(first) != nil, quotedWords[1].lowercased() != "list" {
            do {
                // A missing required option is left to the form the action opens.
                return .action(try ActionCommand.parse(quotedWords, requireAll: false))
            } catch {
                return .invalid(error.description)
            }
        }
        let rest = words.dropFirst().joined(separator: " ")
        switch first {
        case "q", "q!", "quit", "exit": return .quit
        case "help", "h", "?": return .help
        case "refresh", "reload": return .refresh
        case "theme": return .theme(rest.isEmpty ? nil : rest)
        case "filter": return .filter(rest)
        case "audit": return .audit
        case "topology", "topo": return .topology
        case "messages", "msgs": return .messages
        case "console": return .console(rest.isEmpty ? nil : rest)
        case "log", "consolelog", "console-log": return .consoleLog(rest.isEmpty ? nil : rest)
        case "vnc": return .vnc(rest.isEmpty ? nil : rest)
        case "project" where words.count == 1: return .project(nil)
        case "ctx", "context", "contexts": return .context(rest.isEmpty ? nil : rest)
        case "fleet":
            return .fleet(rest.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init))
        default:
            if words.count == 2, words[1].lowercased() == "list", let kind = ResourceKind.named(first),
               let panel = Panel.allCases.first(where: { $0.resourceKind == kind }) {
                return .panel(panel)
            }
            if let panel = Panel.named(first) { return .panel(panel) }
            return .unknown(first)
        }
    }
}

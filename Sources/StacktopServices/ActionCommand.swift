/// The one grammar for actions, shared by the shell (`stacktop KIND ACTION NAME… [--option value] [--yes]`)
/// and the dashboard (`:KIND ACTION NAME…`), so both accept exactly the same words.
public struct ActionCommand: Sendable, Equatable {
    public var request: ActionRequest
    /// `--yes`: the confirmation was given up front (scripts).
    public var confirmed: Bool

    public init(request: ActionRequest, confirmed: Bool = false) {
        self.request = request; self.confirmed = confirmed
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Flags that take no value.
    static let switches: Set<String> = ["yes", "hard", "wait", "force"]

    /// `words` starts at KIND. Names with spaces arrive as one word (shell quoting, or quotes after `:`).
    public static func parse(_ words: [String]) throws(ParseError) -> ActionCommand {
        guard let kindWord = words.first else {
            throw ParseError(description: "Name a kind and an action, for example `server stop web-01`.")
        }
        guard let kind = ResourceKind.named(kindWord) else {
            throw ParseError(description: "Unknown kind \"\(kindWord)\"; use one of "
                             + ResourceKind.allCases.map(\.rawValue).joined(separator: ", ") + ".")
        }
        guard words.count > 1 else {
            throw ParseError(description: "\"\(kindWord)\" needs an action, for example `\(kindWord) list` or `\(kindWord) delete NAME`.")
        }
        guard var action = ActionKind.named(words[1]) else {
            throw ParseError(description: "Unknown action \"\(words[1])\" for \(kind.noun); actions are "
                             + ActionKind.allCases.map(\.word).joined(separator: ", ") + ".")
        }
        var targets: [String] = []
        var options: [String: String] = [:]
        var confirmed = false
        var index = 2
        while index < words.count {
            let word = words[index]
            index += 1
            // `--` ends the options, as in every POSIX tool: `server delete -- --yes` names a server "--yes".
            if word == "--" {
                targets += words[index...]
                break
            }
            guard word.hasPrefix("--"), word.count > 2 else { targets.append(word); continue }
            var name = String(word.dropFirst(2))
            var value: String?
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if switches.contains(name) {
                if name == "yes" { confirmed = true } else { options[name] = "true" }
                continue
            }
            if value == nil {
                guard index < words.count else {
                    throw ParseError(description: "--\(name) needs a value, for example --\(name) VALUE.")
                }
                value = words[index]
                index += 1
            }
            options[name] = value
        }
        // `server reboot NAME --hard` is the openstack CLI's spelling of a hard reboot.
        if action == .reboot, options.removeValue(forKey: "hard") != nil { action = .hardReboot }
        if targets.isEmpty, action != .create, action != .upload {
            throw ParseError(description: "\(action.traits.title) \(kind.noun) needs a name, for example "
                             + "`\(kind.rawValue) \(action.word) NAME`.")
        }
        return ActionCommand(request: ActionRequest(action: action, kind: kind, targets: targets, options: options),
                             confirmed: confirmed)
    }

    /// Splits what was typed after `:` into words; "double" or 'single' quotes keep spaces.
    public static func words(of text: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var hasWord = false
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                hasWord = true
            } else if character == " " {
                if hasWord { words.append(current) }
                current = ""
                hasWord = false
            } else {
                current.append(character)
                hasWord = true
            }
        }
        if hasWord { words.append(current) }
        return words
    }
}

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

    /// `KIND ACTION … --help` (or `-h`, before any `--`): the action's options from `ActionSchema`; nil otherwise.
    public static func helpText(_ words: [String]) -> String? {
        let flags = words.prefix { $0 != "--" }
        guard flags.contains("--help") || flags.contains("-h"), words.count >= 2,
              let kind = ResourceKind.named(words[0]), let action = ActionKind.named(words[1]) else { return nil }
        return ActionSchema.help(for: kind, action)
    }

    /// `words` starts at KIND. Names with spaces arrive as one word (shell quoting, or quotes after `:`).
    /// Every flag is checked against `ActionSchema` and its value parsed there, once, into a typed
    /// `OptionValue`: an unknown flag, a value of the wrong kind and (with `requireAll`) a missing
    /// required one are refused. The dashboard passes `requireAll: false`, since
    /// an action asked for without its options opens the form that asks for them.
    public static func parse(_ words: [String], requireAll: Bool = true) throws(ParseError) -> ActionCommand {
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
        let spelled = "\(kindWord.lowercased()) \(words[1].lowercased())"
        var targets: [String] = []
        var typed: [OptionKey: String] = [:]
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
            let declared = ActionSchema.options(for: kind, action)
            guard let option = (declared + ActionSchema.globalSwitches).first(where: { $0.name == name }) else {
                throw ParseError(description: ActionSchema.unknown(name, what: spelled, declared: declared))
            }
            if option.isSwitch {
                if value != nil { throw ParseError(description: "--\(name) is a switch and takes no value.") }
                if option.key == .yes { confirmed = true } else if option.key != .wait { typed[option.key] = "true" }
                continue
            }
            if value == nil {
                guard index < words.count else {
                    throw ParseError(description: "--\(name) needs a value, for example --\(name) VALUE.")
                }
                value = words[index]
                index += 1
            }
            typed[option.key] = value
        }
        // `server reboot NAME --hard` is the openstack CLI's spelling of a hard reboot.
        if action == .reboot, typed.removeValue(forKey: .hard) != nil { action = .hardReboot }
        if targets.isEmpty, action != .create, action != .upload {
            throw ParseError(description: "\(action.traits.title) \(kind.noun) needs a name, for example "
                             + "`\(kind.rawValue) \(action.word) NAME`.")
        }
        let options = try ActionSchema.values(from: typed, for: kind, action, requireAll: requireAll, spelled: spelled)
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

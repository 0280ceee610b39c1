/// The one confirmation gate: every mutation, from a key, a `:` command or the shell, asks this
/// what the user must confirm before it runs. `--yes` in scripts skips the question, not the rule.
public enum Confirmation: Sendable, Equatable {
    /// Runs at once (starting a guest, locking it).
    case none
    /// Asks "…? (y/N)"; anything but `y` cancels.
    case yes(question: String)
    /// Destroys data, or touches several items destructively: the user types this text exactly.
    case typeText(question: String, expected: String)

    /// Whether `answer` confirms.
    public func accepts(_ answer: String) -> Bool {
        switch self {
        case .none: true
        case .yes: ["y", "yes"].contains(Self.trimmed(answer).lowercased())
        case .typeText(_, let expected): Self.trimmed(answer) == expected
        }
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }

    public var question: String? {
        switch self {
        case .none: nil
        case .yes(let question), .typeText(let question, _): question
        }
    }
}

public enum ConfirmationPolicy {
    /// - Not destructive: none.
    /// - Destroys data (delete): type the name, or the count when there are several.
    /// - Destructive on one item: `y`. Destructive on several (e.g. reboot 3): type the count.
    public static func requirement(for request: ActionRequest) -> Confirmation {
        let traits = request.action.traits
        guard traits.destructive else { return .none }
        let what = "\(traits.title.lowercased()) \(request.kind.noun)"
        if request.targets.count > 1 {
            let count = String(request.targets.count)
            return .typeText(question: "This will \(what) on \(count) items: \(request.targets.joined(separator: ", ")). "
                             + "Type \(count) to confirm.", expected: count)
        }
        let name = request.targets.first ?? ""
        if traits.destroysData {
            return .typeText(question: "This will \(what) \(name) and its data for good. Type its name to confirm.",
                             expected: name)
        }
        return .yes(question: "\(traits.title) \(request.kind.noun) \(name)? (y/N)")
    }
}

import StacktopModel
import StacktopServices

/// The `:` line's completion list and history. The list is open while `candidates` is not empty: the line
/// then shows `base` followed by the chosen candidate, and Tab/Shift-Tab/arrows choose another.
public struct CommandPalette: Sendable, Equatable {
    /// Candidates for the word being completed, best first; empty when the list is closed.
    public var candidates: [String] = []
    public var selected = 0
    /// The line before the word being completed ("server stop ").
    public var base = ""
    public var history = CommandHistory()
    /// Theme names `:theme` completes (the runner adds the files it finds).
    public var themeNames = ["default", "light", "high-contrast", "mono"]

    public init() {}

    public var isOpen: Bool { !candidates.isEmpty }

    /// The line as it reads with the chosen candidate in place.
    public var chosenLine: String { base + candidates[selected] }

    mutating func close() {
        candidates = []
        selected = 0
        base = ""
    }
}

/// Commands typed after `:`, oldest first, as a shell keeps them: Up recalls older ones (on an empty line,
/// the last), Down newer ones and finally the line that was being typed. The runner keeps them in the state
/// directory between runs (`Effect.recordCommand`).
public struct CommandHistory: Sendable, Equatable {
    /// Kept in memory and in the file.
    public static let capacity = 500
    public private(set) var entries: [String]
    /// The entry Up/Down stands on; nil while typing a new line.
    public private(set) var position: Int?
    /// What was typed before the first Up, given back by Down past the newest entry.
    private var draft = ""

    public init(_ entries: [String] = []) {
        self.entries = Array(entries.filter(CommandHistory.isKeepable).suffix(CommandHistory.capacity))
    }

    /// A line worth keeping: not blank, one line, no control characters, not absurdly long.
    public static func isKeepable(_ line: String) -> Bool {
        !line.trimmingSpaces.isEmpty && line.utf8.count <= 1000
            && !line.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// Adds a line that was run; a repeat of the newest entry is not added again. Returns whether it was.
    @discardableResult
    public mutating func add(_ line: String) -> Bool {
        position = nil
        draft = ""
        let trimmed = line.trimmingSpaces
        guard CommandHistory.isKeepable(trimmed), entries.last != trimmed else { return false }
        entries.append(trimmed)
        if entries.count > CommandHistory.capacity { entries.removeFirst(entries.count - CommandHistory.capacity) }
        return true
    }

    /// The entry before the current one (Up); nil at the oldest or with no history.
    public mutating func older(typing current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let next: Int
        if let position {
            guard position > 0 else { return nil }
            next = position - 1
        } else {
            draft = current
            next = entries.count - 1
        }
        position = next
        return entries[next]
    }

    /// The entry after the current one (Down), or the line typed before Up; nil when not recalling.
    public mutating func newer() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// Typing after a recall edits a new line.
    mutating func stopRecalling() { position = nil }
}

/// Where `:` completion takes its candidates from: the word's place on the line decides.
public enum CommandCompletion {
    /// Words that open something without naming a kind.
    static let verbs = ["quit", "help", "refresh", "theme", "filter", "audit", "project", "console", "log", "vnc",
                        "topology", "messages", "ctx", "context", "fleet"]

    /// The line split at the word being completed: what comes before it, and the candidates for it, best first.
    public static func complete(_ line: String, in state: AppState) -> (base: String, candidates: [String]) {
        let endsInSpace = line.last == " "
        var words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let current = endsInSpace ? "" : (words.popLast() ?? "")
        let base = String(line.dropLast(current.count))
        return (base, FuzzyMatch.rank(sources(before: words, current: current, in: state), current))
    }

    /// Every candidate for the word after `words` (before ranking).
    static func sources(before words: [String], current: String, in state: AppState) -> [String] {
        guard let first = words.first?.lowercased() else { return firstWords }
        let snapshot = state.snapshot
        switch (first, words.count) {
        case ("theme", 1):
            return state.palette.themeNames
        case ("ctx", 1), ("context", 1), ("contexts", 1):
            return state.contexts.names
        case ("fleet", _):
            return state.contexts.names
        case ("console", 1), ("log", 1), ("vnc", 1):
            return snapshot?.instances.map(\.name) ?? []
        case ("project", 1):
            // `:project NAME` switches; `:project delete NAME` is an action like any other kind's.
            return (snapshot?.projects.map(\.name) ?? []) + actionWords(for: .project, in: state)
        default:
            break
        }
        guard let kind = ResourceKind.named(first) else { return [] }
        if words.count == 1 { return actionWords(for: kind, in: state) }
        guard let action = ActionKind.named(words[1]) else { return [] }
        if current.hasPrefix("-") {
            return (ActionSchema.options(for: kind, action) + ActionSchema.globalSwitches).map { "--" + $0.name }
        }
        // The value of an option that takes one is not a name.
        if let previous = words.last, previous.hasPrefix("--"), words.count > 2,
           ActionSchema.option(String(previous.dropFirst(2)), for: kind, action)?.isSwitch == false {
            return []
        }
        guard let snapshot, let spec = KindSpec.of(kind) else { return [] }
        return spec.names(snapshot)
    }

    /// Panels first (`:fla` is flavors), then commands and the kinds actions name (`:ser` is server), each once.
    static let firstWords: [String] = {
        var words = Panel.allCases.map(\.word) + verbs
            + ResourceKind.allCases.map { $0 == .instance ? "server" : $0.rawValue }
        var seen = Set<String>()
        words.removeAll { !seen.insert($0).inserted }
        return words
    }()

    /// `list` and the actions the backend offers for `kind` (greyed ones too: the gate says why they are refused).
    static func actionWords(for kind: ResourceKind, in state: AppState) -> [String] {
        ["list"] + state.capabilitiesWhenWritable.actions(for: kind).map(\.word)
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}

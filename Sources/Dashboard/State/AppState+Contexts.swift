import StacktopModel
import StacktopServices
import TerminalUI

/// Contexts as k9s has them: `:ctx` lists them, `:ctx NAME` (or Enter on a row) switches without a restart.
/// The state asks (`Effect.switchContext`); the runner closes the old backend, answers `.contextSwitching`
/// with the target's cached snapshot, opens the new one and answers `.contextOpened` or `.contextFailed`.
extension AppState {
    /// `:ctx` (nil: the list) or `:ctx NAME`.
    mutating func context(named name: String?) -> [Effect] {
        guard let name else {
            let cursor = contexts.contexts.firstIndex { $0.name == currentContext } ?? 0
            overlays.append(.contexts(cursor: cursor))
            return []
        }
        guard let target = contexts[name] else {
            status = StatusMessage(contexts.unknown(name), isError: true)
            return []
        }
        return switchContext(to: target)
    }

    /// `:fleet [A,B,…]`: every context (or those named) at once, as one more context the runner opens.
    mutating func openFleet(_ names: [String]) -> [Effect] {
        if let unknown = names.first(where: { contexts[$0] == nil }) {
            status = StatusMessage(contexts.unknown(unknown), isError: true)
            return []
        }
        guard !contexts.contexts.isEmpty else {
            status = StatusMessage(contexts.unknown(""), isError: true)
            return []
        }
        let fleet = StacktopContext(name: "fleet", kind: .fleet, endpoint: names.joined(separator: ","))
        if backend.endpoint == "fleet " + (names.isEmpty ? contexts.names : names).joined(separator: ",") {
            status = StatusMessage("This fleet is the one in use.")
            return []
        }
        if wall != nil { return [] }
        return [.switchContext(fleet)]
    }

    mutating func switchContext(to target: StacktopContext) -> [Effect] {
        if target.name == currentContext, connectingTo == nil, contextToRetry == nil {
            overlays.removeAll { if case .contexts = $0 { true } else { false } }
            status = StatusMessage("Context \(target.name) is the one in use.")
            return []
        }
        if wall != nil { return [] }
        return [.switchContext(target)]
    }

    /// `r` after a context failed to open: open it again.
    mutating func retryContext(_ target: StacktopContext) -> [Effect] {
        [.switchContext(target)]
    }

    /// Keys on the context list that are not the raw view's: the cursor and Enter.
    mutating func handleContextsKey(_ key: Key, cursor: Int) -> [Effect]? {
        let last = max(0, contexts.contexts.count - 1)
        let moved: Int
        switch key {
        case .up, .character("k"): moved = cursor - 1
        case .down, .character("j"): moved = cursor + 1
        case .home, .character("g"): moved = 0
        case .end, .character("G"): moved = last
        case .enter:
            guard contexts.contexts.indices.contains(cursor) else { return [] }
            return switchContext(to: contexts.contexts[cursor])
        default:
            return nil
        }
        overlays[overlays.count - 1] = .contexts(cursor: min(max(0, moved), last))
        return []
    }

    mutating func reduceContextEvent(_ event: AppEvent) -> [Effect] {
        switch event {
        case .contextSwitching(let target, let description, let readOnly, let cached):
            startAfresh(in: target, description: description, readOnly: readOnly)
            if let cached { apply(cached); origin = .cached }
            return []
        case .contextOpened(let name, let description, let capabilities, let writable, let notice):
            guard name == connectingTo else { return [] }
            connectingTo = nil
            backend = description
            self.capabilities = readOnly ? .none : capabilities
            capabilitiesWhenWritable = writable
            self.notice = notice
            status = StatusMessage("Context \(name): \(description.placeName).")
            refresh.loading = false
            return [.adoptContext, .refresh, .subscribeEvents]
        case .contextFailed(let name, let message):
            guard name == connectingTo else { return [] }
            connectingTo = nil
            contextToRetry = contexts[name]
            refresh.loading = false
            refresh.nextRefresh = .distantFuture
            var reason = message
            while reason.hasSuffix(".") { reason.removeLast() }
            let back = contexts.contexts.first { $0.name != name }.map { ", :ctx \($0.name) goes to another" } ?? ""
            lastError = "Context \(name) could not be opened: \(reason); r tries again\(back)."
            failedRefreshes += 1
            if staleSince == nil { staleSince = now }
            status = nil
            return []
        default:
            return []
        }
    }

    /// A new start for another backend, as the runner would make at launch, keeping what belongs to the user
    /// rather than the backend: theme, glyphs, size, the panel, the command history, the contexts.
    private mutating func startAfresh(in target: StacktopContext, description: BackendDescription, readOnly: Bool) {
        var fresh = AppState(backend: description, readOnly: readOnly, theme: theme, glyphs: glyphs, size: size, now: now,
                             panel: panel)
        fresh.palette = palette
        fresh.messages = messages
        fresh.palette.close()
        fresh.contexts = contexts
        fresh.currentContext = target.name
        fresh.connectingTo = target.name
        fresh.consoleEscapeLabel = consoleEscapeLabel
        fresh.refresh.refreshSeconds = refresh.refreshSeconds
        fresh.refresh.clock = refresh.clock
        // No read until the backend is open (`.contextOpened`).
        fresh.refresh.loading = true
        fresh.status = StatusMessage("Connecting to context \(target.name) (\(target.kind.rawValue) \(target.endpoint))" + glyphs.dots)
        self = fresh
    }
}

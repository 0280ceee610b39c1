import StacktopModel
import StacktopServices

/// A read that arrives in pieces (a large cloud's first read: names first, then details page by page),
/// and what the dashboard tells the backend about the read it asks for.
extension AppState {
    /// Shows the instances of a read still under way, with the progress figure on the status line. A row
    /// whose details have not arrived keeps what the screen already showed for it (the cached or the last
    /// live row, under the same CACHED or live marking), else it shows as Loading…; nothing is invented.
    mutating func partialArrived(_ partial: PartialSnapshot) -> [Effect] {
        // A piece that comes after its read finished (or without one) is older than what is on screen.
        guard refresh.loading else { return [] }
        var shown = snapshot ?? CloudSnapshot(takenAt: now)
        let previous = Dictionary(shown.instances.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        shown.instances = partial.instances.map { instance in
            instance.state == .loading ? previous[instance.id] ?? instance : instance
        }
        apply(shown, piece: true)
        if origin == .none { origin = .live }
        if status == nil || status?.text == loadProgress || status?.text == Self.refreshingText {
            status = StatusMessage(partial.progressText)
        }
        loadProgress = partial.progressText
        return []
    }

    /// The progress figure leaves the status line with the read it counted.
    mutating func clearLoadProgress() {
        guard let progress = loadProgress else { return }
        if status?.text == progress { status = nil }
        loadProgress = nil
    }

    static let refreshingText = "Refreshing…"

    /// The kinds the screen shows now, which the backend reads every time (others it may read less often):
    /// the Overview's instance counts, an open panel's kind (and its details), the wall's panels.
    public var kindsInView: Set<ResourceKind> {
        var kinds: Set<ResourceKind> = [.instance]
        if let wall {
            for panel in wall.settings.panels { if let kind = panel.resourceKind { kinds.insert(kind) } }
            return kinds
        }
        if let kind = panel.resourceKind { kinds.insert(kind) }
        if let kind = topOverlay?.detailsPanel?.resourceKind { kinds.insert(kind) }
        if case .topology? = topOverlay { kinds.insert(.network) }
        return kinds
    }
}

import Dashboard

/// Turns `--wall --panels … --rotate … --no-clock --confirm-quit` into the wall's settings.
enum WallOptions {
    static let defaultRotateSeconds = 15.0

    static func settings(from options: Options) throws -> WallSettings? {
        guard options.wall else { return nil }
        var panels: [Panel] = []
        for name in options.wallPanels where !name.isEmpty {
            guard let panel = Panel.named(name) else {
                let known = Panel.allCases.map(\.word).joined(separator: ", ")
                throw UsageError(description: "--panels does not know \"\(name)\"; use a comma-separated list of \(known).")
            }
            panels.append(panel)
        }
        // Several panels and no --rotate: they rotate anyway, at a pace a room can read.
        let rotate = options.rotateSeconds ?? (panels.count > 1 ? defaultRotateSeconds : nil)
        return WallSettings(panels: panels.isEmpty ? [.overview] : panels, rotateSeconds: rotate,
                            hideClock: options.hideClock, confirmQuit: options.confirmQuit)
    }
}

import StacktopModel
import TerminalUI

/// The wall screen: one header line (where, badges, freshness, clock), a banner only when
/// something needs saying (stale data, a pending quit), and the current panel on the rest.
/// No help bar and no command line: nobody at a wall has a keyboard in hand.
enum WallScreen {
    static func draw(_ state: AppState, wall: WallState, in full: Rect, into painter: inout Painter) {
        var (header, body) = full.splitTop(1)
        drawHeader(state, wall: wall, in: header, into: &painter)
        if let (text, role) = banner(state, wall: wall) {
            // Two lines at most: the reason must be readable, the data must keep most of the screen.
            var lines = ConfirmDialog.wrap(text, width: body.width - 1)
            if lines.count > 2 { lines = [lines[0], lines[1...].joined(separator: " ")] }
            let rows: Rect
            (rows, body) = body.splitTop(lines.count)
            painter.fill(rows, role: role)
            for (offset, line) in lines.enumerated() {
                painter.text(line, x: 1, y: rows.y + offset, width: rows.width - 1, role: role)
            }
        }
        if wall.currentPanel == .overview || state.panel.table == nil {
            WallOverview.draw(state, wall: wall, in: body, into: &painter)
        } else {
            ListScreen.draw(state, in: body, into: &painter)
        }
        painter.glyphs.asciiOnly(&painter.buffer)
    }

    /// " stacktop · libvirt qemu:///system  [2/3 Instances]   READ-ONLY  …  updated 3 s ago · 14:05:09 "
    static func drawHeader(_ state: AppState, wall: WallState, in row: Rect, into painter: inout Painter) {
        painter.fill(row, role: .statusBar)
        let titleStyle = painter.theme[.title].merged(over: painter.theme[.statusBar])
        var x = painter.text(" stacktop ", x: 0, y: row.y, style: titleStyle)
        if wall.settings.panels.count > 1 {
            // Which panel of how many comes first: a place name may be cut, this may not.
            let indicator = " \(wall.position + 1)/\(wall.settings.panels.count) \(wall.currentPanel.title) "
            x = painter.text(indicator, x: x, y: row.y, style: titleStyle)
        }
        var right: [(String, ThemeRole)] = []
        if state.backend.isMadeUp { right.append((" DEMO ", .badgeDemo)) }
        right.append((" READ-ONLY ", .badgeReadonly))
        if state.staleSince != nil { right.append((" STALE ", .statusStale)) }
        if state.origin == .cached { right.append((" CACHED ", .badgeCached)) }
        if wall.paused { right.append((" PAUSED ", .badgeCached)) }
        if let freshness = freshness(state, wall: wall) {
            right.append((" " + freshness + " ", state.staleSince == nil ? .statusBar : .statusStale))
        }
        let rightWidth = right.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 }
        x = painter.text(" " + Chrome.placeName(state), x: x, y: row.y, width: max(0, row.width - x - rightWidth), role: .statusBar)
        var bx = row.width - rightWidth
        for (label, role) in right {
            bx = painter.text(label, x: bx, y: row.y, role: role) + 1
        }
    }

    /// "updated 3 s ago · 14:05:09", or nothing with --no-clock.
    static func freshness(_ state: AppState, wall: WallState) -> String? {
        guard !wall.settings.hideClock else { return nil }
        let clock = Format.clock(state.now.addingTimeInterval(Double(wall.utcOffsetSeconds)))
        guard let updated = wall.lastUpdate else { return clock }
        let age = Int(state.now.timeIntervalSince(updated))
        return "updated \(Format.spoken(seconds: age)) ago · \(clock)"
    }

    /// Said across the whole width: stale data and why, a pending quit, or the first load.
    static func banner(_ state: AppState, wall: WallState) -> (String, ThemeRole)? {
        if wall.quitArmed {
            return ("Press q again to quit the wall screen; any other key keeps it running.", .statusError)
        }
        if let since = state.staleSince {
            let age = Format.spoken(seconds: Int(state.now.timeIntervalSince(since)))
            let tries = state.failedRefreshes > 1 ? " (\(state.failedRefreshes) tries so far)" : ""
            // With the clock hidden the header has no age: the banner says when the data is from.
            let good = wall.settings.hideClock
                ? wall.lastUpdate.map { " Last good data \(Format.clock($0.addingTimeInterval(Double(wall.utcOffsetSeconds))))." } ?? ""
                : ""
            if state.retryWaitsForUser {
                return ("STALE for \(age): \(Chrome.retryByKey(state.lastError ?? "the last refresh failed."))\(good)", .statusStale)
            }
            return ("STALE for \(age), retrying by itself\(tries): \(state.lastError ?? "the last refresh failed.")\(good)",
                    .statusStale)
        }
        switch state.origin {
        case .none: return ("Loading \(state.backend.endpoint)…", .statusBar)
        case .cached: return ("Showing the last known data while live data loads…", .statusBar)
        case .live: return nil
        }
    }
}

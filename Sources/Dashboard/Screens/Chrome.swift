import StacktopModel
import StacktopServices
import TerminalUI

/// The title bar, tab bar, status line and the bottom input/hint line around every panel.
enum Chrome {
    static func drawTitleBar(_ state: AppState, in row: Rect, into painter: inout Painter) {
        painter.fill(row, role: .statusBar)
        var x = painter.text(" stacktop ", x: 0, y: row.y, style: painter.theme[.title].merged(over: painter.theme[.statusBar]))
        let where_ = placeName(state)
        var badges: [(String, ThemeRole)] = []
        if state.backend.isMadeUp { badges.append((" DEMO ", .badgeDemo)) }
        if state.readOnly { badges.append((" READ-ONLY ", .badgeReadonly)) }
        if state.origin == .cached { badges.append((" CACHED ", .badgeCached)) }
        if state.staleSince != nil {
            badges.append((" STALE ", .statusStale))
        } else if state.snapshot?.staleParts.isEmpty == false {
            badges.append((" PARTLY STALE ", .statusStale))
        }
        let badgeWidth = badges.reduce(0) { $0 + DisplayWidth.of($1.0) + 1 }
        x = painter.text(" " + where_, x: x, y: row.y, width: max(0, row.width - x - badgeWidth - 1), role: .statusBar)
        var bx = row.width - badgeWidth
        for (label, role) in badges {
            bx = painter.text(label, x: bx, y: row.y, role: role) + 1
        }
    }

    /// "libvirt qemu:///system  project admin": where the data comes from.
    static func placeName(_ state: AppState) -> String {
        if let members = state.snapshot?.fleet { return fleetPlace(members) }
        var place = state.backend.placeName
        // A configured context by its name; what the command line opened is already named by the place.
        if let context = state.currentContext, state.contexts[context]?.file != nil { place = "ctx " + context + state.glyphs.separator + place }
        if let project = state.backend.currentProject { place += "  project " + project }
        return place
    }

    /// "fleet of 3: 2 up, 1 stale": every context counted by how its latest read went.
    static func fleetPlace(_ members: [FleetMember]) -> String {
        var up = 0, cached = 0, stale = 0, down = 0
        for member in members {
            switch member.health {
            case .up: up += 1
            case .cached: cached += 1
            case .stale: stale += 1
            case .down: down += 1
            }
        }
        let counts = [(up, "up"), (cached, "cached"), (stale, "stale"), (down, "down")]
            .filter { $0.0 > 0 }.map { "\($0.0) \($0.1)" }
        return "fleet of \(members.count): " + counts.joined(separator: ", ")
    }

    static func drawTabs(_ state: AppState, in row: Rect, into painter: inout Painter) {
        painter.fill(row, role: .text)
        func labels(_ title: (Panel) -> String) -> [String] {
            Panel.allCases.map { " \($0.digit) \(title($0)) " }
        }
        var chosen = labels(\.title)
        for candidate in [labels(\.shortTitle), labels { String($0.shortTitle.prefix(4)) }] {
            if chosen.reduce(0, { $0 + DisplayWidth.of($1) }) <= row.width { break }
            chosen = candidate
        }
        let panels = Panel.allCases
        let widths = chosen.map { DisplayWidth.of($0) }
        // When even the shortest labels do not fit, the bar scrolls so the active tab is always shown,
        // with ‹ and › saying that more tabs lie beyond.
        var first = 0
        if widths.reduce(0, +) > row.width, let active = panels.firstIndex(of: state.panel) {
            while first < active, widths[first...active].reduce(0, +) + 2 > row.width { first += 1 }
        }
        var x = 0
        if first > 0 { x = painter.text(String(painter.glyphs.moreLeft), x: 0, y: row.y, role: .muted) }
        for index in first..<panels.count {
            let room = row.width - x - (index < panels.count - 1 ? 1 : 0)
            guard widths[index] <= room else {
                painter.text(String(painter.glyphs.moreRight), x: row.width - 1, y: row.y, role: .muted)
                break
            }
            let active = panels[index] == state.panel
            let start = x
            x = painter.text(chosen[index], x: x, y: row.y, role: active ? .tabActive : .tabInactive)
            painter.regions.add(Rect(x: start, y: row.y, width: x - start, height: 1), .tab(panels[index]))
        }
    }

    static func drawStatusLine(_ state: AppState, y: Int, into painter: inout Painter) {
        let row = Rect(x: 0, y: y, width: state.size.width, height: 1)
        let (text, role): (String, ThemeRole)
        if state.staleSince != nil {
            let error = state.lastError ?? "the refresh failed."
            let reason = state.retryWaitsForUser ? retryByKey(error) : error
            if let snapshot = state.snapshot {
                // The last good data is the snapshot on screen (live or cached), as old as its reading.
                let age = max(0, Int(state.now.timeIntervalSince(snapshot.takenAt)))
                text = " Data is stale (last good \(Format.clock(snapshot.takenAt)), \(age)s ago): \(reason)"
            } else if state.contextToRetry != nil {
                text = " " + reason  // it names the context, and its reason the endpoint
            } else {
                text = " Nothing loaded from \(state.backend.endpoint): \(reason)"
            }
            role = .statusStale
        } else if let notice = state.notice {
            text = " " + notice
            role = .statusBar
        } else if state.status == nil || state.snapshot?.fleet == nil, let parts = state.snapshot?.staleParts,
                  let first = parts.first {
            // In a fleet a context that is down may stay down for long: what the user just did is said first.
            text = " " + (state.snapshot?.fleet.map { fleetStaleness($0) } ?? staleParts(parts, first: first))
            role = .statusStale
        } else if let status = state.status {
            text = " " + status.text
            role = status.isError ? .statusError : .statusBar
        } else if state.origin == .none {
            text = " Loading \(state.backend.endpoint)\(state.glyphs.dots)"
            role = .statusBar
        } else if state.origin == .cached {
            text = " Showing the last known data while live data loads" + state.glyphs.dots
            role = .statusBar
        } else {
            text = " " + summary(state)
            role = .statusBar
        }
        painter.fill(row, role: role)
        painter.text(text, x: 0, y: y, width: row.width, role: role)
    }

    /// "Images are stale (last read 10:05:12): Listing images failed …": one service down, the rest live.
    static func staleParts(_ parts: [StalePart], first: StalePart) -> String {
        let names = parts.map(\.what)
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " and " + names.last!
        let when = first.lastGood.map { "last read \(Format.clock($0))" } ?? "not read yet"
        return list.prefix(1).uppercased() + list.dropFirst() + " \(parts.count == 1 ? "is" : "are") stale (\(when)); "
            + "the rest is live: " + first.reason
    }

    /// "lab-c is down: Could not connect …; lab-b is stale (last read 10:05:12): …": the contexts that did not
    /// answer, each with its reason (a context's own stale lists follow).
    static func fleetStaleness(_ members: [FleetMember]) -> String {
        var said: [String] = []
        for member in members {
            switch member.health {
            case .up, .cached:
                if let first = member.snapshot.staleParts.first {
                    said.append("\(member.context): " + staleParts(member.snapshot.staleParts, first: first))
                }
            case .stale(let reason):
                said.append("\(member.context) is stale (last read \(Format.clock(member.snapshot.takenAt))): \(reason)")
            case .down(let reason):
                said.append("\(member.context) is down: \(reason)")
            }
        }
        return said.joined(separator: " ")
    }

    /// "…; check OS_PASSWORD, then press r to try again.": a failure nothing retries by itself.
    static func retryByKey(_ sentence: String) -> String {
        var text = sentence
        while text.hasSuffix(".") { text.removeLast() }
        return text + ", then press r to try again."
    }

    /// What the status line says when nothing else needs saying.
    static func summary(_ state: AppState) -> String {
        guard state.snapshot != nil else { return "" }
        let counts = state.counts
        let dot = state.glyphs.separator
        return "\(counts.instances) instances, \(counts.running) running\(dot)\(counts.volumes) volumes\(dot)"
            + "\(counts.networks) networks"
    }

    static func drawInputLine(_ state: AppState, y: Int, into painter: inout Painter) {
        let row = Rect(x: 0, y: y, width: state.size.width, height: 1)
        painter.fill(row, role: .text)
        switch state.input {
        case .filter(let text):
            painter.text("/" + text, x: 0, y: y, width: row.width - 1, role: .commandLine)
            // The cursor mark sits right after what is typed (`text` returns the end of the field it filled).
            painter.text("_", x: min(DisplayWidth.of("/" + text), row.width - 1), y: y, role: .accent)
            let dot = painter.glyphs.separator
            let hint = "  Enter keep\(dot)Esc clear\(dot)!text inverts"
            let used = DisplayWidth.of("/" + text) + 1
            if used + DisplayWidth.of(hint) < row.width { painter.text(hint, x: used, y: y, role: .muted) }
        case .command(let text):
            painter.text(":" + text, x: 0, y: y, width: row.width - 1, role: .commandLine)
            painter.text("_", x: min(DisplayWidth.of(":" + text), row.width - 1), y: y, role: .accent)
        case .normal:
            var x = 0
            for (key, label) in hints(for: state).map({ (painter.glyphs.isASCII ? asciiKeys($0.0) : $0.0, $0.1) }) {
                let width = DisplayWidth.of(key) + DisplayWidth.of(label) + 3
                if x + width > row.width { break }
                x = painter.text(" " + key, x: x, y: y, role: .helpKey)
                x = painter.text(" " + label + " ", x: x, y: y, role: .muted)
            }
        }
    }

    /// The arrows of a hint's keys by name, for ASCII terminals.
    static func asciiKeys(_ keys: String) -> String {
        keys.replacing("↑↓", with: "Up Down").replacing("←→", with: "Left Right")
    }

    static func hints(for state: AppState) -> [(String, String)] {
        if case .confirm(let pending)? = state.topOverlay, case .typeText = pending.confirmation {
            return [("Enter", "confirm what is typed"), ("Esc", "cancel")]
        }
        return switch state.keyContext {
        case .list:
            [("Enter", "details"), ("/", "filter"), ("s", "sort"), ("y", "XML"), ("Tab", "panel"),
             (":", "command"), ("?", "help"), ("q", "quit")]
        case .overview:
            [("1-0", "panels"), ("Tab", "next"), (":", "command"), ("r", "refresh"), ("?", "help"), ("q", "quit")]
        case .details:
            [("Esc", "back"), ("↑↓", "scroll"), ("y", "XML"), ("?", "help"), ("q", "quit")]
        case .raw:
            [("Esc", "back"), ("↑↓ PgUp PgDn", "scroll"), ("?", "help"), ("q", "quit")]
        case .help:
            if case .help(let pane)? = state.topOverlay, pane.filtering {
                [("Enter", "keep the filter"), ("Esc", "clear it")]
            } else {
                [("↑↓ PgUp PgDn", "scroll"), ("g G", "top/end"), ("/", "filter"), ("Esc", "close help")]
            }
        case .messages:
            [("Esc", "back"), ("↑↓ PgUp PgDn", "scroll"), ("g G", "newest/oldest"), ("q", "back")]
        case .confirm:
            [("y", "confirm"), ("any other key", "cancel")]
        case .audit:
            [("Esc", "back"), ("↑↓ PgUp PgDn", "scroll"), ("q", "back")]
        case .consoleLog:
            [("Esc", "back"), ("↑↓ PgUp PgDn", "scroll"), ("G", "follow"), ("/", "search"), ("?", "help")]
        case .form:
            [("Tab", "next field"), ("←→", "choose"), ("Enter", "submit"), ("Esc", "cancel")]
        case .consoleTakeover:
            [("F", "take the console over"), ("any other key", "leave it")]
        case .menu:
            [("↑↓", "choose"), ("Enter", "run"), ("a key", "runs its action"), ("Esc", "close")]
        }
    }
}

extension Style {
    /// This style's foreground and emphasis over `base`'s background.
    func merged(over base: Style) -> Style {
        Style(foreground: foreground, background: background == .default ? base.background : background,
              bold: bold, underline: underline, reverse: reverse, dim: dim)
    }
}

import StacktopModel
import TerminalUI

/// The wall's overview: instances by state, hosts with an hour of CPU and memory, quota gauges per
/// project and the latest events, laid out to fill any screen from 80x24 to 300x80. Big block
/// digits once the screen is large enough to be read from across a room.
enum WallOverview {
    /// Screens at least this large get block digits and taller sparklines.
    static func isLarge(_ rect: Rect) -> Bool { rect.width >= 120 && rect.height >= 36 }

    static func draw(_ state: AppState, wall: WallState, in rect: Rect, into painter: inout Painter) {
        guard let snapshot = state.snapshot else {
            let inner = painter.box(rect, title: "Overview")
            painter.text("Waiting for the first data" + painter.glyphs.dots, x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        let large = isLarge(rect)
        let states = state.counts.instancesByState
        let hosts = snapshot.hypervisors
        let projects = snapshot.quotas.filter { !$0.usages.isEmpty }
        let shownHosts = max(1, min(hosts.count, 4))
        let quotaHeight = min(max(1, projects.count) + 3, max(4, rect.height / 4))
        let stateBox: Rect, hostBox: Rect, rest: Rect
        let rowsPerMetric: Int
        if large {
            // Stacked full-width bands: block digits, tall sparklines, gauges, then events.
            // Doubled digits once the screen is tall enough to spare the rows (a TV across a room).
            let scale = rect.height >= 60 && rect.width >= 200 ? 2 : 1
            let (stateRect, belowStates) = rect.splitTop(BigFont.height * scale + 3)
            let eventMinimum = max(8, rect.height / 4)
            let hostSpace = belowStates.height - quotaHeight - eventMinimum - 2
            rowsPerMetric = min(8, max(1, hostSpace / (shownHosts * 2)))
            let hostRect: Rect
            (hostRect, rest) = belowStates.splitTop(shownHosts * 2 * rowsPerMetric + 2)
            stateBox = painter.box(stateRect, title: "Instances" + painter.glyphs.separator + "\(state.counts.instances)")
            hostBox = painter.box(hostRect, title: "Hosts" + painter.glyphs.separator + "CPU and memory, last hour")
            drawBigStates(states, scale: scale, in: stateBox, into: &painter)
        } else {
            // Side by side on small screens: states left, hosts right, one row per metric.
            let topHeight = min(max(states.count, shownHosts * 2) + 2, rect.height / 2)
            let top: Rect
            (top, rest) = rect.splitTop(topHeight)
            let (stateRect, hostRect) = top.splitLeft(top.width * 2 / 5)
            rowsPerMetric = 1
            stateBox = painter.box(stateRect, title: "Instances" + painter.glyphs.separator + "\(state.counts.instances)")
            hostBox = painter.box(hostRect, title: "Hosts" + painter.glyphs.separator + "CPU and memory, last hour")
            OverviewScreen.drawStateCounts(states, total: state.counts.instances, in: stateBox, into: &painter)
        }
        drawHosts(hosts, history: wall.history, now: state.now, rowsPerMetric: rowsPerMetric, in: hostBox, into: &painter)
        let (quotaRect, eventRect) = rest.splitTop(quotaHeight)
        let quotaBox = painter.box(quotaRect, title: "Quota use by project")
        drawQuotas(projects, current: state.backend.currentProject, in: quotaBox, into: &painter)
        let eventBox = painter.box(eventRect, title: "Recent events")
        drawEvents(wall.events.entries, offset: wall.utcOffsetSeconds, in: eventBox, into: &painter,
                   empty: "Nothing has happened since the wall started.")
    }

    // MARK: instances

    /// Each state's count in block digits over its label, as many across as fit.
    static func drawBigStates(_ states: [(state: InstanceState, count: Int)], scale: Int, in inner: Rect,
                              into painter: inout Painter) {
        guard !states.isEmpty else {
            painter.text("No instances.", x: inner.x + 1, y: inner.y, role: .muted)
            return
        }
        let widths = states.map { max(BigFont.columns(String($0.count), scale: scale), DisplayWidth.of($0.state.label)) + 4 }
        let total = widths.reduce(0, +)
        let height = BigFont.height * scale
        guard total <= inner.width, inner.height >= height + 1 else {
            if scale > 1 { return drawBigStates(states, scale: 1, in: inner, into: &painter) }
            OverviewScreen.drawStateCounts(states, total: states.reduce(0) { $0 + $1.count }, in: inner, into: &painter)
            return
        }
        // Centred vertically and spread evenly across the width.
        let y = inner.y + max(0, (inner.height - height - 1) / 2)
        let gap = (inner.width - total) / (states.count + 1)
        var x = inner.x + gap
        for ((state, count), width) in zip(states, widths) {
            let role = StateColors.role(for: state)
            let digits = String(count)
            painter.bigText(digits, x: x + 2 + (width - 4 - BigFont.columns(digits, scale: scale)) / 2, y: y, scale: scale,
                            role: role)
            let label = state.label
            painter.text(label, x: x + 2 + (width - 4 - DisplayWidth.of(label)) / 2, y: y + height, role: role)
            x += width + gap
        }
    }

    // MARK: hosts

    static func drawHosts(_ hosts: [Hypervisor], history: HostHistory, now: Date, rowsPerMetric: Int, in inner: Rect,
                          into painter: inout Painter) {
        guard !hosts.isEmpty else {
            painter.text("No host data: libvirt did not say, or the cloud lists hypervisors to admins only.",
                         x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        let nameWidth = min(18, max(8, hosts.map { DisplayWidth.of($0.hostname) }.max() ?? 8) + 2)
        let lineHeight = rowsPerMetric * 2
        let shown = min(hosts.count, max(1, inner.height / lineHeight))
        let sparkX = inner.x + 1 + nameWidth + 4
        let valueWidth = 5
        let sparkWidth = max(0, inner.maxX - 1 - valueWidth - 1 - sparkX)
        var y = inner.y
        for host in hosts.prefix(shown) {
            guard y + lineHeight <= inner.maxY else { break }
            let down = host.state != "up"
            painter.text(host.hostname, x: inner.x + 1, y: y, width: nameWidth - 1, role: down ? .stateError : .header)
            if down {
                painter.text("down", x: inner.x + 1, y: y + 1, width: nameWidth - 1, role: .stateError)
            }
            let latest = history.latest(host: host.id)
            let metrics: [(String, KeyPath<HostHistory.Sample, Double?>, Double?)] = [
                ("CPU", \.cpu, latest?.cpu), ("MEM", \.memory, latest?.memory),
            ]
            for (index, metric) in metrics.enumerated() {
                let rowY = y + index * rowsPerMetric
                let role = metric.2.map(loadRole) ?? .muted
                painter.text(metric.0, x: inner.x + 1 + nameWidth, y: rowY + rowsPerMetric - 1, width: 3, role: .muted)
                let values = history.buckets(host: host.id, metric.1, columns: sparkWidth, now: now)
                painter.sparkline(values, x: sparkX, y: rowY, rows: rowsPerMetric, role: role)
                let text = metric.2.map(Format.percent) ?? "  -"
                painter.text(text, x: inner.maxX - 1 - valueWidth, y: rowY + rowsPerMetric - 1, width: valueWidth,
                             role: role, alignRight: true)
            }
            y += lineHeight
        }
        if shown < hosts.count, inner.maxY - 1 >= inner.y {
            painter.text("+\(hosts.count - shown) more hosts", x: inner.maxX - 16, y: inner.maxY - 1, width: 15,
                         role: .muted, alignRight: true)
        }
    }

    static func loadRole(_ fraction: Double) -> ThemeRole {
        if fraction >= GaugeThresholds.critical { return .gaugeCritical }
        if fraction >= GaugeThresholds.warn { return .gaugeWarn }
        return .gaugeOK
    }

    // MARK: quotas

    /// One row per project: as many resources as fit, each a small gauge with used/limit.
    static func drawQuotas(_ projects: [ProjectQuotas], current: String?, in inner: Rect, into painter: inout Painter) {
        guard !projects.isEmpty else {
            painter.text("No quotas are recorded.", x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        let nameWidth = min(18, max(8, projects.map { DisplayWidth.of($0.project) }.max() ?? 8) + 2)
        let cellMinimum = 22
        let resources = OverviewScreen.gaugeResources
        let fitting = max(1, min(resources.count, (inner.width - 2 - nameWidth) / cellMinimum))
        let cellWidth = (inner.width - 2 - nameWidth) / fitting
        var x = inner.x + 1 + nameWidth
        painter.text("Project", x: inner.x + 1, y: inner.y, width: nameWidth - 1, role: .header)
        for resource in resources.prefix(fitting) {
            painter.text(resource.label, x: x, y: inner.y, width: cellWidth - 1, role: .header)
            x += cellWidth
        }
        for (offset, project) in projects.enumerated() {
            let y = inner.y + 1 + offset
            guard y < inner.maxY else { break }
            if y == inner.maxY - 1, offset < projects.count - 1 {
                painter.text("+\(projects.count - offset) more projects", x: inner.x + 1, y: y, width: inner.width - 2, role: .muted)
                break
            }
            painter.text(project.project, x: inner.x + 1, y: y, width: nameWidth - 1,
                         role: project.project == current ? .accent : .text)
            x = inner.x + 1 + nameWidth
            for resource in resources.prefix(fitting) {
                defer { x += cellWidth }
                guard let usage = project[resource] else { continue }
                let amount = shortAmount(usage, glyphs: painter.glyphs)
                let role = GaugeThresholds.role(for: usage)
                let amountWidth = DisplayWidth.of(amount)
                let barWidth = cellWidth - 2 - amountWidth - 1
                if barWidth >= 3 { painter.gauge(fraction: usage.isUnlimited ? 0 : usage.fraction, x: x, y: y, width: barWidth, role: role) }
                painter.text(amount, x: x + max(0, barWidth) + 1, y: y, width: amountWidth, role: role)
            }
        }
    }

    /// "8/10", "3.5G/4G", "2/∞".
    static func shortAmount(_ usage: QuotaUsage, glyphs: Glyphs) -> String {
        let used = OverviewScreen.amount(usage.used, of: usage.resource)
        return "\(used)/\(usage.isUnlimited ? glyphs.infinity : OverviewScreen.amount(usage.limit, of: usage.resource))"
    }

    // MARK: events

    static func drawEvents(_ entries: [WallEvents.Entry], offset: Int, in inner: Rect, into painter: inout Painter,
                           empty: String) {
        guard !entries.isEmpty else {
            painter.text(empty, x: inner.x + 1, y: inner.y,
                         width: inner.width - 2, role: .muted)
            return
        }
        for (row, entry) in entries.reversed().enumerated() {
            let y = inner.y + row
            guard y < inner.maxY else { break }
            let role: ThemeRole = switch entry.severity {
            case .info: .text
            case .good: .stateRunning
            case .warning: .statePaused
            case .error: .stateError
            }
            painter.text(Format.clock(entry.time.addingTimeInterval(Double(offset))), x: inner.x + 1, y: y, width: 8, role: .muted)
            painter.text(entry.text, x: inner.x + 11, y: y, width: max(0, inner.width - 12), role: role)
        }
    }
}

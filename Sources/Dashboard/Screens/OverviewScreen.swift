import StacktopModel
import TerminalUI

/// Horizon's Overview: the project's limit summary as gauges, instance counts by state, and totals.
enum OverviewScreen {
    /// The gauges Horizon's "Limit Summary" shows, in its order.
    static let gaugeResources: [QuotaResource] = [.instances, .cores, .ramMiB, .volumes, .gigabytes, .networks, .securityGroups]

    static func draw(_ state: AppState, in rect: Rect, into painter: inout Painter) {
        guard let snapshot = state.snapshot else {
            let inner = painter.box(rect, title: "Overview")
            // Nothing loaded yet: say why when a read failed (a refused password must not look like "loading").
            if let error = state.lastError {
                let lines = ConfirmDialog.wrap(error, width: max(10, inner.width - 2))
                for (offset, line) in lines.prefix(max(1, inner.height)).enumerated() {
                    painter.text(line, x: inner.x + 1, y: inner.y + offset, width: inner.width - 2, role: .stateError)
                }
            } else {
                painter.text("Loading" + painter.glyphs.dots, x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            }
            return
        }
        var rect = rect
        if isLarge(rect) {
            // A large screen also gets what the wall shows: each host's CPU and memory over the last hour,
            // and what happened lately, in a band along the bottom.
            let band: Rect
            (rect, band) = rect.splitBottom(max(12, rect.height * 2 / 5))
            drawActivity(state, snapshot: snapshot, in: band, into: &painter)
        }
        // A fleet's gauges are every context's use added up; under them, each context's sum.
        let perContext = snapshot.fleet.map { members in
            members.map { member in
                ProjectQuotas.sum(member.snapshot.quotas, as: member.context + Self.healthNote(member.health))
            }
        }
        let project = perContext != nil ? "all contexts" : state.backend.currentProject ?? snapshot.quotas.first?.project
        let quotas = perContext.map { ProjectQuotas.sum($0, as: "all contexts") }
            ?? snapshot.quotas.first { $0.project == project }
        let projectRows = perContext ?? snapshot.quotas
        let leftWidth = max(40, rect.width * 3 / 5)
        let (left, right) = rect.splitLeft(leftWidth)
        // Tall screens also get every project's use at a glance under the gauges.
        let gaugeHeight = gaugeResources.count * 2 + 2
        let showProjects = left.width >= 64 && left.height >= gaugeHeight + 3 + min(projectRows.count, 2)
            && !projectRows.isEmpty
        let (gaugeRect, projectRect) = showProjects ? left.splitTop(gaugeHeight) : (left, left)
        let limits = painter.box(gaugeRect, title: "Limit Summary" + (perContext != nil ? painter.glyphs.separator + "all contexts"
            : project.map { painter.glyphs.separator + "project " + $0 } ?? ""))
        drawGauges(quotas, in: limits, into: &painter)
        if showProjects {
            let box = painter.box(projectRect, title: perContext == nil ? "Quota use by project" : "Quota use by context")
            drawProjects(projectRows, current: project, heading: perContext == nil ? "Project" : "Context", in: box, into: &painter)
        }
        let states = state.counts.instancesByState
        let stateHeight = min(right.height, max(4, states.count + 3))
        let (top, bottom) = right.splitTop(stateHeight)
        let stateBox = painter.box(top, title: "Instances by state")
        drawStateCounts(states, total: state.counts.instances, in: stateBox, into: &painter)
        let totals = painter.box(bottom, title: "Resources")
        drawTotals(snapshot, in: totals, into: &painter)
    }

    /// " (down)", " (stale)": a context whose figures are not live says so beside its name.
    static func healthNote(_ health: FleetHealth) -> String {
        switch health {
        case .up: ""
        case .cached: " (cached)"
        case .stale: " (stale)"
        case .down: " (down)"
        }
    }

    /// Screens this large get host sparklines and recent events (200x60 does; 120x40 does not).
    static func isLarge(_ rect: Rect) -> Bool { rect.width >= 160 && rect.height >= 44 }

    /// Hosts (left) and recent events (right), drawn by the wall's own widgets from `activity`.
    static func drawActivity(_ state: AppState, snapshot: CloudSnapshot, in band: Rect, into painter: inout Painter) {
        let (hostRect, eventRect) = band.splitLeft(band.width / 2)
        let hostBox = painter.box(hostRect, title: "Hosts" + painter.glyphs.separator + "CPU and memory, last hour")
        let hosts = snapshot.hypervisors
        let rowsPerMetric = min(4, max(1, hostBox.height / max(1, min(hosts.count, 4) * 2)))
        WallOverview.drawHosts(hosts, history: state.activity.history, now: state.refresh.clock, rowsPerMetric: rowsPerMetric,
                               in: hostBox, into: &painter)
        let eventBox = painter.box(eventRect, title: "Recent events" + painter.glyphs.separator + "times UTC")
        WallOverview.drawEvents(state.activity.events.entries, offset: 0, in: eventBox, into: &painter,
                                empty: "Nothing has happened since stacktop started: state changes, creations, "
                                    + "deletions and outages are listed here.")
    }

    static func drawGauges(_ quotas: ProjectQuotas?, in inner: Rect, into painter: inout Painter) {
        guard let quotas else {
            painter.text("No quotas are recorded for this project.", x: inner.x + 1, y: inner.y, width: inner.width - 2, role: .muted)
            return
        }
        // Two rows per gauge when there is room (label over bar), else one.
        let roomy = inner.height >= gaugeResources.count * 2
        var y = inner.y
        for resource in gaugeResources {
            guard let usage = quotas[resource], y < inner.maxY else { continue }
            let amount = amountText(usage)
            let role = GaugeThresholds.role(for: usage)
            if roomy {
                painter.text(resource.label, x: inner.x + 1, y: y, width: inner.width - 2 - DisplayWidth.of(amount), role: .header)
                painter.text(amount, x: inner.maxX - 1 - DisplayWidth.of(amount), y: y, role: role)
                painter.gauge(fraction: usage.fraction, x: inner.x + 1, y: y + 1, width: inner.width - 2, role: role)
                y += 2
            } else {
                let labelWidth = 16
                let amountWidth = DisplayWidth.of(amount) + 1
                painter.text(resource.label, x: inner.x + 1, y: y, width: labelWidth, role: .header)
                painter.gauge(fraction: usage.fraction, x: inner.x + 1 + labelWidth, y: y,
                              width: inner.width - 2 - labelWidth - amountWidth, role: role)
                painter.text(amount, x: inner.maxX - 1 - DisplayWidth.of(amount), y: y, role: role)
                y += 1
            }
        }
    }

    static let projectColumns: [(title: String, resource: QuotaResource)] = [
        ("Instances", .instances), ("vCPUs", .cores), ("RAM", .ramMiB), ("Volumes", .volumes), ("Storage", .gigabytes),
    ]

    /// One row per project: used/limit per resource, coloured by the same thresholds as the gauges.
    static func drawProjects(_ quotas: [ProjectQuotas], current: String?, heading: String = "Project", in inner: Rect,
                             into painter: inout Painter) {
        let nameWidth = min(16, max(8, quotas.map { DisplayWidth.of($0.project) }.max() ?? 8) + 2)
        let cellWidth = max(8, (inner.width - 2 - nameWidth) / projectColumns.count)
        var x = inner.x + 1 + nameWidth
        painter.text(heading, x: inner.x + 1, y: inner.y, width: nameWidth, role: .header)
        for column in projectColumns where x + cellWidth <= inner.maxX {
            painter.text(column.title, x: x, y: inner.y, width: cellWidth - 1, role: .header, alignRight: true)
            x += cellWidth
        }
        for (offset, project) in quotas.enumerated() where inner.y + 1 + offset < inner.maxY {
            let y = inner.y + 1 + offset
            painter.text(project.project + (project.project == current ? " *" : ""), x: inner.x + 1, y: y, width: nameWidth,
                         role: project.project == current ? .accent : .text)
            x = inner.x + 1 + nameWidth
            for column in projectColumns where x + cellWidth <= inner.maxX {
                if let usage = project[column.resource] {
                    let text = amountText(usage).replacing(" used", with: "")
                        .replacing(" of ", with: "/").replacing(" (no limit)", with: "/" + painter.glyphs.infinity)
                    painter.text(text, x: x, y: y, width: cellWidth - 1, role: GaugeThresholds.role(for: usage), alignRight: true)
                }
                x += cellWidth
            }
        }
    }

    /// "9 of 10 used", "3.5G of 4G used", "2 used (no limit)".
    static func amountText(_ usage: QuotaUsage) -> String {
        if usage.isUnlimited { return "\(amount(usage.used, of: usage.resource)) used (no limit)" }
        return "\(amount(usage.used, of: usage.resource)) of \(amount(usage.limit, of: usage.resource)) used"
    }

    /// "26.8G" of RAM, "40G" of storage, "12" of anything counted.
    static func amount(_ n: Int, of resource: QuotaResource) -> String {
        switch resource.unit {
        case "MiB": Format.mebibytes(n)
        case "GiB": "\(n)G"
        case "bytes": Format.bytes(UInt64(max(0, n)))
        default: String(n)
        }
    }

    static func drawStateCounts(_ states: [(state: InstanceState, count: Int)], total: Int, in inner: Rect,
                                into painter: inout Painter) {
        var y = inner.y
        for (state, count) in states where y < inner.maxY {
            painter.text(state.label, x: inner.x + 1, y: y, width: 14, role: StateColors.role(for: state))
            painter.text(String(count), x: inner.x + 15, y: y, width: 5, alignRight: true)
            let barWidth = inner.width - 22
            if barWidth > 2, total > 0 {
                painter.gauge(fraction: Double(count) / Double(total), x: inner.x + 21, y: y, width: barWidth,
                              role: StateColors.role(for: state))
            }
            y += 1
        }
        if states.isEmpty { painter.text("No instances.", x: inner.x + 1, y: y, role: .muted) }
    }

    /// "Host kvm-01   vCPUs 24 of 32, RAM 26.8G of 64G" (a down host says so).
    static func hostLine(_ host: Hypervisor) -> (String, String) {
        var parts: [String] = []
        if let cpus = host.vcpus { parts.append("vCPUs \(host.vcpusUsed ?? 0) of \(cpus)") }
        if let memory = host.memoryMiB { parts.append("RAM \(Format.mebibytes(host.memoryUsedMiB ?? 0)) of \(Format.mebibytes(memory))") }
        if host.state != "up" { parts.insert(host.state, at: 0) }
        return ("Host " + host.hostname, parts.isEmpty ? host.status : parts.joined(separator: ", "))
    }

    static func drawTotals(_ snapshot: CloudSnapshot, in inner: Rect, into painter: inout Painter) {
        let inUse = snapshot.volumes.filter { !$0.attachedTo.isEmpty }.count
        let lines: [(String, String)] = [
            ("Instances", "\(snapshot.instances.count)"),
            ("Images", "\(snapshot.images.count)"),
            ("Volumes", "\(snapshot.volumes.count) (\(inUse) in use)"),
            ("Networks", "\(snapshot.networks.count)"),
            ("Security groups", "\(snapshot.securityGroups.count)"),
            ("Flavors", "\(snapshot.flavors.count)"),
            ("Key pairs", "\(snapshot.keypairs.count)"),
            ("Projects", "\(snapshot.projects.count)"),
        ] + snapshot.pools.map { pool in
            ("Pool " + pool.name, "\(Format.bytes(pool.allocationBytes)) of \(Format.bytes(pool.capacityBytes))")
        } + snapshot.hypervisors.map(hostLine)
        for (offset, line) in lines.enumerated() where inner.y + offset < inner.maxY {
            painter.text(line.0, x: inner.x + 1, y: inner.y + offset, width: 16, role: .muted)
            painter.text(line.1, x: inner.x + 18, y: inner.y + offset, width: max(0, inner.width - 19))
        }
    }
}

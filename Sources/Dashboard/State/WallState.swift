import StacktopModel

/// How the wall was asked to behave on the command line.
public struct WallSettings: Sendable, Equatable {
    /// The panels shown in turn (the wall overview first by default).
    public var panels: [Panel]
    /// Seconds each panel stays before the next one; nil: no rotation.
    public var rotateSeconds: Double?
    /// No clock and no "updated N s ago": an idle wall then writes nothing at all.
    public var hideClock: Bool
    /// `q` must be pressed twice.
    public var confirmQuit: Bool

    public init(panels: [Panel] = [.overview], rotateSeconds: Double? = nil, hideClock: Bool = false,
                confirmQuit: Bool = false) {
        self.panels = panels.isEmpty ? [.overview] : panels
        self.rotateSeconds = rotateSeconds
        self.hideClock = hideClock
        self.confirmQuit = confirmQuit
    }
}

/// What the wall remembers between refreshes: rotation, the host load history behind its
/// sparklines and the recent events. Bounded in time and count so a wall can run for days.
public struct WallState: Sendable, Equatable {
    public var settings: WallSettings
    /// Index into `settings.panels` of what is shown.
    public var position = 0
    public var paused = false
    /// When the next panel is due (nil: no rotation, or paused).
    public var nextRotation: Date?
    /// `q` was pressed once with --confirm-quit; the next `q` quits, any other key forgets it.
    public var quitArmed = false
    /// When live data last arrived (the "updated N s ago" counter counts from here).
    public var lastUpdate: Date?
    /// The wall clock's offset from UTC (set by the runner from the local time zone; 0 in tests).
    public var utcOffsetSeconds = 0
    public var history = HostHistory()
    public var events = WallEvents()

    public init(settings: WallSettings, now: Date) {
        self.settings = settings
        nextRotation = settings.rotateSeconds.map { now.addingTimeInterval($0) }
    }

    public var currentPanel: Panel { settings.panels[position % settings.panels.count] }

    /// Moves to the next (or previous) panel and restarts the rotation timer.
    mutating func step(by delta: Int, now: Date) {
        let count = settings.panels.count
        position = ((position + delta) % count + count) % count
        scheduleRotation(now: now)
    }

    mutating func togglePause(now: Date) {
        paused.toggle()
        scheduleRotation(now: now)
    }

    private mutating func scheduleRotation(now: Date) {
        guard let seconds = settings.rotateSeconds, !paused, settings.panels.count > 1 else {
            nextRotation = nil
            return
        }
        nextRotation = now.addingTimeInterval(seconds)
    }

    /// Advances the rotation if it is due at `now`; true when the panel changed.
    mutating func rotateIfDue(now: Date) -> Bool {
        guard let due = nextRotation, now >= due else { return false }
        step(by: 1, now: now)
        return true
    }
}

/// Host CPU and memory use over the last hour, one sample per refresh, per host.
public struct HostHistory: Sendable, Equatable {
    public struct Sample: Sendable, Equatable {
        public var time: Date
        /// 0…1; nil when the backend cannot tell.
        public var cpu: Double?
        public var memory: Double?
    }

    /// How far back the sparklines look.
    public static let window: Double = 3600
    /// A hard cap per host whatever the refresh rate (0.2 s refreshes for an hour would be 18,000).
    public static let maximumSamples = 4000

    public private(set) var samples: [String: [Sample]] = [:]

    public init() {}

    /// One sample per host from a live snapshot. CPU is measured load when the backend measures it
    /// (libvirt's node counters), else the share of vCPUs allocated (what Nova reports).
    mutating func record(_ hosts: [Hypervisor], at time: Date) {
        for host in hosts {
            let cpu = host.cpuUtilization ?? ratio(host.vcpusUsed, host.vcpus)
            let memory = ratio(host.memoryUsedMiB, host.memoryMiB)
            var list = samples[host.id, default: []]
            list.append(Sample(time: time, cpu: cpu, memory: memory))
            let oldest = time.addingTimeInterval(-Self.window)
            if let keep = list.firstIndex(where: { $0.time >= oldest }), keep > 0 { list.removeFirst(keep) }
            if list.count > Self.maximumSamples { list.removeFirst(list.count - Self.maximumSamples) }
            samples[host.id] = list
        }
        // Hosts that are gone stop taking memory.
        let present = Set(hosts.map(\.id))
        for id in samples.keys where !present.contains(id) { samples[id] = nil }
    }

    private func ratio(_ used: Int?, _ total: Int?) -> Double? {
        guard let used, let total, total > 0 else { return nil }
        return min(1, max(0, Double(used) / Double(total)))
    }

    /// `columns` averages over the last hour, oldest first; nil where no sample fell.
    /// Buckets are fixed to the clock (not to `now`), so a sparkline moves one column per bucket
    /// period and never redraws while its values do not change.
    public func buckets(host: String, _ value: KeyPath<Sample, Double?>, columns: Int, now: Date) -> [Double?] {
        guard columns > 0 else { return [] }
        let period = Self.window / Double(columns)
        let newest = (now.timeIntervalSinceReferenceDate / period).rounded(.down)
        var sums = [Double](repeating: 0, count: columns)
        var counts = [Int](repeating: 0, count: columns)
        for sample in samples[host] ?? [] {
            guard let number = sample[keyPath: value] else { continue }
            let bucket = (sample.time.timeIntervalSinceReferenceDate / period).rounded(.down)
            let index = columns - 1 - Int(newest - bucket)
            guard index >= 0, index < columns else { continue }
            sums[index] += number
            counts[index] += 1
        }
        var values: [Double?] = (0..<columns).map { counts[$0] == 0 ? nil : sums[$0] / Double(counts[$0]) }
        Self.bridgeShortGaps(&values, period: period)
        return values
    }

    /// Refreshes sparser than the columns leave empty columns between samples; those are filled
    /// with the value before them, but only across gaps shorter than `longestBridge`: a real
    /// outage stays visible as a gap.
    static let longestBridge: Double = 300

    static func bridgeShortGaps(_ values: inout [Double?], period: Double) {
        var lastIndex: Int?
        for index in values.indices {
            guard let value = values[index] else { continue }
            if let last = lastIndex, index - last > 1, Double(index - last) * period <= longestBridge,
               let held = values[last] {
                for gap in (last + 1)..<index { values[gap] = held }
            }
            lastIndex = index
            _ = value
        }
    }

    public func latest(host: String) -> Sample? { samples[host]?.last }
}

/// The most recent things that happened, newest last, as the wall lists them.
public struct WallEvents: Sendable, Equatable {
    public enum Severity: Sendable, Equatable { case info, good, warning, error }

    public struct Entry: Sendable, Equatable {
        public var time: Date
        public var text: String
        public var severity: Severity
    }

    public static let capacity = 200
    public private(set) var entries: [Entry] = []

    public init() {}

    mutating func add(_ text: String, severity: Severity, at time: Date) {
        entries.append(Entry(time: time, text: text, severity: severity))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }

    /// What changed between two snapshots, in the words an operator uses.
    mutating func recordChanges(from old: CloudSnapshot, to new: CloudSnapshot, at time: Date, arrow: String) {
        // Only ids and states: copying whole instances here would cost more than the rest of a refresh.
        var before: [String: InstanceState] = [:]
        before.reserveCapacity(old.instances.count)
        for instance in old.instances { before[instance.id] = instance.state }
        let after = Set(new.instances.map(\.id))
        for instance in new.instances {
            guard let previous = before[instance.id] else {
                add("\(instance.name) created (\(instance.state.label.lowercased()))", severity: .info, at: time)
                continue
            }
            if previous != instance.state {
                add(stateChange(instance.name, from: previous, to: instance.state, arrow: arrow),
                    severity: Self.severity(of: instance.state), at: time)
            }
        }
        for instance in old.instances where !after.contains(instance.id) {
            add("\(instance.name) deleted", severity: .info, at: time)
        }
    }

    func stateChange(_ name: String, from: InstanceState, to: InstanceState, arrow: String) -> String {
        "\(name): \(from.label.lowercased()) \(arrow) \(to.label.lowercased())"
    }

    static func severity(of state: InstanceState) -> Severity {
        switch state {
        case .running: .good
        case .error, .crashed: .error
        case .shutoff, .shutdown, .paused, .suspended: .warning
        default: .info
        }
    }
}

import StacktopModel

/// Per-instance live statistics: the previous read's counters, to make rates of the next one, and a short
/// history of those rates for the details' sparklines. Bounded: `historyLength` reads per instance, and an
/// instance that is gone (or stopped) is forgotten. Costs nothing where no instance has figures (OpenStack,
/// libvirt's test driver): the list is walked once to find that out.
public struct LiveStatistics: Sendable, Equatable {
    /// Reads kept per instance (at the usual refresh interval, the last few minutes).
    public static let historyLength = 60

    public struct Track: Sendable, Equatable {
        var last: InstanceRates.Sample
        public internal(set) var cpuPercent: [Double?] = []
        public internal(set) var memoryUsedKiB: [Double?] = []
        /// Read plus write, and received plus sent: bytes per second.
        public internal(set) var diskRate: [Double?] = []
        public internal(set) var networkRate: [Double?] = []

        mutating func append(_ rates: InstanceRates) {
            func push(_ list: inout [Double?], _ value: Double?) {
                list.append(value)
                if list.count > LiveStatistics.historyLength { list.removeFirst(list.count - LiveStatistics.historyLength) }
            }
            func sum(_ a: Double?, _ b: Double?) -> Double? { a.map { $0 + (b ?? 0) } ?? b }
            push(&cpuPercent, rates.cpuPercent)
            push(&memoryUsedKiB, rates.memoryUsedKiB.map { Double($0) })
            push(&diskRate, sum(rates.diskReadRate, rates.diskWriteRate))
            push(&networkRate, sum(rates.networkReceiveRate, rates.networkSendRate))
        }
    }

    public private(set) var tracks: [String: Track] = [:]

    public init() {}

    /// Fills in each instance's `rates` from its previous read and records them. A cached snapshot's rates
    /// were measured in another run: they are cleared, not shown as now.
    mutating func ingest(_ snapshot: inout CloudSnapshot, live: Bool) {
        guard live else {
            if snapshot.instances.contains(where: { $0.rates != nil }) {
                for index in snapshot.instances.indices { snapshot.instances[index].rates = nil }
            }
            return
        }
        let measured = snapshot.instances.contains { $0.cpuTimeNanoseconds != nil || $0.usage != nil }
        guard measured || !tracks.isEmpty else { return }
        var next: [String: Track] = [:]
        for index in snapshot.instances.indices {
            let instance = snapshot.instances[index]
            let sample = InstanceRates.Sample(instance, at: snapshot.takenAt)
            // A stopped guest's CPU time reads 0: nothing to measure, and a restart starts afresh.
            guard sample.hasFigures, instance.state != .shutoff else {
                if instance.rates != nil { snapshot.instances[index].rates = nil }
                continue
            }
            var track = tracks[instance.id] ?? Track(last: sample)
            let rates = InstanceRates.between(tracks[instance.id]?.last, sample)
            snapshot.instances[index].rates = rates
            track.append(rates)
            track.last = sample
            next[instance.id] = track
        }
        tracks = next
    }
}

import FoundationEssentials

/// What a guest did between two statistics reads: CPU use and byte rates, with the memory in use at the
/// later read. A rate is nil unless both reads carry its counter and it did not go backwards (a guest that
/// restarted in between starts its counters again).
public struct InstanceRates: Sendable, Equatable, Codable {
    /// Share of the guest's vCPUs kept busy, 0-100 (100 = every vCPU all the time, as `virt-top` shows it).
    public var cpuPercent: Double?
    public var memoryUsedKiB: UInt64?
    /// Bytes per second.
    public var diskReadRate: Double?
    public var diskWriteRate: Double?
    public var networkReceiveRate: Double?
    public var networkSendRate: Double?

    public init(cpuPercent: Double? = nil, memoryUsedKiB: UInt64? = nil, diskReadRate: Double? = nil,
                diskWriteRate: Double? = nil, networkReceiveRate: Double? = nil, networkSendRate: Double? = nil) {
        self.cpuPercent = cpuPercent; self.memoryUsedKiB = memoryUsedKiB; self.diskReadRate = diskReadRate
        self.diskWriteRate = diskWriteRate; self.networkReceiveRate = networkReceiveRate
        self.networkSendRate = networkSendRate
    }

    /// One read's counters, with the time it was taken.
    public struct Sample: Sendable, Equatable {
        public var time: Date
        public var vcpus: Int
        public var cpuTimeNanoseconds: UInt64?
        public var usage: InstanceUsage?

        public init(time: Date, vcpus: Int, cpuTimeNanoseconds: UInt64?, usage: InstanceUsage?) {
            self.time = time; self.vcpus = vcpus; self.cpuTimeNanoseconds = cpuTimeNanoseconds; self.usage = usage
        }

        public init(_ instance: Instance, at time: Date) {
            self.init(time: time, vcpus: instance.vcpus, cpuTimeNanoseconds: instance.cpuTimeNanoseconds,
                      usage: instance.usage)
        }

        /// Whether it holds anything a rate or the memory column could be made of.
        public var hasFigures: Bool { cpuTimeNanoseconds != nil || usage != nil }
    }

    /// The rates from `previous` to `current`; with no previous read only the memory in use is known.
    public static func between(_ previous: Sample?, _ current: Sample) -> InstanceRates {
        var rates = InstanceRates(memoryUsedKiB: current.usage?.memoryUsedKiB)
        guard let previous else { return rates }
        let seconds = current.time.timeIntervalSince(previous.time)
        guard seconds > 0, seconds.isFinite else { return rates }
        func rate(_ a: UInt64?, _ b: UInt64?) -> Double? {
            guard let a, let b, b >= a else { return nil }
            return Double(b - a) / seconds
        }
        if current.vcpus > 0, let used = rate(previous.cpuTimeNanoseconds, current.cpuTimeNanoseconds) {
            // Nanoseconds of CPU per second of wall time, per vCPU; a read that comes late cannot make it over 100.
            rates.cpuPercent = min(100, used / 1e9 / Double(current.vcpus) * 100)
        }
        rates.diskReadRate = rate(previous.usage?.diskReadBytes, current.usage?.diskReadBytes)
        rates.diskWriteRate = rate(previous.usage?.diskWriteBytes, current.usage?.diskWriteBytes)
        rates.networkReceiveRate = rate(previous.usage?.networkReceivedBytes, current.usage?.networkReceivedBytes)
        rates.networkSendRate = rate(previous.usage?.networkSentBytes, current.usage?.networkSentBytes)
        return rates
    }
}

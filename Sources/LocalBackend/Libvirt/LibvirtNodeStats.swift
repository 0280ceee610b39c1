import CLibvirt

/// Cumulative CPU time of all host CPUs since boot (virNodeGetCPUStats), in nanoseconds.
/// One reading says nothing about load; two readings apart in time do.
public struct NodeCPUTimes: Sendable, Equatable {
    /// kernel + user + iowait: time the CPUs were not free for guests.
    public var busy: UInt64
    public var idle: UInt64

    public init(busy: UInt64, idle: UInt64) {
        self.busy = busy; self.idle = idle
    }

    /// The share (0…1) of all CPU time since `earlier` that was busy; nil when no time passed
    /// (drivers with fixed counters, such as the test driver) or the counters went back (the host rebooted).
    public func utilization(since earlier: NodeCPUTimes) -> Double? {
        guard busy >= earlier.busy, idle >= earlier.idle else { return nil }
        let busyDelta = Double(busy - earlier.busy), total = busyDelta + Double(idle - earlier.idle)
        guard total > 0 else { return nil }
        return min(max(busyDelta / total, 0), 1)
    }
}

extension LibvirtConnection {
    /// The host's CPU counters summed over all CPUs; nil when the driver cannot tell.
    func nodeCPUTimes() -> NodeCPUTimes? {
        let values = Self.namedValues { params, count in
            virNodeGetCPUStats(handle, Int32(VIR_NODE_CPU_STATS_ALL_CPUS.rawValue), params, count, 0)
        }
        guard let values, let idle = values["idle"] else { return nil }
        let busy = ["kernel", "user", "iowait"].reduce(UInt64(0)) { $0 &+ (values[$1] ?? 0) }
        return NodeCPUTimes(busy: busy, idle: idle)
    }

    /// The host's memory in use, as `free` counts it (total − free − buffers − cached); nil when
    /// the driver cannot tell (the test driver does not implement virNodeGetMemoryStats).
    func nodeMemoryUsedMiB() -> Int? {
        let values = Self.namedValues { params, count in
            virNodeGetMemoryStats(handle, Int32(VIR_NODE_MEMORY_STATS_ALL_CELLS.rawValue), params, count, 0)
        }
        guard let values, let total = values["total"], let free = values["free"] else { return nil }
        let reclaimable = free &+ (values["buffers"] ?? 0) &+ (values["cached"] ?? 0)
        return Int((total > reclaimable ? total - reclaimable : 0) / 1024)
    }

    /// Calls a libvirt "stats" function the documented way: once with no buffer to learn how many
    /// fields there are, then with a buffer that size. Both stats structs share this layout
    /// (`char field[80]; unsigned long long value`), hence the generic element.
    private static func namedValues<Param: NodeStatsParam>(
        _ call: (UnsafeMutablePointer<Param>?, UnsafeMutablePointer<Int32>) -> Int32
    ) -> [String: UInt64]? {
        var count: Int32 = 0
        guard call(nil, &count) == 0, count > 0 else { return nil }
        var params = [Param](repeating: Param(), count: Int(count))
        let read = params.withUnsafeMutableBufferPointer { call($0.baseAddress, &count) }
        guard read == 0 else { return nil }
        var values: [String: UInt64] = [:]
        for param in params.prefix(Int(max(count, 0))) { values[param.name] = param.number }
        return values
    }
}

protocol NodeStatsParam {
    init()
    var name: String { get }
    var number: UInt64 { get }
}

extension virNodeCPUStats: NodeStatsParam {
    var name: String { fieldName(field) }
    var number: UInt64 { UInt64(value) }
}

extension virNodeMemoryStats: NodeStatsParam {
    var name: String { fieldName(field) }
    var number: UInt64 { UInt64(value) }
}

/// A fixed-size C `char[]` (imported as a tuple) as a String, up to its NUL.
private func fieldName<Tuple>(_ field: Tuple) -> String {
    withUnsafeBytes(of: field) { bytes in
        String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
    }
}

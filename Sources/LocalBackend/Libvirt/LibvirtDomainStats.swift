#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopServices
import StacktopModel

/// What a domain is doing now, as one bulk read tells it. A field is nil when the driver does not give
/// it in bulk (libvirt's test driver gives the state alone); `info` then fills it from `virDomainGetInfo`.
struct DomainRuntime {
    /// The raw `virDomainState`.
    var state: Int32
    var vcpus: Int?
    var memoryKiB: UInt64?
    var cpuTime: UInt64?
    /// Memory in use and disk and network totals of a running guest (nil where the driver gives none).
    var usage: InstanceUsage?
    /// `balloon.rss`, or `balloon.current - balloon.unused`, from the first bulk read.
    var memoryUsedKiB: UInt64?

    init(state: Int32, vcpus: Int? = nil, memoryKiB: UInt64? = nil, cpuTime: UInt64? = nil) {
        self.state = state; self.vcpus = vcpus; self.memoryKiB = memoryKiB; self.cpuTime = cpuTime
    }

    init(_ info: virDomainInfo) {
        self.init(state: Int32(info.state), vcpus: Int(info.nrVirtCpu), memoryKiB: UInt64(info.maxMem),
                  cpuTime: UInt64(info.cpuTime))
    }

    var isShutOff: Bool { state == Int32(VIR_DOMAIN_SHUTOFF.rawValue) }

    /// Running, blocked, paused or suspended to memory: the guest holds its devices and its leases.
    var isActive: Bool {
        switch UInt32(state) {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue, VIR_DOMAIN_PAUSED.rawValue,
             VIR_DOMAIN_PMSUSPENDED.rawValue: true
        default: false
        }
    }

    /// Whether vCPUs, memory and CPU time are all known.
    var isComplete: Bool { vcpus != nil && memoryKiB != nil && cpuTime != nil }
}

/// A domain as one bulk read lists it; `domain` is alive while the read's body runs.
typealias ListedDomain = (domain: OpaquePointer, key: DomainKey, runtime: DomainRuntime)

extension LibvirtConnection {
    private static let bulkStats = VIR_DOMAIN_STATS_STATE.rawValue | VIR_DOMAIN_STATS_BALLOON.rawValue
        | VIR_DOMAIN_STATS_VCPU.rawValue

    /// Every domain with its state, and where the driver gives them its vCPUs, memory and CPU time, in two
    /// calls: `virConnectGetAllDomainStats` for every domain, and again for the CPU time of the running ones
    /// (QEMU reads it from each domain's process, which a shut-off domain does not have: libvirt 9 then
    /// reports the daemon's own time, and spends most of the call doing so). `body` sees the domain objects
    /// while they are alive. A driver without bulk statistics is listed and asked per domain
    /// (`virDomainGetInfo`) instead.
    func withDomainRuntimes<T>(_ body: ([ListedDomain]) throws -> T) throws -> T {
        var records: UnsafeMutablePointer<virDomainStatsRecordPtr?>?
        let count = virConnectGetAllDomainStats(handle, Self.bulkStats, &records, 0)
        guard count >= 0 else {
            guard LibvirtRuntime.lastErrorCode() == Int32(VIR_ERR_NO_SUPPORT.rawValue) else {
                throw listFailure("domains")
            }
            return try withListedDomainRuntimes(body)
        }
        defer { if let records { virDomainStatsRecordListFree(records) } }
        var domains: [ListedDomain] = []
        domains.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            guard let record = records?[index]?.pointee, let domain = record.dom, let key = DomainKey(domain) else {
                continue
            }
            let params = record.params, paramCount = record.nparams
            var state: Int32 = 0
            guard virTypedParamsGetInt(params, paramCount, "state.state", &state) == 1 else {
                // No state in bulk: this domain is asked on its own (left out when it vanished meanwhile).
                var info = virDomainInfo()
                if virDomainGetInfo(domain, &info) == 0 { domains.append((domain, key, DomainRuntime(info))) }
                continue
            }
            var runtime = DomainRuntime(state: state)
            var vcpus: UInt32 = 0, memory: UInt64 = 0
            if virTypedParamsGetUInt(params, paramCount, "vcpu.current", &vcpus) == 1 { runtime.vcpus = Int(vcpus) }
            if virTypedParamsGetULLong(params, paramCount, "balloon.maximum", &memory) == 1 { runtime.memoryKiB = memory }
            if !runtime.isShutOff { runtime.memoryUsedKiB = DomainStatistics.memoryUsedKiB(params, paramCount) }
            // A shut-off domain has used no CPU time since it last ran; `virDomainGetInfo` says 0 too.
            if runtime.isShutOff { runtime.cpuTime = 0 }
            domains.append((domain, key, runtime))
        }
        // The test driver's CPU time is not shown (see `reportsRealCPUTime`), so it is not asked, and neither
        // are its made-up disk and network totals.
        if reportsRealCPUTime, domains.contains(where: { !$0.runtime.isShutOff }) {
            let totals = activeTotals()
            for index in domains.indices where !domains[index].runtime.isShutOff {
                let read = totals[domains[index].key]
                domains[index].runtime.cpuTime = read?.cpuTime
                var usage = read?.usage ?? InstanceUsage()
                usage.memoryUsedKiB = domains[index].runtime.memoryUsedKiB
                domains[index].runtime.usage = usage == InstanceUsage() ? nil : usage
            }
        }
        return try body(domains)
    }

    /// "cpu.time" and the disk and network byte totals of every running domain, in one call (only the
    /// groups those need); empty when the call fails (each running domain is then asked on its own).
    private func activeTotals() -> [DomainKey: (cpuTime: UInt64?, usage: InstanceUsage)] {
        var records: UnsafeMutablePointer<virDomainStatsRecordPtr?>?
        let groups = VIR_DOMAIN_STATS_CPU_TOTAL.rawValue | VIR_DOMAIN_STATS_INTERFACE.rawValue
            | VIR_DOMAIN_STATS_BLOCK.rawValue
        let count = virConnectGetAllDomainStats(handle, groups, &records,
                                                VIR_CONNECT_GET_ALL_DOMAINS_STATS_ACTIVE.rawValue)
        guard count > 0, let records else { return [:] }
        defer { virDomainStatsRecordListFree(records) }
        var totals: [DomainKey: (cpuTime: UInt64?, usage: InstanceUsage)] = [:]
        totals.reserveCapacity(Int(count))
        for index in 0..<Int(count) {
            guard let record = records[index]?.pointee, let domain = record.dom, let key = DomainKey(domain) else {
                continue
            }
            var time: UInt64 = 0
            let cpuTime = virTypedParamsGetULLong(record.params, record.nparams, "cpu.time", &time) == 1 ? time : nil
            totals[key] = (cpuTime, DomainStatistics.usage(record.params, record.nparams))
        }
        return totals
    }

    private func withListedDomainRuntimes<T>(_ body: ([ListedDomain]) throws -> T) throws -> T {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(handle, &list, 0)
        guard count >= 0 else { throw listFailure("domains") }
        defer {
            for index in 0..<Int(count) { if let domain = list?[index] { virDomainFree(domain) } }
            free(list)
        }
        var domains: [ListedDomain] = []
        for index in 0..<Int(count) {
            var info = virDomainInfo()
            guard let domain = list?[index], let key = DomainKey(domain), virDomainGetInfo(domain, &info) == 0 else {
                continue
            }
            domains.append((domain, key, DomainRuntime(info)))
        }
        return try body(domains)
    }

    /// The domains that have a managed save image (stacktop's suspend), in one call; nil when the driver
    /// cannot filter on it, and `virDomainHasManagedSaveImage` is asked per shut-off domain instead.
    func managedSaveKeys() -> Set<DomainKey>? {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(handle, &list, UInt32(VIR_CONNECT_LIST_DOMAINS_MANAGEDSAVE.rawValue))
        guard count >= 0 else { return nil }
        let keys = consumeList(list, count: count, free: virDomainFree) { DomainKey($0) }
        return Set(keys)
    }
}

/// Reading the statistics groups' typed parameters into running totals.
enum DomainStatistics {
    /// `balloon.rss` where the driver gives it, else `balloon.current - balloon.unused` (the guest's own
    /// balloon driver figures); nil when neither is there.
    static func memoryUsedKiB(_ params: UnsafeMutablePointer<virTypedParameter>?, _ count: Int32) -> UInt64? {
        var rss: UInt64 = 0, current: UInt64 = 0, unused: UInt64 = 0
        if virTypedParamsGetULLong(params, count, "balloon.rss", &rss) == 1, rss > 0 { return rss }
        guard virTypedParamsGetULLong(params, count, "balloon.current", &current) == 1,
              virTypedParamsGetULLong(params, count, "balloon.unused", &unused) == 1 else { return nil }
        return current >= unused ? current - unused : nil
    }

    /// Disk read/write and network receive/send bytes, summed over `block.N.*` and `net.N.*`; a total is
    /// nil when no device reported it.
    static func usage(_ params: UnsafeMutablePointer<virTypedParameter>?, _ count: Int32) -> InstanceUsage {
        func sum(_ group: String, _ fields: (String, String)) -> (UInt64?, UInt64?) {
            var devices: UInt32 = 0
            guard virTypedParamsGetUInt(params, count, group + ".count", &devices) == 1 else { return (nil, nil) }
            var first: UInt64?, second: UInt64?
            // The count comes from outside: a bound keeps a bogus one from spinning here.
            for device in 0..<min(Int(devices), 4096) {
                var value: UInt64 = 0
                if virTypedParamsGetULLong(params, count, "\(group).\(device).\(fields.0)", &value) == 1 {
                    first = (first ?? 0) &+ value
                }
                if virTypedParamsGetULLong(params, count, "\(group).\(device).\(fields.1)", &value) == 1 {
                    second = (second ?? 0) &+ value
                }
            }
            return (first, second)
        }
        let disk = sum("block", ("rd.bytes", "wr.bytes"))
        let net = sum("net", ("rx.bytes", "tx.bytes"))
        return InstanceUsage(diskReadBytes: disk.0, diskWriteBytes: disk.1,
                             networkReceivedBytes: net.0, networkSentBytes: net.1)
    }
}

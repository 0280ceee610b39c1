#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices

/// Finds the pool volume behind a disk: by host path, or by pool and volume name for disks that name a
/// volume (`<source pool= volume=>`). libvirt refuses a "/" in a pool's name, so "pool/volume" names one volume.
struct VolumeIndex {
    private var byPath: [String: PoolVolume] = [:]
    private var byPoolAndName: [String: PoolVolume] = [:]

    init(_ volumes: [PoolVolume]) {
        for volume in volumes {
            byPath[volume.path] = volume
            byPoolAndName[volume.pool + "/" + volume.name] = volume
        }
    }

    var isEmpty: Bool { byPath.isEmpty }

    /// While a domain is read: by the pool and volume its XML names, else by the disk's path.
    func volume(for disk: InstanceDisk, named: DomainDefinition.VolumeName?) -> PoolVolume? {
        if let pool = named?.pool, let name = named?.volume { return byPoolAndName[pool + "/" + name] }
        return disk.source.flatMap { byPath[$0] }
    }

    /// Once read: a disk's source is a host path, or "pool/volume" for a disk that names a volume.
    func volume(for disk: InstanceDisk) -> PoolVolume? {
        guard let source = disk.source else { return nil }
        return byPath[source] ?? byPoolAndName[source]
    }
}

extension LibvirtConnection {
    /// libvirt's test driver reports the wall clock since 1970 as CPU time; showing it would be a lie.
    /// (`test+unix://` reaches the same driver inside libvirtd.)
    var reportsRealCPUTime: Bool { !(uri.hasPrefix("test:") || uri.hasPrefix("test+")) }

    /// Reached through a transport (`qemu+ssh://`, `qemu+tcp://`, `test+unix://`) or on another host
    /// (`qemu://host/system`): each call waits a round trip, so definitions are read several at a time.
    var isDistant: Bool { Self.isDistant(uri: uri) }

    public static func isDistant(uri: String) -> Bool {
        guard let separator = uri.range(of: "://") else { return false }
        let scheme = uri[..<separator.lowerBound], rest = uri[separator.upperBound...]
        return scheme.contains("+") || !(rest.first == "/" || rest.isEmpty)
    }

    /// How many calls a distant host is sent at once.
    static let distantCallWidth = 8

    /// How many calls go at once where a list is read object by object: several on a distant host, else one.
    var callWidth: Int { isDistant ? Self.distantCallWidth : 1 }

    /// Every domain as an instance. States, vCPUs, memory and CPU time come in bulk; a domain's
    /// XML is read only when `cache` says it may have changed (see `DomainReadCache`); addresses come from
    /// one lease list per network. Domains that vanish while being read are left out.
    func instances(volumes: VolumeIndex, cache: DomainReadCache) throws -> [Instance] {
        try cache.read { plan, table in
            try withDomainRuntimes { domains in
                var listed: [(domain: OpaquePointer, key: DomainKey, slot: Int, runtime: DomainRuntime)] = []
                listed.reserveCapacity(domains.count)
                table.reserve(domains.count)
                // The definitions to read (new, changed or marked), read before the loop: on a distant host
                // several at a time (`ConcurrentCalls`), since each is a round trip.
                let toRead = domains.indices.filter { index in
                    let (_, key, runtime) = domains[index]
                    guard let known = table.slot(of: key) else { return true }
                    return plan.mustReread(key) || table[known].state != runtime.state
                }
                let read = try ConcurrentCalls.map(count: toRead.count, width: callWidth) {
                    let (domain, key, runtime) = domains[toRead[$0]]
                    return try readEntry(domain, key: key, runtime: runtime)
                }
                var fresh = [DomainReadCache.Entry??](repeating: nil, count: domains.count)
                for (position, index) in toRead.enumerated() { fresh[index] = .some(read[position]) }
                for (index, (domain, key, runtime)) in domains.enumerated() {
                    let slot: Int
                    if let entry = fresh[index] {
                        guard let entry else { continue }  // gone since the listing
                        slot = table.store(entry, for: key)
                    } else {
                        slot = table.slot(of: key)!
                        table[slot].refreshName(from: domain)
                    }
                    table[slot].seen = plan.number
                    listed.append((domain, key, slot, runtime))
                }
                if table.sweep(keeping: plan.number, listed: listed.count) {
                    for index in listed.indices { listed[index].slot = table.slot(of: listed[index].key)! }
                }
                let managedSaves = keepsRuntimeWithDefinition || !listed.contains { $0.runtime.isShutOff }
                    ? [] : managedSaveKeys()
                var leases: DHCPLeases?
                if !keepsRuntimeWithDefinition {
                    var networks: Set<String> = []
                    for row in listed where row.runtime.isActive {
                        for interface in table[row.slot].interfaces {
                            if let network = interface.network { networks.insert(network) }
                        }
                    }
                    leases = dhcpLeases(networks: networks)
                }
                let previous = table.instances
                var made: [Instance] = []
                made.reserveCapacity(listed.count)
                // Whether every instance is the previous read's, at the same place.
                var same = listed.count == previous.count
                for row in listed {
                    guard let now = refresh(&table[row.slot], domain: row.domain, runtime: row.runtime, volumes: volumes,
                                            managedSave: managedSaves?.contains(row.key), leases: leases) else {
                        table[row.slot].made = nil
                        continue
                    }
                    // Unchanged since the previous read: the same value, with the same storage.
                    if let last = table[row.slot].made, !now.devicesChanged, last.scalars == now.scalars,
                       previous.indices.contains(last.position), previous[last.position].id == table[row.slot].id {
                        same = same && last.position == made.count
                        made.append(previous[last.position])
                    } else {
                        same = false
                        made.append(table[row.slot].instance(now.scalars))
                    }
                    table[row.slot].made = (made.count - 1, now.scalars)
                }
                return same && made.count == previous.count ? previous : table.settle(made)
            }
        }
    }

    /// nil when the domain disappeared between listing and reading.
    private func readEntry(_ domain: OpaquePointer, key: DomainKey,
                           runtime: DomainRuntime) throws -> DomainReadCache.Entry? {
        guard let namePointer = virDomainGetName(domain) else { return nil }
        let name = String(cString: namePointer)
        guard let id = LibvirtStates.uuid(of: domain),
              let root = try parseLibvirtXML(virDomainGetXMLDesc(domain, 0), what: "instance \(name)") else {
            return nil
        }
        var entry = DomainReadCache.Entry(key: key, id: id, name: name, state: runtime.state,
                                          definition: DomainDefinition(xml: root))
        if keepsRuntimeWithDefinition {
            var info = virDomainInfo()
            guard virDomainGetInfo(domain, &info) == 0 else { return nil }
            let addresses = runtime.isActive ? leaseAddresses(domain, interfaces: entry.interfaces) : nil
            entry.kept = .init(vcpus: Int(info.nrVirtCpu), memoryKiB: UInt64(info.maxMem), addresses: addresses,
                               managedSave: runtime.isShutOff && virDomainHasManagedSaveImage(domain, 0) == 1)
        }
        return entry
    }

    /// Brings `entry`'s disk capacities and interface addresses up to date, changing its arrays only where a
    /// value changed, and says what else the instance is made of; nil when the domain vanished since the listing.
    private func refresh(_ entry: inout DomainReadCache.Entry, domain: OpaquePointer, runtime: DomainRuntime,
                         volumes: VolumeIndex, managedSave: Bool?,
                         leases: DHCPLeases?) -> (scalars: DomainReadCache.Scalars, devicesChanged: Bool)? {
        var runtime = runtime
        if let kept = entry.kept {
            runtime.vcpus = runtime.vcpus ?? kept.vcpus
            runtime.memoryKiB = runtime.memoryKiB ?? kept.memoryKiB
        } else if !runtime.isComplete {
            // Gone since the listing: left out, as it would be a moment later.
            var info = virDomainInfo()
            guard virDomainGetInfo(domain, &info) == 0 else { return nil }
            let asked = DomainRuntime(info)
            runtime.vcpus = runtime.vcpus ?? asked.vcpus
            runtime.memoryKiB = runtime.memoryKiB ?? asked.memoryKiB
            runtime.cpuTime = runtime.cpuTime ?? asked.cpuTime
        }
        var state = LibvirtStates.instanceState(UInt32(runtime.state))
        // A managed save (stacktop's suspend) leaves the domain shut off with a saved image: it is suspended.
        if runtime.isShutOff, entry.kept?.managedSave ?? managedSave ?? (virDomainHasManagedSaveImage(domain, 0) == 1) {
            state = .suspended
        }
        var changed = false
        for index in entry.disks.indices {
            let named = entry.volumeNames.isEmpty ? nil : entry.volumeNames[index]
            let capacity: UInt64?
            if !volumes.isEmpty, let volume = volumes.volume(for: entry.disks[index], named: named) {
                capacity = volume.capacityBytes
            } else if let known = entry.blockCapacities[index] {
                capacity = known
            } else {
                capacity = blockCapacity(domain, disk: entry.disks[index])
                entry.blockCapacities[index] = capacity
            }
            if entry.disks[index].capacityBytes != capacity {
                entry.disks[index].capacityBytes = capacity
                changed = true
            }
        }
        let perDomain = runtime.isActive && entry.kept == nil && leases == nil
            ? leaseAddresses(domain, interfaces: entry.interfaces) : nil
        for index in entry.interfaces.indices {
            let addresses = !runtime.isActive ? []
                : entry.kept?.addresses?[index] ?? leases?.addresses(of: entry.interfaces[index]) ?? perDomain?[index] ?? []
            if entry.interfaces[index].addresses != addresses {
                entry.interfaces[index].addresses = addresses
                changed = true
            }
        }
        let scalars = DomainReadCache.Scalars(
            state: state, vcpus: runtime.vcpus ?? 0, memoryMiB: Int((runtime.memoryKiB ?? 0) / 1024),
            cpuTime: reportsRealCPUTime ? runtime.cpuTime ?? 0 : nil,
            powerState: LibvirtStates.powerState(UInt32(runtime.state)), usage: runtime.usage)
        return (scalars, changed)
    }

    /// For disks outside any pool; errors (e.g. a missing file) leave the capacity unknown.
    private func blockCapacity(_ domain: OpaquePointer, disk: InstanceDisk) -> UInt64? {
        guard disk.source != nil else { return nil }
        var info = virDomainBlockInfo()
        return virDomainGetBlockInfo(domain, disk.target, &info, 0) == 0 ? UInt64(info.capacity) : nil
    }
}

extension DomainReadCache.Entry {
    init(key: DomainKey, id: String, name: String, state: Int32, definition: DomainDefinition) {
        self.key = key; self.id = id; self.name = name; self.state = state
        disks = definition.disks.map(\.disk)
        let named = definition.disks.map { DomainDefinition.VolumeName(pool: $0.pool, volume: $0.volume) }
        volumeNames = named.contains { $0.pool != nil || $0.volume != nil } ? named : []
        interfaces = definition.interfaces
        graphics = definition.graphics
    }

    /// The instance as it stands; its disk and interface lists are the entry's own (shared storage).
    func instance(_ scalars: DomainReadCache.Scalars) -> Instance {
        Instance(id: id, name: name, state: scalars.state, vcpus: scalars.vcpus, memoryMiB: scalars.memoryMiB,
                 disks: disks, interfaces: interfaces, graphics: graphics, cpuTimeNanoseconds: scalars.cpuTime,
                 powerState: scalars.powerState, usage: scalars.usage)
    }

    /// A rename comes with events, but they may arrive after this read, and the name costs nothing to check:
    /// libvirt hands it over with the domain object. The kept string is reused while the bytes are the same.
    mutating func refreshName(from domain: OpaquePointer) {
        guard let pointer = virDomainGetName(domain) else { return }
        let length = strlen(pointer)
        let same = name.utf8.count == length
            && name.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, pointer, length) == 0 } ?? false
        guard !same else { return }
        name = String(cString: pointer)
        made = nil
    }
}

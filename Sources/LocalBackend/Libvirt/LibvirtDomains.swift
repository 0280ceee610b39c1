#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices

/// Finds the pool volume behind a disk, by path or by pool and volume name.
struct VolumeIndex {
    private var byPath: [String: PoolVolume] = [:]
    private var byPoolAndName: [String: PoolVolume] = [:]

    init(_ volumes: [PoolVolume]) {
        for volume in volumes {
            byPath[volume.path] = volume
            byPoolAndName[volume.pool + "\u{0}" + volume.name] = volume
        }
    }

    func volume(for disk: DomainDefinition.Disk) -> PoolVolume? {
        if let pool = disk.pool, let name = disk.volume { return byPoolAndName[pool + "\u{0}" + name] }
        return disk.disk.source.flatMap { byPath[$0] }
    }
}

extension LibvirtConnection {
    /// libvirt's test driver reports the wall clock since 1970 as CPU time; showing it would be a lie.
    var reportsRealCPUTime: Bool { !uri.hasPrefix("test:") }

    /// Every domain as an instance. States, vCPUs, memory and CPU time come from one bulk call; a domain's
    /// XML is read only when `cache` says it may have changed (see `DomainReadCache`); addresses come from
    /// one lease list per network. Domains that vanish while being read are left out.
    func instances(volumes: VolumeIndex, cache: DomainReadCache) throws -> [Instance] {
        try cache.read { plan, table in
            try withDomainRuntimes { domains in
                var listed: [(domain: OpaquePointer, key: DomainKey, slot: Int, runtime: DomainRuntime)] = []
                listed.reserveCapacity(domains.count)
                for (domain, runtime) in domains {
                    guard let key = DomainKey(domain) else { continue }
                    let slot: Int
                    if let known = table.slot(of: key), !plan.mustReread(key), table[known].state == runtime.state {
                        slot = known
                        table[slot].refreshName(from: domain)
                    } else {
                        guard let entry = try readEntry(domain, key: key, runtime: runtime) else { continue }
                        slot = table.store(entry, for: key)
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
                        for interface in table[row.slot].definition.interfaces {
                            if let network = interface.network { networks.insert(network) }
                        }
                    }
                    leases = dhcpLeases(networks: networks)
                }
                var made: [Instance] = []
                made.reserveCapacity(listed.count)
                for row in listed {
                    if let instance = instance(row.domain, runtime: row.runtime, entry: &table[row.slot], volumes: volumes,
                                               managedSave: managedSaves?.contains(row.key), leases: leases) {
                        made.append(instance)
                    }
                }
                return table.settle(made)
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
        var entry = DomainReadCache.Entry(key: key, id: id, name: name, state: runtime.state, definition: DomainDefinition(xml: root))
        if keepsRuntimeWithDefinition {
            var info = virDomainInfo()
            guard virDomainGetInfo(domain, &info) == 0 else { return nil }
            let addresses = runtime.isActive ? leaseAddresses(domain, interfaces: entry.definition.interfaces) : nil
            entry.kept = .init(vcpus: Int(info.nrVirtCpu), memoryKiB: UInt64(info.maxMem), addresses: addresses,
                               managedSave: runtime.isShutOff && virDomainHasManagedSaveImage(domain, 0) == 1)
        }
        return entry
    }

    private func instance(_ domain: OpaquePointer, runtime: DomainRuntime, entry: inout DomainReadCache.Entry,
                          volumes: VolumeIndex, managedSave: Bool?, leases: DHCPLeases?) -> Instance? {
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
        var capacities: [UInt64?] = []
        capacities.reserveCapacity(entry.definition.disks.count)
        for (index, disk) in entry.definition.disks.enumerated() {
            if let volume = volumes.volume(for: disk) {
                capacities.append(volume.capacityBytes)
            } else if let known = entry.blockCapacities[index] {
                capacities.append(known)
            } else {
                let asked = blockCapacity(domain, disk: disk.disk)
                entry.blockCapacities[index] = asked
                capacities.append(asked)
            }
        }
        let addresses = !runtime.isActive ? nil
            : entry.kept?.addresses ?? leases?.addresses(of: entry.definition.interfaces)
                ?? leaseAddresses(domain, interfaces: entry.definition.interfaces)
        let inputs = DomainReadCache.InstanceInputs(
            state: state, vcpus: runtime.vcpus ?? 0, memoryMiB: Int((runtime.memoryKiB ?? 0) / 1024),
            cpuTime: reportsRealCPUTime ? runtime.cpuTime ?? 0 : nil, capacities: capacities, addresses: addresses)
        // Unchanged since the previous read: the same value, with the same storage.
        if let previous = entry.instance, entry.inputs == inputs { return previous }
        var disks = entry.definition.disks.map(\.disk)
        for index in disks.indices { disks[index].capacityBytes = capacities[index] }
        var interfaces = entry.definition.interfaces
        for (slot, found) in (addresses ?? []).enumerated() where !found.isEmpty { interfaces[slot].addresses = found }
        let made = Instance(id: entry.id, name: entry.name, state: state, vcpus: inputs.vcpus, memoryMiB: inputs.memoryMiB,
                            disks: disks, interfaces: interfaces, graphics: entry.definition.graphics,
                            cpuTimeNanoseconds: inputs.cpuTime)
        entry.instance = made
        entry.inputs = inputs
        return made
    }

    /// For disks outside any pool; errors (e.g. a missing file) leave the capacity unknown.
    private func blockCapacity(_ domain: OpaquePointer, disk: InstanceDisk) -> UInt64? {
        guard disk.source != nil else { return nil }
        var info = virDomainBlockInfo()
        return virDomainGetBlockInfo(domain, disk.target, &info, 0) == 0 ? UInt64(info.capacity) : nil
    }
}

extension DomainReadCache.Entry {
    /// A rename comes with events, but they may arrive after this read, and the name costs nothing to check:
    /// libvirt hands it over with the domain object. The kept string is reused while the bytes are the same.
    mutating func refreshName(from domain: OpaquePointer) {
        guard let pointer = virDomainGetName(domain) else { return }
        let length = strlen(pointer)
        let same = name.utf8.count == length
            && name.utf8.withContiguousStorageIfAvailable { memcmp($0.baseAddress!, pointer, length) == 0 } ?? false
        guard !same else { return }
        name = String(cString: pointer)
        instance = nil
        inputs = nil
    }
}

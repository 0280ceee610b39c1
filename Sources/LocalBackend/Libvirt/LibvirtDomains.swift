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

    func instances(volumes: VolumeIndex) throws -> [Instance] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(handle, &list, 0)
        guard count >= 0 else { throw listFailure("domains") }
        return try consumeList(list, count: count, free: virDomainFree) { domain in
            try instance(domain, volumes: volumes)
        }
    }

    /// nil when the domain disappeared between listing and reading.
    private func instance(_ domain: OpaquePointer, volumes: VolumeIndex) throws -> Instance? {
        guard let id = LibvirtStates.uuid(of: domain), let namePointer = virDomainGetName(domain) else { return nil }
        let name = String(cString: namePointer)
        var info = virDomainInfo()
        guard virDomainGetInfo(domain, &info) == 0 else { return nil }
        guard let root = try parseLibvirtXML(virDomainGetXMLDesc(domain, 0), what: "instance \(name)") else {
            return nil
        }
        let definition = DomainDefinition(xml: root)
        var state = LibvirtStates.instanceState(UInt32(info.state))
        // A managed save (stacktop's suspend) leaves the domain shut off with a saved image: it is suspended.
        if state == .shutoff, virDomainHasManagedSaveImage(domain, 0) == 1 { state = .suspended }
        let disks = definition.disks.map { disk in
            var filled = disk.disk
            filled.capacityBytes = volumes.volume(for: disk)?.capacityBytes ?? blockCapacity(domain, disk: filled)
            return filled
        }
        var interfaces = definition.interfaces
        if state == .running || state == .paused || state == .suspended {
            fillAddresses(domain, into: &interfaces)
        }
        return Instance(id: id, name: name, state: state, vcpus: Int(info.nrVirtCpu),
                        memoryMiB: Int(info.maxMem / 1024), disks: disks, interfaces: interfaces,
                        graphics: definition.graphics, cpuTimeNanoseconds: reportsRealCPUTime ? UInt64(info.cpuTime) : nil)
    }

    /// For disks outside any pool; errors (e.g. a missing file) leave the capacity unknown.
    private func blockCapacity(_ domain: OpaquePointer, disk: InstanceDisk) -> UInt64? {
        guard disk.source != nil else { return nil }
        var info = virDomainBlockInfo()
        return virDomainGetBlockInfo(domain, disk.target, &info, 0) == 0 ? UInt64(info.capacity) : nil
    }

    /// DHCP lease addresses, matched to interfaces by MAC. Guests without leases simply show none.
    private func fillAddresses(_ domain: OpaquePointer, into interfaces: inout [InstanceInterface]) {
        guard !interfaces.isEmpty else { return }
        var list: UnsafeMutablePointer<virDomainInterfacePtr?>?
        let count = virDomainInterfaceAddresses(
            domain, &list, UInt32(VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE.rawValue), 0)
        guard count > 0, let list else { return }
        defer {
            for index in 0..<Int(count) { virDomainInterfaceFree(list[index]) }
            free(list)
        }
        for index in 0..<Int(count) {
            guard let reported = list[index]?.pointee, let hwaddr = reported.hwaddr else { continue }
            let mac = String(cString: hwaddr).lowercased()
            guard let slot = interfaces.firstIndex(where: { $0.mac.lowercased() == mac }) else { continue }
            for addressIndex in 0..<Int(reported.naddrs) {
                if let address = reported.addrs[addressIndex].addr {
                    interfaces[slot].addresses.append(String(cString: address))
                }
            }
        }
    }
}

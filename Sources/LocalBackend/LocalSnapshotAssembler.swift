import StacktopModel
import StacktopServices
import StacktopStore
import Synchronization

/// Merges what libvirt reports with what the store remembers into one `CloudSnapshot`.
/// Pure, so every rule here is tested without a hypervisor.
public enum LocalSnapshotAssembler {
    /// - A pool volume whose path has image metadata is an image; every other one is a volume.
    /// - A volume is "in-use" when some instance's disk reads from its path, and bootable when that
    ///   disk is a `vda`. Its project is the recorded owner, else the owner of the instance using it.
    /// - Instances take project, flavor, image, keypair, security groups, lock and creation time
    ///   from their ownership record; an unrecorded flavor is matched by vCPUs and RAM, an
    ///   unrecorded image by a disk that reads an image's volume directly.
    /// - Each disk says whether deleting its instance deletes it (`InstanceDiskFate`).
    /// - Volume snapshots are the store's records joined with the volume at their path (`volumeSnapshot`).
    /// - Quotas are computed from the merged resources.
    /// - `cpuUtilization` is the host's CPU load since the previous snapshot (the backend keeps the counters).
    public static func assemble(inventory: HostInventory, store: LocalStoreData, hostname: String? = nil,
                                cpuUtilization: Double? = nil, takenAt: Date = Date()) -> CloudSnapshot {
        let lookup = VolumeIndex(inventory.poolVolumes)
        let fate = InstanceDiskFate(inventory: inventory, images: Set(store.imageMetadata.keys), records: store.instanceDisks)
        let instances = inventory.instances.map {
            instance(from: $0, store: store, lookup: lookup, hostname: hostname, fate: fate)
        }
        let images = inventory.poolVolumes.compactMap { volume in
            store.imageMetadata[volume.path].map { image(from: volume, metadata: $0) }
        }.sorted { $0.name < $1.name }
        let volumes = inventory.poolVolumes.filter { store.imageMetadata[$0.path] == nil }.map {
            self.volume(from: $0, instances: instances, lookup: lookup, owners: store.volumeOwners)
        }
        let volumeSnapshots = store.volumeSnapshots.map { volumeSnapshot(from: $0, volumes: volumes) }
        let networks = inventory.networks.map { network(from: $0, ownership: store.networkOwnership[$0.name]) }
        let quotas = QuotaCalculator.usage(
            projects: store.projects.map(\.name), instances: instances, volumes: volumes, networks: networks,
            securityGroups: store.securityGroups, keypairs: store.keypairs, volumeSnapshots: volumeSnapshots,
            limits: store.quotaLimits)
        // libvirt lists in no stable order; a fixed order keeps lists, details and exports repeatable.
        var snapshot = CloudSnapshot(instances: instances.sorted(by: byNameThenID), images: images.sorted(by: byNameThenID),
                             volumes: volumes.sorted(by: byNameThenID), pools: inventory.pools.sorted { $0.name < $1.name },
                             networks: networks.sorted(by: byNameThenID), securityGroups: store.securityGroups, quotas: quotas,
                             flavors: store.flavors, keypairs: store.keypairs, projects: store.projects,
                             hypervisors: host(inventory, hostname: hostname, cpuUtilization: cpuUtilization).map { [$0] } ?? [],
                             takenAt: takenAt)
        snapshot.volumeSnapshots = volumeSnapshots.sorted { $0.name != $1.name ? $0.name < $1.name : $0.id < $1.id }
        snapshot.extraDetails = filterDetails(snapshot)
        return snapshot
    }

    /// On a libvirt host a security group is enforced as a network filter: its details show exactly which.
    static func filterDetails(_ snapshot: CloudSnapshot) -> [String: [DetailBlock]] {
        let addresses = NWFilterXML.groupAddresses(snapshot)
        var details: [String: [DetailBlock]] = [:]
        for group in snapshot.securityGroups {
            let xml = NWFilterXML.group(group, groupAddresses: addresses)
            details[DetailBlock.key(kind: "secgroup", id: group.id)] = [
                DetailBlock(title: "As a libvirt network filter (\(NWFilterXML.groupFilterName(group)))",
                            lines: xml.split(separator: "\n").map(String.init)),
            ]
        }
        return details
    }

    /// The libvirt host as the one hypervisor: what it has, and what is in use. Memory in use is the host's
    /// own when libvirt tells (it includes the host's processes, which also squeeze guests), else what the
    /// active guests were given.
    public static func host(_ inventory: HostInventory, hostname: String?, cpuUtilization: Double? = nil) -> Hypervisor? {
        guard let node = inventory.node else { return nil }
        // Summed in one pass: filtering would copy every active instance.
        var vcpusUsed = 0, memoryUsed = 0, running = 0
        for instance in inventory.instances where [.running, .paused, .shutdown].contains(instance.state) {
            vcpusUsed += instance.vcpus
            memoryUsed += instance.memoryMiB
            if instance.state == .running { running += 1 }
        }
        return Hypervisor(id: hostname ?? "localhost", hostname: hostname ?? "this host", type: node.type, state: "up",
                          status: "enabled", vcpus: node.cpus, vcpusUsed: vcpusUsed, memoryMiB: node.memoryMiB,
                          memoryUsedMiB: node.memoryUsedMiB ?? memoryUsed, runningVMs: running,
                          cpuUtilization: cpuUtilization)
    }

    private static func byNameThenID<T: NamedResource>(_ a: T, _ b: T) -> Bool {
        a.name != b.name ? a.name < b.name : a.id < b.id
    }

    /// The flavor with exactly these vCPUs and RAM; the smallest disk wins a tie.
    public static func matchFlavor(vcpus: Int, memoryMiB: Int, in flavors: [Flavor]) -> Flavor? {
        flavors.filter { $0.vcpus == vcpus && $0.ramMiB == memoryMiB }.min { $0.diskGiB < $1.diskGiB }
    }

    static func instance(from base: Instance, store: LocalStoreData, lookup: VolumeIndex,
                         hostname: String?, fate: InstanceDiskFate? = nil) -> Instance {
        var result = base
        let owner = store.instanceOwnership[base.id] ?? store.instanceOwnership[base.id.lowercased()]
        if let fate { result.disks = fate.marked(base, launchedByStacktop: owner != nil) }
        result.project = owner?.project ?? base.project
        result.flavor = owner?.flavor ?? base.flavor
            ?? matchFlavor(vcpus: base.vcpus, memoryMiB: base.memoryMiB, in: store.flavors)?.name
        result.image = owner?.image ?? base.image
            ?? base.disks.lazy.compactMap { lookup.volume(for: $0).flatMap { store.imageMetadata[$0.path]?.name } }.first
        result.keypair = owner?.keypair ?? base.keypair
        if let groups = owner?.securityGroups, !groups.isEmpty { result.securityGroups = groups }
        result.createdAt = owner?.createdAt ?? base.createdAt
        result.locked = owner?.locked ?? base.locked
        result.hostname = base.hostname ?? hostname
        return result
    }

    static func image(from volume: PoolVolume, metadata: ImageMetadata) -> Image {
        Image(id: volume.key, name: metadata.name, format: volume.format ?? formatFromExtension(volume.name),
              sizeBytes: volume.capacityBytes, pool: volume.pool, path: volume.path, os: metadata.os,
              minDiskGiB: metadata.minDiskGiB, minRamMiB: metadata.minRamMiB, visibility: metadata.visibility,
              status: "active", project: metadata.project, createdAt: metadata.createdAt)
    }

    static func volume(from volume: PoolVolume, instances: [Instance], lookup: VolumeIndex,
                       owners: [String: String]) -> Volume {
        let reads = { (disk: InstanceDisk) in lookup.volume(for: disk)?.path == volume.path }
        let users = instances.filter { $0.disks.contains(where: reads) }
        let bootable = users.contains { $0.disks.contains { reads($0) && $0.target == "vda" } }
        return Volume(id: volume.key, name: volume.name, sizeBytes: volume.capacityBytes,
                      allocationBytes: volume.allocationBytes, pool: volume.pool, path: volume.path,
                      format: volume.format, status: users.isEmpty ? "available" : "in-use",
                      attachedTo: users.map(\.name), project: owners[volume.path] ?? users.first?.project,
                      bootable: bootable)
    }

    /// A recorded snapshot joined with the volume at its path. One whose volume is gone (deleted outside stacktop,
    /// which refuses to delete a volume with snapshots) is shown with status "error" rather than dropped: its
    /// internal snapshot went with the file, and dropping the row would hide that and leave a record that comes
    /// back against whatever volume is made at that path later. Shown, it counts against the quota as an errored
    /// Cinder snapshot does, and deleting it forgets the record (there is no file left to touch).
    static func volumeSnapshot(from record: VolumeSnapshotRecord, volumes: [Volume]) -> VolumeSnapshot {
        let volume = volumes.first { $0.path == record.volumePath }
        return VolumeSnapshot(id: record.id, name: record.name, volumeID: volume?.id ?? record.volumePath,
                              volumeName: volume?.name, sizeBytes: record.sizeBytes,
                              status: volume == nil ? "error" : "available", description: record.description,
                              project: record.project, createdAt: record.createdAt)
    }

    static func network(from base: Network, ownership: NetworkOwnership?) -> Network {
        guard let ownership else { return base }
        var result = base
        result.project = ownership.project ?? base.project
        result.shared = ownership.shared
        result.external = ownership.external
        return result
    }

    /// libvirt reports no format for some pool types; the file name is the next best witness.
    static func formatFromExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "raw" }
        let ext = name[name.index(after: dot)...].lowercased()
        return ["qcow2", "iso", "vmdk", "vdi", "vhd", "raw", "img"].contains(ext) ? (ext == "img" ? "raw" : ext) : "raw"
    }
}

/// The previous snapshot and what it was made from. A refresh that read the same domains, pools, volumes,
/// networks and store rows gets that snapshot again, with only its time and the host's figures new: the
/// merge and the sorting are skipped, and the lists keep their storage, so whoever compares the two
/// snapshots compares pointers. A class, so every copy of the backend value shares it.
final class SnapshotMemo: Sendable {
    private struct Made {
        /// Without the node: its CPU counters and memory in use change on every read.
        var inventory: HostInventory
        var store: LocalStoreData
        var hostname: String?
        var snapshot: CloudSnapshot
    }

    private let last = Mutex<Made?>(nil)

    /// No read was assembled yet: the next is the first.
    var isEmpty: Bool { last.withLock { $0 == nil } }

    func assemble(inventory: HostInventory, store: LocalStoreData, hostname: String?,
                  cpuUtilization: Double?) -> CloudSnapshot {
        var key = inventory
        key.node = nil
        let previous = last.withLock { $0 }
        if let previous, previous.inventory == key, previous.store == store, previous.hostname == hostname {
            var snapshot = previous.snapshot
            snapshot.takenAt = Date()
            snapshot.hypervisors = LocalSnapshotAssembler.host(inventory, hostname: hostname,
                                                               cpuUtilization: cpuUtilization).map { [$0] } ?? []
            return snapshot
        }
        let snapshot = LocalSnapshotAssembler.assemble(inventory: inventory, store: store, hostname: hostname,
                                                       cpuUtilization: cpuUtilization)
        last.withLock { $0 = Made(inventory: key, store: store, hostname: hostname, snapshot: snapshot) }
        return snapshot
    }
}

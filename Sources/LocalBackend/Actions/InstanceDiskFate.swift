import StacktopModel

/// Which of an instance's disks go with it when it is deleted: only what stacktop made for it (Nova's
/// `delete_on_termination`, true for the root disk and the config drive it made, false for volumes).
///
/// - A disk the store records as made for this instance (root overlay, cloud-init seed; schema 4) goes.
/// - An instance stacktop launched before it recorded its disks (an ownership row, nothing recorded) keeps the
///   rule its launch followed: the pool volume named `<name>-root.qcow2` as its `vda`, and `<name>-seed.iso` as a
///   CD-ROM, go. No other command names a volume so and puts it there.
/// - Everything else stays: volumes made separately (`volume create`), images, anything another domain reads,
///   and every disk of a domain defined outside stacktop (delete removes only its definition, as `virsh undefine`
///   does without `--remove-all-storage`).
struct InstanceDiskFate {
    let lookup: VolumeIndex
    /// Paths of pool volumes that are images.
    let images: Set<String>
    /// Volume path -> UUID of the instance it was made for.
    let records: [String: String]
    /// Volume path -> how many domains read it.
    let readers: [String: Int]
    /// UUIDs that have at least one recorded disk.
    let recordedInstances: Set<String>

    init(inventory: HostInventory, images: Set<String>, records: [String: String]) {
        let lookup = VolumeIndex(inventory.poolVolumes)
        self.lookup = lookup
        self.images = images
        self.records = records
        var readers: [String: Int] = [:]
        for instance in inventory.instances {
            for path in Set(instance.disks.compactMap({ lookup.volume(for: $0)?.path })) { readers[path, default: 0] += 1 }
        }
        self.readers = readers
        recordedInstances = Set(records.values.map { $0.lowercased() })
    }

    /// Whether deleting `instance` deletes the pool volume behind `disk`. `launchedByStacktop`: it has an ownership row.
    func deletes(_ disk: InstanceDisk, of instance: Instance, launchedByStacktop: Bool) -> Bool {
        guard let volume = lookup.volume(for: disk), !images.contains(volume.path),
              readers[volume.path, default: 0] <= 1 else { return false }
        if let owner = records[volume.path] { return owner.lowercased() == instance.id.lowercased() }
        guard launchedByStacktop, !recordedInstances.contains(instance.id.lowercased()) else { return false }
        let stem = InstanceLaunch.fileStem(instance.name)
        return (disk.device == .disk && disk.target == "vda" && volume.name == stem + "-root.qcow2")
            || (disk.device == .cdrom && volume.name == stem + "-seed.iso")
    }

    /// The instance's disks with `deleteOnTermination` set.
    func marked(_ instance: Instance, launchedByStacktop: Bool) -> [InstanceDisk] {
        instance.disks.map { disk in
            var marked = disk
            marked.deleteOnTermination = deletes(disk, of: instance, launchedByStacktop: launchedByStacktop)
            return marked
        }
    }

    /// A disk as a sentence names it: its pool volume's name, else its file name.
    func name(of disk: InstanceDisk) -> String {
        if let volume = lookup.volume(for: disk) { return volume.name }
        return disk.source.map { String($0.split(separator: "/").last ?? Substring($0)) } ?? disk.target
    }
}

import StacktopModel
import StacktopServices
import StacktopStore

/// Deletes an instance and the disks that are only its own: the pool volumes behind its writable
/// disks that no other domain uses and that are not images. Anything shared stays.
struct InstanceDeletion {
    let connection: LibvirtConnection
    let store: StateStore

    /// Returns the names of the disks deleted with it.
    func delete(_ status: DomainStatus) throws -> [String] {
        // Read before undefining: afterwards libvirt no longer knows which disks were its own.
        let inventory = try connection.inventory()
        let images = Set(try store.imageMetadata().map(\.path))
        let owned = Self.ownedVolumes(of: status.uuid, in: inventory, images: images)

        if status.active { try connection.call(.destroy, uuid: status.uuid, name: status.name) }
        try connection.call(.undefine, uuid: status.uuid, name: status.name)
        // Its own network filter goes with it; the group filters stay for the group's other members.
        if connection.supportsNetworkFilters {
            connection.removeNetworkFilter(name: NWFilterXML.instanceFilterName(uuid: status.uuid))
        }

        var deleted: [String] = []
        var failures: [String] = []
        for volume in owned {
            do {
                try connection.deleteVolume(pool: volume.pool, name: volume.name)
                deleted.append(volume.name)
                try store.setVolumeOwner(path: volume.path, project: nil)
            } catch let error as BackendError {
                failures.append("\(volume.name) (\(error.message.droppingFinalStop))")
            }
        }
        try store.deleteInstanceOwnership(uuid: status.uuid)
        if !failures.isEmpty {
            throw BackendError.failed(
                what: "Deleting the disks of \(status.name)",
                reason: "\(status.name) itself is deleted, but not "
                    + InstanceActionReport.list(failures) + "; delete what is left with `stacktop volume delete`")
        }
        return deleted
    }

    /// Writable disks only: a CD-ROM or read-only disk is media shared by nature, not the instance's data.
    /// In the instance's disk order, so the sentence names the root disk first.
    static func ownedVolumes(of uuid: String, in inventory: HostInventory, images: Set<String>) -> [PoolVolume] {
        guard let instance = inventory.instances.first(where: { $0.id == uuid }) else { return [] }
        let usedElsewhere = Set(inventory.instances.filter { $0.id != uuid }.flatMap(\.disks).compactMap(\.source))
        var owned: [PoolVolume] = []
        // The cloud-init seed disk stacktop made for this instance is its own, even though it is a CD-ROM.
        let seedName = InstanceLaunch.fileStem(instance.name) + "-seed.iso"
        for disk in instance.disks where (disk.device == .disk && !disk.readOnly) || disk.source?.hasSuffix("/" + seedName) == true {
            guard let source = disk.source else { continue }
            // A disk names its volume by path, or (type='volume' disks) as "pool/volume".
            let match = inventory.poolVolumes.first { $0.path == source || "\($0.pool)/\($0.name)" == source }
            guard let volume = match, !images.contains(volume.path), !owned.contains(volume),
                  !usedElsewhere.contains(volume.path), !usedElsewhere.contains("\(volume.pool)/\(volume.name)")
            else { continue }
            owned.append(volume)
        }
        return owned
    }
}

extension String {
    /// A whole sentence made into a clause of a longer one.
    var droppingFinalStop: String {
        var text = Substring(self)
        while text.last == "." || text.last == " " { text.removeLast() }
        return String(text)
    }
}

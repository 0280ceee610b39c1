import StacktopModel
import StacktopServices
import StacktopStore

/// Deletes an instance and only the disks stacktop made for it (`InstanceDiskFate`); every other disk it
/// has stays in its pool. A running guest is first asked to let go of the volumes that stay (so it can
/// flush them); one that does not answer in time is powered off holding them, and they stay all the same.
struct InstanceDeletion {
    let connection: LibvirtConnection
    let store: StateStore
    var unplugTimeout: Duration = LocalCloudBackend.defaultUnplugTimeout

    struct Result: Equatable {
        var deleted: [String] = []
        var kept: [String] = []
        /// The kept volumes the running guest still held when it was powered off.
        var heldAtPowerOff: [String] = []
        /// No ownership row: a domain defined outside stacktop, of which only the definition goes.
        var definedOutside = false
    }

    func delete(_ status: DomainStatus) throws -> Result {
        // Read before undefining: afterwards libvirt no longer knows which disks were its own.
        let inventory = try connection.inventory()
        let ownership = try store.instanceOwnership(uuid: status.uuid)
        let fate = InstanceDiskFate(inventory: inventory, images: Set(try store.imageMetadata().map(\.path)),
                                    records: try store.instanceDiskOwners())
        let instance = inventory.instances.first { $0.id.lowercased() == status.uuid.lowercased() }
        let disks = instance.map { fate.marked($0, launchedByStacktop: ownership != nil) } ?? []
        var owned: [PoolVolume] = []
        for disk in disks where disk.deleteOnTermination == true {
            if let volume = fate.lookup.volume(for: disk), !owned.contains(volume) { owned.append(volume) }
        }
        // Data disks that stay: writable, not made for it. Read-only media (an ISO image) is not its data.
        // Images are never in question either.
        let keptDisks = disks.filter { disk in
            disk.deleteOnTermination != true && disk.device == .disk && !disk.readOnly
                && !(fate.lookup.volume(for: disk).map { fate.images.contains($0.path) } ?? false)
        }
        var result = Result(kept: keptDisks.map(fate.name(of:)), definedOutside: ownership == nil)

        if status.active {
            result.heldAtPowerOff = releaseKeptVolumes(keptDisks.filter { $0.target != "vda" }, uuid: status.uuid, fate: fate)
            try connection.call(.destroy, uuid: status.uuid, name: status.name)
        }
        try connection.call(.undefine, uuid: status.uuid, name: status.name)
        // Its own network filter goes with it; the group filters stay for the group's other members.
        if connection.supportsNetworkFilters {
            connection.removeNetworkFilter(name: NWFilterXML.instanceFilterName(uuid: status.uuid))
        }

        var failures: [String] = []
        for volume in owned {
            do {
                try connection.deleteVolume(pool: volume.pool, name: volume.name)
                result.deleted.append(volume.name)
                try store.setVolumeOwner(path: volume.path, project: nil)
                try store.forgetInstanceDisk(path: volume.path)
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
        return result
    }

    /// Asks the running guest to let go of every kept volume at once and waits (one `unplugTimeout` for all).
    /// Returns the names of those it was asked for and still holds; the power-off that follows cuts them off, and
    /// they stay. (A paused guest cannot answer, so it is not asked.)
    private func releaseKeptVolumes(_ disks: [InstanceDisk], uuid: String, fate: InstanceDiskFate) -> [String] {
        guard !disks.isEmpty, (try? connection.domainStatus(uuid))?.state == .running,
              let live = try? connection.devices(uuid: uuid, live: true) else { return [] }
        let deadline = ContinuousClock.now.advanced(by: unplugTimeout)
        var asked: [InstanceDisk] = []
        for disk in disks {
            let device = DeviceUnplug.Device.disk(target: disk.target)
            guard let element = live.children.first(where: device.matches) else { continue }
            let xml = "<disk type='file' device='disk'><source file='\(XMLText.escape(disk.source ?? ""))'/>"
                + "<target dev='\(disk.target)' bus='\(disk.bus ?? "virtio")'/></disk>"
            // Without an alias libvirt would block for 5 s per disk; such a disk is simply cut off at power-off.
            guard let alias = element.child("alias")?[attribute: "name"],
                  (try? connection.requestLiveDetach(uuid: uuid, alias: alias, xml: xml, what: "")) != nil else { continue }
            asked.append(disk)
        }
        let stillThere = { () -> [InstanceDisk] in
            let now = (try? connection.devices(uuid: uuid, live: true))?.children ?? []
            return asked.filter { disk in now.contains(where: DeviceUnplug.Device.disk(target: disk.target).matches) }
        }
        guard !asked.isEmpty else { return [] }
        _ = try? DeviceUnplug.wait(until: deadline) { stillThere().isEmpty }
        return stillThere().map(fate.name(of:))
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

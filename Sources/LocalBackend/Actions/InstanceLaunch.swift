import Foundation
import StacktopModel
import StacktopServices
import StacktopStore

/// Launches instances: root overlay on the image, optional cloud-init seed disk, network filters for
/// the security groups, the domain, the store's ownership row, then start. Every step records how to
/// undo it, and a failure anywhere undoes everything the request made: no half-made instance, disk
/// or store row is left behind (for `--count 3`, not even the first two).
struct InstanceLaunch {
    let connection: LibvirtConnection
    let store: StateStore
    let snapshot: @Sendable () throws -> CloudSnapshot

    /// Steps to take back, newest last.
    private final class UndoJournal {
        private var steps: [(String, () -> Void)] = []
        func record(_ what: String, _ step: @escaping () -> Void) { steps.append((what, step)) }
        func rollBack() { for (_, step) in steps.reversed() { step() } }
    }

    func perform(_ request: ActionRequest) throws -> ActionOutcome {
        let plan = try LaunchPlan(request: request, snapshot: try snapshot())
        // Instance filters reference libvirt's standard `clean-traffic`; without it the guest cannot start.
        if !plan.securityGroups.isEmpty, connection.supportsNetworkFilters,
           let missing = Self.standardFilters.first(where: { !connection.networkFilterExists($0) }) {
            throw BackendError.unavailable(feature: "network filters",
                                           reason: "Launching \(plan.names.joined(separator: ", ")) needs libvirt's standard "
                + "network filter \(missing), which this host lacks: install Debian's libvirt-daemon-config-nwfilter "
                + "(it puts them in /etc/libvirt/nwfilter), then restart libvirtd or load each file with "
                + "`virsh nwfilter-define /etc/libvirt/nwfilter/FILE.xml`, and launch again.")
        }
        let journal = UndoJournal()
        var launched: [String] = []
        do {
            for name in plan.names {
                try launch(name, plan: plan, journal: journal)
                launched.append(name)
            }
        } catch {
            journal.rollBack()
            let undone = launched.isEmpty ? "" : " (\(launched.joined(separator: ", ")) was launched and has been removed again)"
            throw BackendError.failed(what: "Launching \(plan.names.joined(separator: ", "))",
                                      reason: ErrorText.sentence(error).trimmingCharacters(in: CharacterSet(charactersIn: "."))
                                        + "; nothing was left behind\(undone)")
        }
        let from = plan.source.image.map { "image \($0.name)" } ?? "volume \(plan.source.volume?.name ?? "?")"
        return ActionOutcome(message: "Launched \(launched.joined(separator: ", ")) from \(from) as \(plan.flavor.name).")
    }

    private func launch(_ name: String, plan: LaunchPlan, journal: UndoJournal) throws {
        let uuid = UUID().uuidString.lowercased()
        let fileStem = Self.fileStem(name)
        let connection = self.connection, store = self.store

        // 1. The root disk: a fresh overlay on the image, or the boot volume itself (not ours to delete).
        let rootPath: String
        let rootFormat: String
        if plan.source.image != nil {
            rootPath = try connection.createVolume(poolName: plan.pool, xml: LaunchXML.rootOverlay(
                name: fileStem + "-root.qcow2", capacityBytes: plan.rootCapacityBytes,
                backingPath: plan.source.path, backingFormat: plan.source.format))
            journal.record("root disk") { try? connection.deleteVolume(path: rootPath) }
            rootFormat = "qcow2"
        } else {
            rootPath = plan.source.path
            rootFormat = plan.source.format
        }

        // 2. The seed disk with the key pair and user data.
        var seedPath: String?
        if plan.needsSeed {
            seedPath = try makeSeed(uuid: uuid, name: name, fileStem: fileStem, plan: plan, journal: journal)
        }

        // 3. Network filters for the security groups, where the host has them.
        var filterName: String?
        if !plan.securityGroups.isEmpty, connection.supportsNetworkFilters {
            for group in plan.securityGroups {
                let groupFilter = NWFilterXML.groupFilterName(group)
                let existed = connection.networkFilterExists(groupFilter)
                try connection.defineNetworkFilter(xml: NWFilterXML.group(group), name: groupFilter)
                // A group filter this launch made is taken back too; one other instances already use stays.
                if !existed { journal.record("group filter") { connection.removeNetworkFilter(name: groupFilter) } }
            }
            let instanceFilter = NWFilterXML.instanceFilterName(uuid: uuid)
            try connection.defineNetworkFilter(xml: NWFilterXML.instance(uuid: uuid, groups: plan.securityGroups),
                                               name: instanceFilter)
            journal.record("instance filter") { connection.removeNetworkFilter(name: instanceFilter) }
            filterName = instanceFilter
        }

        // 4. The domain.
        let type = plan.virtType ?? connection.defaultDomainType
        let logPath = connection.uri.hasPrefix("qemu:///system") ? "/var/log/libvirt/qemu/\(fileStem)-serial0.log" : nil
        let xml = LaunchXML.domain(uuid: uuid, name: name, type: type, flavor: plan.flavor, rootPath: rootPath,
                                   rootFormat: rootFormat, seedPath: seedPath, networks: plan.networks,
                                   filterName: filterName, serialLogPath: logPath)
        _ = try connection.defineDomain(xml: xml, name: name)
        journal.record("domain") { connection.removeDomain(uuid: uuid) }

        // 5. What libvirt does not know: who owns it and what it was made from.
        try store.upsertInstanceOwnership(InstanceOwnership(
            uuid: uuid, project: plan.project, flavor: plan.flavor.name, image: plan.source.image?.name,
            keypair: plan.keypair?.name, securityGroups: plan.securityGroups.map(\.name), createdAt: Date()))
        journal.record("ownership") { try? store.deleteInstanceOwnership(uuid: uuid) }
        if plan.source.image != nil {
            try store.setVolumeOwner(path: rootPath, project: plan.project)
            journal.record("root owner") { try? store.setVolumeOwner(path: rootPath, project: nil) }
        }
        // The disks made for this instance, and only those, go when it is deleted (Nova's delete_on_termination).
        for (path, role) in [(plan.source.image != nil ? rootPath : nil, "root"), (seedPath, "seed")] {
            guard let path else { continue }
            try store.recordInstanceDisk(path: path, uuid: uuid, role: role)
            journal.record("\(role) record") { try? store.forgetInstanceDisk(path: path) }
        }

        // 6. Start it.
        try connection.call(.create, uuid: uuid, name: name)
    }

    private func makeSeed(uuid: String, name: String, fileStem: String, plan: LaunchPlan,
                          journal: UndoJournal) throws -> String {
        var template = Array(((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/stacktop-seed-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BackendError.failed(what: "Making the cloud-init seed disk", reason: String(cString: strerror(errno)))
        }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let iso = try SeedDisk.build(metaData: SeedDisk.metaData(instanceID: uuid, hostname: fileStem, keypair: plan.keypair),
                                     userData: SeedDisk.userData(plan.userData, keypair: plan.keypair), in: directory)
        let source = try ImageFile.open(iso)
        defer { source.close() }
        let connection = self.connection
        let seedPath = try connection.createVolume(poolName: plan.pool, xml: VolumeXML.forUpload(
            name: fileStem + "-seed.iso", format: "raw", sizeBytes: source.size))
        journal.record("seed disk") { try? connection.deleteVolume(path: seedPath) }
        try connection.upload(file: source.descriptor, size: source.size, toVolumePath: seedPath) { _ in }
        return seedPath
    }

    /// The standard filters an instance filter needs: `clean-traffic` and those it references.
    static let standardFilters = ["clean-traffic", "no-mac-spoofing", "no-ip-spoofing", "allow-incoming-ipv4",
                                  "no-arp-spoofing", "no-arp-mac-spoofing", "no-arp-ip-spoofing", "no-other-l2-traffic",
                                  "qemu-announce-self", "qemu-announce-self-rarp"]

    /// A file name from an instance name: no slashes or spaces.
    static func fileStem(_ name: String) -> String {
        String(name.map { $0 == "/" || $0 == " " ? "-" : $0 })
    }
}

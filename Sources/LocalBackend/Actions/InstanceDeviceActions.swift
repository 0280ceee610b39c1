import Foundation
import StacktopModel
import StacktopServices
import StacktopStore

/// Instance actions that change what an instance is made of: volumes and interfaces in and out,
/// its flavor, a snapshot of its disk as a new image, its security groups. One instance at a time;
/// a locked instance refuses them all.
struct InstanceDeviceActions {
    let connection: LibvirtConnection
    let store: StateStore
    let snapshot: @Sendable () throws -> CloudSnapshot
    /// How long a detach waits for the running guest to let the device go.
    var unplugTimeout: Duration = LocalCloudBackend.defaultUnplugTimeout

    /// The actions `LocalActionTable` sends here.
    func perform(_ request: ActionRequest) throws -> ActionOutcome? {
        guard LocalActionTable.handler(for: request) == .devices else { return nil }
        guard request.targets.count == 1, let target = request.targets.first else {
            throw BackendError.oneAtATime(kind: .instance, action: request.action, usage: nil)
        }
        let current = try snapshot()
        guard let instance = current.instances.first(where: { $0.name == target || $0.id == target }) else {
            throw BackendError.notFound(kind: "instance", name: target)
        }
        if try store.instanceOwnership(uuid: instance.id)?.locked == true { throw BackendError.locked(name: instance.name) }
        switch request.action {
        case .attachVolume: return try attachVolume(instance, request, current)
        case .detachVolume: return try detachVolume(instance, request, current)
        case .attachInterface: return try attachInterface(instance, request, current)
        case .detachInterface: return try detachInterface(instance, request)
        case .resize: return try resize(instance, request, current)
        case .snapshot: return try snapshotToImage(instance, request, current)
        default: return try changeGroups(instance, request, current)
        }
    }

    private func option(_ request: ActionRequest, _ key: OptionKey, example: String) throws -> String {
        guard let value = request[key], !value.isEmpty else {
            throw BackendError.invalidOption(key, reason: "\(request.action.traits.title) needs \(key), e.g. \(key) \(example).")
        }
        return value
    }

    // MARK: volumes

    private func attachVolume(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let name = try option(request, .volume, example: "data-01")
        guard let volume = current.volumes.first(where: { $0.name == name || $0.name == name + ".qcow2" }),
              let path = volume.path else { throw BackendError.notFound(kind: "volume", name: name) }
        try BackendError.refuseIfHeld(.volume, volume.name, by: volume.attachedTo, .alreadyAttachedTo, advice: nil)
        let used = Set(instance.disks.map(\.target))
        guard let device = (98...122).map({ "vd" + String(UnicodeScalar($0)!) }).first(where: { !used.contains($0) }) else {
            // One of a kind: every slot vdb…vdz is taken, which no other action runs into.
            throw BackendError.refused(reason: "\(instance.name) has no free disk slot left; detach a volume first.")
        }
        let format = volume.format ?? (path.hasSuffix(".qcow2") ? "qcow2" : "raw")
        let xml = "<disk type='file' device='disk'><driver name='qemu' type='\(format)'/>"
            + "<source file='\(XMLText.escape(path))'/><target dev='\(device)' bus='virtio'/></disk>"
        try connection.attachDevice(uuid: instance.id, xml: xml, what: "Attaching \(volume.name) to \(instance.name)")
        let live = instance.state == .running || instance.state == .paused ? " (live)" : ""
        return ActionOutcome(message: "Attached volume \(volume.name) to \(instance.name) as /dev/\(device)\(live).")
    }

    private func detachVolume(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let name = try option(request, .volume, example: "data-01")
        guard let volume = current.volumes.first(where: { $0.name == name || $0.name == name + ".qcow2" }),
              let path = volume.path else { throw BackendError.notFound(kind: "volume", name: name) }
        // The live disks, else (a guest that let go late) the ones its definition still has.
        let saved = try connection.devices(uuid: instance.id, live: false).map(DomainDefinition.init(devices:))?.disks ?? []
        let disks = instance.disks + saved.map(\.disk).filter { disk in !instance.disks.contains { $0.target == disk.target } }
        guard let disk = disks.first(where: { $0.source == path || $0.source == "\(volume.pool ?? "")/\(volume.name)" }) else {
            throw BackendError.invalidOption(.volume, reason: "Volume \(volume.name) is not attached to \(instance.name).")
        }
        guard disk.target != "vda" else {
            throw BackendError.invalidOption(.volume, reason: "\(volume.name) is \(instance.name)'s root disk; it cannot be detached.")
        }
        let xml = "<disk type='file' device='disk'><source file='\(XMLText.escape(path))'/>"
            + "<target dev='\(disk.target)' bus='\(disk.bus ?? "virtio")'/></disk>"
        let what = "Detaching \(volume.name) from \(instance.name)"
        let unplug = DeviceUnplug(connection: connection, timeout: unplugTimeout)
        switch try unplug.detach(uuid: instance.id, device: .disk(target: disk.target), xml: xml,
                                 force: request.flag(.force), what: what) {
        case nil:
            throw BackendError.invalidOption(.volume, reason: "Volume \(volume.name) is not attached to \(instance.name).")
        case .removed:
            return ActionOutcome(message: "Detached volume \(volume.name) from \(instance.name).")
        case .removedFromDefinitionOnly:
            return ActionOutcome(message: "Took volume \(volume.name) out of \(instance.name)'s definition; the running "
                                 + "guest still has it as \(disk.target) until \(instance.name) is shut off (a reboot "
                                 + "inside the guest is not enough), and from then on the volume is free.")
        case .held(let paused):
            throw BackendError.failed(what: what, reason: unplug.heldReason(
                instance: instance.name, device: "\(disk.target) (\(volume.name))", paused: paused, kind: "volume"))
        }
    }

    // MARK: interfaces

    private func attachInterface(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let name = try option(request, .network, example: "default")
        guard current.networks.contains(where: { $0.name == name }) else { throw BackendError.notFound(kind: "network", name: name) }
        let filter = NWFilterXML.instanceFilterName(uuid: instance.id)
        let filterRef = connection.supportsNetworkFilters && connection.networkFilterExists(filter) ? "<filterref filter='\(filter)'/>" : ""
        let xml = "<interface type='network'><source network='\(XMLText.escape(name))'/><model type='virtio'/>\(filterRef)</interface>"
        try connection.attachDevice(uuid: instance.id, xml: xml, what: "Attaching an interface on \(name) to \(instance.name)")
        return ActionOutcome(message: "Attached an interface on network \(name) to \(instance.name).")
    }

    private func detachInterface(_ instance: Instance, _ request: ActionRequest) throws -> ActionOutcome {
        let mac = try option(request, .mac, example: "52:54:00:12:34:56")
        let saved = try connection.devices(uuid: instance.id, live: false).map(DomainDefinition.init(devices:))?.interfaces ?? []
        let interfaces = instance.interfaces + saved.filter { one in !instance.interfaces.contains { $0.mac == one.mac } }
        guard let interface = interfaces.first(where: { $0.mac.lowercased() == mac.lowercased() }) else {
            throw BackendError.invalidOption(.mac, reason: "\(instance.name) has no interface with MAC \(mac); its interfaces are "
                + interfaces.map(\.mac).joined(separator: ", ") + ".")
        }
        let xml = "<interface type='\(interface.type)'><mac address='\(interface.mac)'/></interface>"
        let what = "Detaching interface \(mac) from \(instance.name)"
        let unplug = DeviceUnplug(connection: connection, timeout: unplugTimeout)
        switch try unplug.detach(uuid: instance.id, device: .interface(mac: interface.mac), xml: xml,
                                 force: request.flag(.force), what: what) {
        case nil:
            throw BackendError.invalidOption(.mac, reason: "\(instance.name) has no interface with MAC \(mac).")
        case .removed:
            return ActionOutcome(message: "Detached interface \(mac) from \(instance.name).")
        case .removedFromDefinitionOnly:
            return ActionOutcome(message: "Took interface \(mac) out of \(instance.name)'s definition; the running guest "
                                 + "keeps it until \(instance.name) is shut off (a reboot inside the guest is not enough).")
        case .held(let paused):
            throw BackendError.failed(what: what, reason: unplug.heldReason(
                instance: instance.name, device: "interface \(mac)", paused: paused, kind: "interface"))
        }
    }

    // MARK: flavor

    private func resize(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let name = try option(request, .flavor, example: "m1.medium")
        guard let flavor = current.flavors.first(where: { $0.name == name }) else { throw BackendError.notFound(kind: "flavor", name: name) }
        guard instance.state == .shutoff else {
            throw BackendError.wrongState(name: instance.name, state: instance.state.label.lowercased(), action: .resize,
                                          needs: .stateFirst("shut off"), advice: "shut it off and try again")
        }
        guard instance.flavor != flavor.name else {
            throw BackendError.invalidOption(.flavor, reason: "\(instance.name) already has flavor \(flavor.name).")
        }
        if let project = instance.project {
            try QuotaCheck.require(.cores, adding: max(0, flavor.vcpus - instance.vcpus), project: project, snapshot: current)
            try QuotaCheck.require(.ramMiB, adding: max(0, flavor.ramMiB - instance.memoryMiB), project: project, snapshot: current)
        }
        let xml = DomainXMLEdit.setSize(try connection.inactiveDomainXML(uuid: instance.id), vcpus: flavor.vcpus,
                                        memoryMiB: flavor.ramMiB)
        _ = try connection.defineDomain(xml: xml, name: instance.name)
        var row = try store.instanceOwnership(uuid: instance.id) ?? InstanceOwnership(uuid: instance.id, project: instance.project)
        row.flavor = flavor.name
        try store.upsertInstanceOwnership(row)
        return ActionOutcome(message: "Resized \(instance.name) to \(flavor.name) (\(flavor.vcpus) vCPUs, "
                             + "\(flavor.ramMiB) MiB); its disk keeps its size.")
    }

    // MARK: snapshot

    private func snapshotToImage(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let imageName = request[.imageName] ?? "\(instance.name)-snapshot"
        guard !current.images.contains(where: { $0.name == imageName }) else {
            throw BackendError.nameTaken(kind: "image", name: imageName, scope: nil, option: .imageName)
        }
        guard instance.state == .shutoff || instance.state == .paused else {
            throw BackendError.wrongState(name: instance.name, state: instance.state.label.lowercased(), action: .snapshot,
                                          needs: .state("shut off or paused"), advice: "do that first so the copy is consistent")
        }
        guard let root = instance.disks.first(where: { $0.target == "vda" }) ?? instance.disks.first, let source = root.source else {
            // One of a kind: a guest defined without any disk.
            throw BackendError.refused(reason: "\(instance.name) has no disk to snapshot.")
        }
        let pool = request[.pool] ?? current.pools.first { $0.name == "images" && $0.active }?.name
            ?? current.images.first?.pool ?? current.pools.first(where: \.active)?.name
        guard let pool else {
            throw BackendError.unavailable(feature: "storage pool", reason: "This host has no active storage pool for images; "
                + "create one (virsh pool-define-as) first.")
        }
        let path = try connection.copyVolume(sourcePath: source, poolName: pool, name: InstanceLaunch.fileStem(imageName) + ".qcow2",
                                             capacityBytes: root.capacityBytes ?? UInt64(instance.diskGiB * 1_073_741_824))
        let original = current.images.first { $0.name == instance.image }
        do {
            try store.upsertImageMetadata(ImageMetadata(path: path, name: imageName, os: original?.os,
                                                        minDiskGiB: original?.minDiskGiB ?? 0, minRamMiB: original?.minRamMiB ?? 0,
                                                        visibility: .private, project: instance.project, createdAt: Date()))
        } catch {
            try? connection.deleteVolume(path: path)
            throw error
        }
        return ActionOutcome(message: "Saved \(instance.name)'s disk as private image \(imageName) in pool \(pool).")
    }

    // MARK: security groups

    private func changeGroups(_ instance: Instance, _ request: ActionRequest, _ current: CloudSnapshot) throws -> ActionOutcome {
        let name = try option(request, .group, example: "web")
        let adding = request.action == .addSecurityGroup
        let candidates = current.securityGroups.filter { $0.name == name }
        guard !candidates.isEmpty else {
            throw BackendError.notFound(kind: "secgroup", name: name)
        }
        var row = try store.instanceOwnership(uuid: instance.id) ?? InstanceOwnership(uuid: instance.id, project: instance.project)
        if adding {
            guard !row.securityGroups.contains(name) else {
                throw BackendError.invalidOption(.group, reason: "\(instance.name) is already in security group \(name).")
            }
            row.securityGroups.append(name)
        } else {
            guard row.securityGroups.contains(name) else {
                throw BackendError.invalidOption(.group, reason: "\(instance.name) is not in security group \(name).")
            }
            row.securityGroups.removeAll { $0 == name }
        }
        try store.upsertInstanceOwnership(row)
        // The instance's filter is referenced by name from its interfaces: redefining it applies at once.
        let filter = NWFilterXML.instanceFilterName(uuid: instance.id)
        var applied = ""
        if connection.supportsNetworkFilters, connection.networkFilterExists(filter) {
            let groups = row.securityGroups.compactMap { groupName in
                current.securityGroups.first { $0.name == groupName && ($0.project == instance.project || $0.project == nil) }
            }
            for member in groups {
                try connection.defineNetworkFilter(xml: NWFilterXML.group(member), name: NWFilterXML.groupFilterName(member))
            }
            try connection.defineNetworkFilter(xml: NWFilterXML.instance(uuid: instance.id, groups: groups), name: filter)
            applied = "; its network filter is updated live"
        } else {
            applied = "; this host has no network filter bound to it, so the rules are recorded but not enforced"
        }
        return ActionOutcome(message: "\(adding ? "Added" : "Removed") security group \(name) \(adding ? "to" : "from") "
                             + "\(instance.name)\(applied).")
    }
}

/// Small, checked edits of domain XML text.
enum DomainXMLEdit {
    /// Sets `<vcpu>`, `<memory>` and `<currentMemory>` (in KiB, as libvirt writes them).
    static func setSize(_ xml: String, vcpus: Int, memoryMiB: Int) -> String {
        var text = xml
        text = replaceElement("vcpu", in: text, with: String(vcpus))
        text = replaceElement("memory", in: text, with: String(memoryMiB * 1024), unit: "KiB")
        text = replaceElement("currentMemory", in: text, with: String(memoryMiB * 1024), unit: "KiB")
        return text
    }

    /// Replaces the first `<name …>value</name>` (keeping other attributes, setting `unit` if given).
    private static func replaceElement(_ name: String, in xml: String, with value: String, unit: String? = nil) -> String {
        guard let open = xml.range(of: "<\(name)"), let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex),
              let tagEnd = xml.range(of: ">", range: open.upperBound..<close.lowerBound) else { return xml }
        var attributes = String(xml[open.upperBound..<tagEnd.lowerBound])
        if let unit {
            attributes = attributes.replacingOccurrences(of: #"\s*unit=['"][^'"]*['"]"#, with: "", options: .regularExpression)
            attributes += " unit='\(unit)'"
        }
        return xml.replacingCharacters(in: open.lowerBound..<close.upperBound,
                                       with: "<\(name)\(attributes)>\(value)</\(name)>")
    }
}

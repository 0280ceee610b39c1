import StacktopServices

/// Which part of the libvirt backend carries out each action: the one table. `LocalCapabilities` is derived
/// from it and `LocalCloudBackend.perform` dispatches through it, so an action cannot be offered without a
/// handler, nor handled without being offered.
enum LocalHandler: Sendable {
    /// `InstanceLaunch`: create instances, all or nothing.
    case launch
    /// `InstanceActions`: the lifecycle of existing guests.
    case lifecycle
    /// `InstanceDeviceActions`: what changes a guest's definition (devices, flavor, groups, snapshot to image).
    case devices
    /// `StorageActions`: volumes, images and networks.
    case storage
    /// `VolumeSnapshotActions`: qcow2 internal snapshots.
    case volumeSnapshots
    /// `CatalogActions`: flavors, key pairs, security groups and rules, quotas (the state store).
    case catalog
}

enum LocalActionTable {
    static let handlers: [Capability: LocalHandler] = {
        var table: [Capability: LocalHandler] = [:]
        func add(_ kind: ResourceKind, _ actions: [ActionKind], _ handler: LocalHandler) {
            for action in actions { table[Capability(kind, action)] = handler }
        }
        add(.instance, [.create], .launch)
        add(.instance, [.start, .stop, .powerOff, .reboot, .hardReboot, .pause, .unpause, .suspend, .resume,
                        .lock, .unlock, .rename, .delete], .lifecycle)
        add(.instance, [.attachVolume, .detachVolume, .attachInterface, .detachInterface, .resize, .snapshot,
                        .addSecurityGroup, .removeSecurityGroup], .devices)
        add(.volume, [.create, .delete, .extend, .snapshot], .storage)
        add(.image, [.create, .upload, .update, .delete], .storage)
        add(.network, [.create, .delete], .storage)
        add(.volumeSnapshot, [.create, .delete], .volumeSnapshots)
        add(.flavor, [.create, .delete], .catalog)
        add(.keypair, [.create, .delete], .catalog)
        add(.securityGroup, [.create, .delete], .catalog)
        add(.securityGroupRule, [.create, .delete], .catalog)
        add(.quota, [.update], .catalog)
        return table
    }()

    static func handler(for request: ActionRequest) -> LocalHandler? {
        handlers[Capability(request.kind, request.action)]
    }
}

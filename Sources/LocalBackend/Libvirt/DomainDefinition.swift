import StacktopModel

/// The devices of a domain that stacktop shows, read from its XML definition.
struct DomainDefinition: Equatable {
    /// A disk plus, for `type='volume'` disks, the pool volume it names.
    struct Disk: Equatable {
        var disk: InstanceDisk
        var pool: String?
        var volume: String?
    }

    /// The pool volume a `type='volume'` disk names.
    struct VolumeName: Equatable {
        var pool: String?
        var volume: String?
    }

    var disks: [Disk] = []
    var interfaces: [InstanceInterface] = []
    var graphics: [GraphicsConsole] = []

    init(disks: [Disk] = [], interfaces: [InstanceInterface] = [], graphics: [GraphicsConsole] = []) {
        self.disks = disks; self.interfaces = interfaces; self.graphics = graphics
    }

    init(xml root: XMLTree.Element) {
        guard let devices = root.child("devices") else { self.init(); return }
        self.init(devices: devices)
    }

    /// From the `<devices>` element itself.
    init(devices: XMLTree.Element) {
        for device in devices.children {
            switch device.name {
            case "disk": if let disk = Self.disk(device) { disks.append(disk) }
            case "interface": interfaces.append(Self.interface(device))
            case "graphics": graphics.append(Self.graphics(device))
            default: break
            }
        }
    }

    private static func disk(_ element: XMLTree.Element) -> Disk? {
        guard let target = element.child("target"), let dev = target[attribute: "dev"] else { return nil }
        let source = element.child("source")
        let pool = source?[attribute: "pool"]
        let volume = source?[attribute: "volume"]
        let path = source.flatMap { source in
            source[attribute: "file"] ?? source[attribute: "dev"] ?? source[attribute: "dir"]
                ?? (pool != nil && volume != nil ? "\(pool!)/\(volume!)" : nil)
                ?? source[attribute: "name"]
        }
        let device = element[attribute: "device"].flatMap(InstanceDisk.Device.init(rawValue:)) ?? .disk
        let disk = InstanceDisk(target: dev, source: path, device: device,
                                format: element.child("driver")?[attribute: "type"],
                                bus: target[attribute: "bus"], readOnly: element.child("readonly") != nil)
        return Disk(disk: disk, pool: pool, volume: volume)
    }

    private static func interface(_ element: XMLTree.Element) -> InstanceInterface {
        let source = element.child("source")
        return InstanceInterface(
            mac: element.child("mac")?[attribute: "address"] ?? "",
            network: source.flatMap { $0[attribute: "network"] ?? $0[attribute: "bridge"] ?? $0[attribute: "dev"] },
            type: element[attribute: "type"] ?? "network",
            model: element.child("model")?[attribute: "type"],
            targetDevice: element.child("target")?[attribute: "dev"])
    }

    private static func graphics(_ element: XMLTree.Element) -> GraphicsConsole {
        GraphicsConsole(
            type: element[attribute: "type"] ?? "unknown",
            listen: element[attribute: "listen"] ?? element.child("listen")?[attribute: "address"],
            port: element[attribute: "port"].flatMap { Int($0) } ?? -1,
            autoport: element[attribute: "autoport"] == "yes")
    }
}

/// The pieces of a libvirt test-driver node file (`test:///PATH`), so that a suite's host spells out only what
/// its tests look at: which guests, disks, networks, pools and volumes, with which names and sizes. libvirt reads
/// the file as XML, so the layout of the text these build does not matter.
enum TestNodeXML {
    /// A whole node file. The `test` namespace lets a guest say its run state (`<test:runstate>`).
    static func node(_ parts: [String]) -> String {
        (["<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>"] + parts + ["</node>"])
            .joined(separator: "\n")
    }

    /// A guest, running unless `runState` says otherwise (the test driver's numbers: 3 paused, 5 shut off);
    /// `currentVCPUs`: fewer vCPUs online than `vcpus`.
    static func domain(_ name: String, uuid: String? = nil, memoryMiB: Int, vcpus: Int = 1, currentVCPUs: Int? = nil,
                       devices: [String] = [], runState: Int? = nil) -> String {
        var lines = ["<domain type='test'>", "<name>\(name)</name>"]
        if let uuid { lines.append("<uuid>\(uuid)</uuid>") }
        lines.append("<memory unit='MiB'>\(memoryMiB)</memory>")
        lines.append(currentVCPUs.map { "<vcpu current='\($0)'>\(vcpus)</vcpu>" } ?? "<vcpu>\(vcpus)</vcpu>")
        lines.append("<os><type arch='x86_64'>hvm</type></os>")
        if !devices.isEmpty { lines += ["<devices>"] + devices + ["</devices>"] }
        if let runState { lines.append("<test:runstate>\(runState)</test:runstate>") }
        return (lines + ["</domain>"]).joined(separator: "\n")
    }

    /// A virtio disk backed by a file; `driverType`: the qemu driver's format, when the guest names one.
    static func fileDisk(_ path: String, target: String, driverType: String? = nil) -> String {
        "<disk type='file' device='disk'>" + (driverType.map { "<driver name='qemu' type='\($0)'/>" } ?? "")
            + "<source file='\(path)'/><target dev='\(target)' bus='virtio'/></disk>"
    }

    /// A virtio disk that names a volume of a pool.
    static func volumeDisk(pool: String, volume: String, target: String) -> String {
        "<disk type='volume' device='disk'><source pool='\(pool)' volume='\(volume)'/>"
            + "<target dev='\(target)' bus='virtio'/></disk>"
    }

    static func networkInterface(mac: String, network: String) -> String {
        "<interface type='network'><mac address='\(mac)'/><source network='\(network)'/></interface>"
    }

    /// libvirt's usual `default` network: NAT on virbr0, 192.168.122.0/24 with DHCP.
    static func defaultNetwork(uuid: String? = nil) -> String {
        ["<network>", "<name>default</name>", uuid.map { "<uuid>\($0)</uuid>" } ?? "", "<forward mode='nat'/>",
         "<bridge name='virbr0'/>", "<ip address='192.168.122.1' netmask='255.255.255.0'>",
         "<dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>", "</ip>", "</network>"]
            .joined(separator: "\n")
    }

    /// A directory pool; `gib`: its capacity, allocation and free space in GiB, when the test reads them.
    static func pool(_ name: String, path: String, uuid: String? = nil,
                     gib: (capacity: Int, allocation: Int, available: Int)? = nil, volumes: [String]) -> String {
        var lines = ["<pool type='dir'>", "<name>\(name)</name>"]
        if let uuid { lines.append("<uuid>\(uuid)</uuid>") }
        if let gib {
            lines.append("<capacity unit='GiB'>\(gib.capacity)</capacity><allocation unit='GiB'>\(gib.allocation)"
                + "</allocation><available unit='GiB'>\(gib.available)</available>")
        }
        lines.append("<target><path>\(path)</path></target>")
        return (lines + volumes + ["</pool>"]).joined(separator: "\n")
    }

    /// A file volume of `capacity` (and `allocation`) in `unit`; `path` and `format` go in its target when given.
    static func volume(_ name: String, capacity: Int, allocation: Int? = nil, unit: String = "GiB", path: String? = nil,
                       format: String? = nil) -> String {
        var xml = "<volume type='file'><name>\(name)</name><capacity unit='\(unit)'>\(capacity)</capacity>"
        if let allocation { xml += "<allocation unit='\(unit)'>\(allocation)</allocation>" }
        if path != nil || format != nil {
            xml += "<target>" + (path.map { "<path>\($0)</path>" } ?? "") + (format.map { "<format type='\($0)'/>" } ?? "")
                + "</target>"
        }
        return xml + "</volume>"
    }
}

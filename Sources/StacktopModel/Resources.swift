/// A bootable image: a volume in a libvirt pool plus metadata from the store, or a Glance image.
public struct Image: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// Disk format: "qcow2", "raw", "iso", ...
    public var format: String
    public var sizeBytes: UInt64
    public var pool: String?
    public var path: String?
    public var os: String?
    public var minDiskGiB: Int
    public var minRamMiB: Int
    public var visibility: Visibility
    public var status: String
    public var project: String?
    public var createdAt: Date?

    public enum Visibility: String, Sendable, Codable, CaseIterable { case `public`, `private`, shared, community }

    public init(id: String, name: String, format: String, sizeBytes: UInt64, pool: String? = nil,
                path: String? = nil, os: String? = nil, minDiskGiB: Int = 0, minRamMiB: Int = 0,
                visibility: Visibility = .public, status: String = "active", project: String? = nil,
                createdAt: Date? = nil) {
        self.id = id; self.name = name; self.format = format; self.sizeBytes = sizeBytes; self.pool = pool
        self.path = path; self.os = os; self.minDiskGiB = minDiskGiB; self.minRamMiB = minRamMiB
        self.visibility = visibility; self.status = status; self.project = project; self.createdAt = createdAt
    }
}

/// A block device that is not an image: a storage volume in a pool, or a Cinder volume.
public struct Volume: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var sizeBytes: UInt64
    public var allocationBytes: UInt64
    public var pool: String?
    public var path: String?
    public var format: String?
    /// "available", "in-use", ...
    public var status: String
    /// Names of the instances this volume is attached to.
    public var attachedTo: [String]
    public var project: String?
    public var bootable: Bool
    /// The guest device of each attachment ("/dev/vdb"), in `attachedTo`'s order, where the backend says.
    public var attachmentDevices: [String]?

    public init(id: String, name: String, sizeBytes: UInt64, allocationBytes: UInt64 = 0,
                pool: String? = nil, path: String? = nil, format: String? = nil,
                status: String = "available", attachedTo: [String] = [], project: String? = nil,
                bootable: Bool = false, attachmentDevices: [String]? = nil) {
        self.id = id; self.name = name; self.sizeBytes = sizeBytes; self.allocationBytes = allocationBytes
        self.pool = pool; self.path = path; self.format = format; self.status = status
        self.attachedTo = attachedTo; self.project = project; self.bootable = bootable
        self.attachmentDevices = attachmentDevices
    }
}

/// A storage pool (libvirt); images and volumes live in pools.
public struct StoragePool: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var type: String
    public var path: String?
    public var active: Bool
    public var capacityBytes: UInt64
    public var allocationBytes: UInt64
    public var availableBytes: UInt64

    public init(id: String, name: String, type: String, path: String? = nil, active: Bool,
                capacityBytes: UInt64, allocationBytes: UInt64, availableBytes: UInt64) {
        self.id = id; self.name = name; self.type = type; self.path = path; self.active = active
        self.capacityBytes = capacityBytes; self.allocationBytes = allocationBytes
        self.availableBytes = availableBytes
    }
}

public struct Network: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var bridge: String?
    /// "nat", "route", "bridge", "open" or "isolated" (no forward element).
    public var forwardMode: String
    public var active: Bool
    public var autostart: Bool
    public var subnets: [Subnet]
    public var project: String?
    public var shared: Bool
    public var external: Bool
    /// Every port on the network as the network service counts them (Neutron: server, router, DHCP
    /// and free ports); nil where ports are the instances' interfaces (libvirt).
    public var portCount: Int?

    public init(id: String, name: String, bridge: String? = nil, forwardMode: String = "isolated",
                active: Bool = true, autostart: Bool = false, subnets: [Subnet] = [],
                project: String? = nil, shared: Bool = false, external: Bool = false, portCount: Int? = nil) {
        self.id = id; self.name = name; self.bridge = bridge; self.forwardMode = forwardMode
        self.active = active; self.autostart = autostart; self.subnets = subnets; self.project = project
        self.shared = shared; self.external = external; self.portCount = portCount
    }
}

public struct Subnet: Sendable, Equatable, Codable {
    /// Neutron's subnet id; "" on a libvirt network, whose address ranges have none.
    public var id: String
    public var name: String
    public var cidr: String
    public var gateway: String?
    /// The first range DHCP hands out (libvirt's `<dhcp><range>`; Neutron's first pool when DHCP is on).
    public var dhcpStart: String?
    public var dhcpEnd: String?
    /// 4 or 6.
    public var ipVersion: Int
    public var dhcpEnabled: Bool
    /// Every range addresses are allocated from, as "start-end".
    public var allocationPools: [String]

    public init(cidr: String, gateway: String? = nil, dhcpStart: String? = nil, dhcpEnd: String? = nil,
                id: String = "", name: String = "", ipVersion: Int? = nil, dhcpEnabled: Bool? = nil,
                allocationPools: [String]? = nil) {
        self.id = id; self.name = name
        self.cidr = cidr; self.gateway = gateway; self.dhcpStart = dhcpStart; self.dhcpEnd = dhcpEnd
        self.ipVersion = ipVersion ?? (cidr.contains(":") ? 6 : 4)
        self.dhcpEnabled = dhcpEnabled ?? (dhcpStart != nil)
        self.allocationPools = allocationPools ?? dhcpStart.flatMap { start in dhcpEnd.map { ["\(start)-\($0)"] } } ?? []
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, cidr, gateway, dhcpStart, dhcpEnd, ipVersion, dhcpEnabled, allocationPools
    }

    /// Snapshots cached before subnets had ids and pools still decode.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(cidr: try c.decode(String.self, forKey: .cidr),
                  gateway: try c.decodeIfPresent(String.self, forKey: .gateway),
                  dhcpStart: try c.decodeIfPresent(String.self, forKey: .dhcpStart),
                  dhcpEnd: try c.decodeIfPresent(String.self, forKey: .dhcpEnd),
                  id: try c.decodeIfPresent(String.self, forKey: .id) ?? "",
                  name: try c.decodeIfPresent(String.self, forKey: .name) ?? "",
                  ipVersion: try c.decodeIfPresent(Int.self, forKey: .ipVersion),
                  dhcpEnabled: try c.decodeIfPresent(Bool.self, forKey: .dhcpEnabled),
                  allocationPools: try c.decodeIfPresent([String].self, forKey: .allocationPools))
    }
}

public struct SecurityGroup: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    public var project: String?
    public var rules: [SecurityGroupRule]

    public init(id: String, name: String, description: String = "", project: String? = nil,
                rules: [SecurityGroupRule] = []) {
        self.id = id; self.name = name; self.description = description; self.project = project
        self.rules = rules
    }
}

extension SecurityGroup {
    /// Instances name their groups; names are unique only within a project, as in OpenStack.
    public func isUsed(by instance: Instance) -> Bool {
        instance.securityGroups.contains(name) && (project == nil || instance.project == project)
    }
}

public struct SecurityGroupRule: Sendable, Equatable, Codable, Identifiable {
    public enum Direction: String, Sendable, Codable { case ingress, egress }
    public var id: String
    public var direction: Direction
    /// "IPv4" or "IPv6".
    public var ethertype: String
    /// "tcp", "udp", "icmp" or nil for any.
    public var `protocol`: String?
    public var portMin: Int?
    public var portMax: Int?
    public var remoteCIDR: String?
    /// Another group as the remote, by name.
    public var remoteGroup: String?

    public init(id: String, direction: Direction, ethertype: String = "IPv4", protocol: String? = nil,
                portMin: Int? = nil, portMax: Int? = nil, remoteCIDR: String? = nil, remoteGroup: String? = nil) {
        self.id = id; self.direction = direction; self.ethertype = ethertype; self.protocol = `protocol`
        self.portMin = portMin; self.portMax = portMax; self.remoteCIDR = remoteCIDR
        self.remoteGroup = remoteGroup
    }

    /// "22", "8000-8080" or "any", as the rule tables show it.
    public var portRangeLabel: String {
        switch (portMin, portMax) {
        case let (min?, max?) where min == max: "\(min)"
        case let (min?, max?): "\(min)-\(max)"
        case let (min?, nil): "\(min)"
        default: "any"
        }
    }
}

public struct Project: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var description: String
    public var enabled: Bool
    /// Instances in the project as the compute service counts them across all projects (an admin's
    /// view); nil when only the listed instances are known.
    public var instanceCount: Int?

    public init(id: String, name: String, description: String = "", enabled: Bool = true, instanceCount: Int? = nil) {
        self.id = id; self.name = name; self.description = description; self.enabled = enabled
        self.instanceCount = instanceCount
    }
}

public struct Flavor: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var vcpus: Int
    public var ramMiB: Int
    public var diskGiB: Int
    public var isPublic: Bool

    public init(id: String, name: String, vcpus: Int, ramMiB: Int, diskGiB: Int, isPublic: Bool = true) {
        self.id = id; self.name = name; self.vcpus = vcpus; self.ramMiB = ramMiB; self.diskGiB = diskGiB
        self.isPublic = isPublic
    }
}

public struct Keypair: Sendable, Equatable, Codable, Identifiable {
    public var name: String
    public var fingerprint: String
    public var publicKey: String
    /// "ssh" or "x509".
    public var type: String
    public var project: String?
    public var createdAt: Date?
    public var id: String { name }

    public init(name: String, fingerprint: String, publicKey: String, type: String = "ssh",
                project: String? = nil, createdAt: Date? = nil) {
        self.name = name; self.fingerprint = fingerprint; self.publicKey = publicKey; self.type = type
        self.project = project; self.createdAt = createdAt
    }
}

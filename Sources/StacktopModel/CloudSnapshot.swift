/// Everything a backend knows at one moment: what every panel draws from.
/// A value, so a stale snapshot can stay on screen while a new one loads.
public struct CloudSnapshot: Sendable, Equatable, Codable {
    public var instances: [Instance]
    public var images: [Image]
    public var volumes: [Volume]
    /// Point-in-time copies of volumes (Cinder snapshots; qcow2 internal snapshots on a libvirt host).
    public var volumeSnapshots: [VolumeSnapshot] = []
    public var pools: [StoragePool]
    public var networks: [Network]
    public var securityGroups: [SecurityGroup]
    public var quotas: [ProjectQuotas]
    public var flavors: [Flavor]
    public var keypairs: [Keypair]
    public var projects: [Project]
    /// Compute hosts with their capacity: the libvirt host, or Nova's hypervisors (admins only).
    public var hypervisors: [Hypervisor]
    /// Neutron only; always empty on a libvirt host.
    public var floatingIPs: [FloatingIP]
    public var routers: [Router]
    public var ports: [Port]
    /// Lists that could not be read this time: they hold what the last good read gave (or nothing),
    /// and say why. Empty when every part answered.
    public var staleParts: [StalePart]
    /// Lists this cloud does not offer to this user (a service missing from the catalog, or one that
    /// refuses with 403/404): not stale, just not there; each with its one sentence.
    public var unavailableParts: [StalePart] = []
    /// Sections only this backend can add to a resource's details (a libvirt host shows the network filter a
    /// security group becomes), keyed by `DetailBlock.key(kind:id:)`: the UI shows them without knowing why.
    public var extraDetails: [String: [DetailBlock]] = [:]
    /// When the data was read from the backend.
    public var takenAt: Date
    /// A fleet's members, each with its own snapshot (nil for a single context). Never cached as a whole:
    /// each member's snapshot is cached under its own endpoint.
    public var fleet: [FleetMember]?

    public init(instances: [Instance] = [], images: [Image] = [], volumes: [Volume] = [],
                pools: [StoragePool] = [], networks: [Network] = [], securityGroups: [SecurityGroup] = [],
                quotas: [ProjectQuotas] = [], flavors: [Flavor] = [], keypairs: [Keypair] = [],
                projects: [Project] = [], hypervisors: [Hypervisor] = [], floatingIPs: [FloatingIP] = [],
                routers: [Router] = [], ports: [Port] = [], staleParts: [StalePart] = [], takenAt: Date = Date()) {
        self.instances = instances; self.images = images; self.volumes = volumes; self.pools = pools
        self.networks = networks; self.securityGroups = securityGroups; self.quotas = quotas
        self.flavors = flavors; self.keypairs = keypairs; self.projects = projects; self.hypervisors = hypervisors
        self.floatingIPs = floatingIPs; self.routers = routers; self.ports = ports
        self.staleParts = staleParts; self.takenAt = takenAt
    }

    private enum CodingKeys: String, CodingKey {
        case instances, images, volumes, volumeSnapshots, pools, networks, securityGroups, quotas, flavors, keypairs, projects
        case hypervisors, floatingIPs, routers, ports, staleParts, unavailableParts, extraDetails, takenAt
    }

    /// Lists added after the first release are optional here, so a snapshot cached by an older
    /// stacktop still decodes (and draws at once) instead of being thrown away.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        instances = try c.decode([Instance].self, forKey: .instances)
        images = try c.decode([Image].self, forKey: .images)
        volumes = try c.decode([Volume].self, forKey: .volumes)
        volumeSnapshots = try c.decodeIfPresent([VolumeSnapshot].self, forKey: .volumeSnapshots) ?? []
        pools = try c.decode([StoragePool].self, forKey: .pools)
        networks = try c.decode([Network].self, forKey: .networks)
        securityGroups = try c.decode([SecurityGroup].self, forKey: .securityGroups)
        quotas = try c.decode([ProjectQuotas].self, forKey: .quotas)
        flavors = try c.decode([Flavor].self, forKey: .flavors)
        keypairs = try c.decode([Keypair].self, forKey: .keypairs)
        projects = try c.decode([Project].self, forKey: .projects)
        hypervisors = try c.decodeIfPresent([Hypervisor].self, forKey: .hypervisors) ?? []
        floatingIPs = try c.decodeIfPresent([FloatingIP].self, forKey: .floatingIPs) ?? []
        routers = try c.decodeIfPresent([Router].self, forKey: .routers) ?? []
        ports = try c.decodeIfPresent([Port].self, forKey: .ports) ?? []
        staleParts = try c.decodeIfPresent([StalePart].self, forKey: .staleParts) ?? []
        unavailableParts = try c.decodeIfPresent([StalePart].self, forKey: .unavailableParts) ?? []
        extraDetails = try c.decodeIfPresent([String: [DetailBlock]].self, forKey: .extraDetails) ?? [:]
        takenAt = try c.decode(Date.self, forKey: .takenAt)
    }

    /// Everything but when it was read is the same: a refresh that found nothing new.
    public func hasSameData(as other: CloudSnapshot) -> Bool {
        var aligned = other
        aligned.takenAt = takenAt
        // A fleet's members are read at their own moments too.
        if let mine = fleet, var theirs = aligned.fleet, mine.count == theirs.count {
            for index in theirs.indices { theirs[index].snapshot.takenAt = mine[index].snapshot.takenAt }
            aligned.fleet = theirs
        }
        return aligned == self
    }

    /// Instance counts by state, in the state order, only states that occur.
    public var instanceCountsByState: [(state: InstanceState, count: Int)] {
        let counts = Dictionary(grouping: instances, by: \.state).mapValues(\.count)
        return InstanceState.allCases.compactMap { state in counts[state].map { (state, $0) } }
    }
}

/// One list of a snapshot that its service did not give this time (a service down while others answer).
extension CloudSnapshot {
    /// Why the list titled `what` ("images", "key pairs") is not offered by this cloud, if it is not.
    public func unavailability(of what: String) -> StalePart? {
        unavailableParts.first { $0.what.lowercased() == what.lowercased() }
    }
}

/// A titled block of text lines a backend adds to a resource's details.
public struct DetailBlock: Sendable, Equatable, Codable {
    public var title: String
    public var lines: [String]

    public init(title: String, lines: [String]) { self.title = title; self.lines = lines }

    /// "secgroup/<id>": the resource's kind word (as the tables name it) and its id.
    public static func key(kind: String, id: String) -> String { kind + "/" + id }
}

public struct StalePart: Sendable, Equatable, Codable {
    /// What the list is, as people say it: "images", "volumes", "projects".
    public var what: String
    /// The one sentence of the failure.
    public var reason: String
    /// When this list was last read (nil: never, so it is empty).
    public var lastGood: Date?

    public init(what: String, reason: String, lastGood: Date? = nil) {
        self.what = what; self.reason = reason; self.lastGood = lastGood
    }
}

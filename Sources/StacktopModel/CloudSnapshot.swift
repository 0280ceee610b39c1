/// Everything a backend knows at one moment: what every panel draws from.
/// A value, so a stale snapshot can stay on screen while a new one loads.
public struct CloudSnapshot: Sendable, Equatable, Codable {
    public var instances: [Instance]
    public var images: [Image]
    public var volumes: [Volume]
    public var pools: [StoragePool]
    public var networks: [Network]
    public var securityGroups: [SecurityGroup]
    public var quotas: [ProjectQuotas]
    public var flavors: [Flavor]
    public var keypairs: [Keypair]
    public var projects: [Project]
    /// Compute hosts with their capacity: the libvirt host, or Nova's hypervisors (admins only).
    public var hypervisors: [Hypervisor]
    /// When the data was read from the backend.
    public var takenAt: Date

    public init(instances: [Instance] = [], images: [Image] = [], volumes: [Volume] = [],
                pools: [StoragePool] = [], networks: [Network] = [], securityGroups: [SecurityGroup] = [],
                quotas: [ProjectQuotas] = [], flavors: [Flavor] = [], keypairs: [Keypair] = [],
                projects: [Project] = [], hypervisors: [Hypervisor] = [], takenAt: Date = Date()) {
        self.instances = instances; self.images = images; self.volumes = volumes; self.pools = pools
        self.networks = networks; self.securityGroups = securityGroups; self.quotas = quotas
        self.flavors = flavors; self.keypairs = keypairs; self.projects = projects; self.hypervisors = hypervisors
        self.takenAt = takenAt
    }

    /// Instance counts by state, in the state order, only states that occur.
    public var instanceCountsByState: [(state: InstanceState, count: Int)] {
        let counts = Dictionary(grouping: instances, by: \.state).mapValues(\.count)
        return InstanceState.allCases.compactMap { state in counts[state].map { (state, $0) } }
    }
}

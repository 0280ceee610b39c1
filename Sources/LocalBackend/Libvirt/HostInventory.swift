import StacktopModel

/// Everything one pass over a libvirt host reads.
public struct HostInventory: Sendable, Equatable {
    /// Project, flavor, image and keypair are nil: libvirt does not know them, the store does.
    public var instances: [Instance]
    public var pools: [StoragePool]
    public var poolVolumes: [PoolVolume]
    public var networks: [Network]
    /// The host's own CPUs and memory (virNodeGetInfo), when libvirt tells.
    public var node: NodeCapacity?

    public init(instances: [Instance] = [], pools: [StoragePool] = [], poolVolumes: [PoolVolume] = [],
                networks: [Network] = [], node: NodeCapacity? = nil) {
        self.instances = instances; self.pools = pools; self.poolVolumes = poolVolumes; self.networks = networks
        self.node = node
    }
}

/// What the host has to give (logical CPUs and memory), and how much of it is in use.
public struct NodeCapacity: Sendable, Equatable {
    public var cpus: Int
    public var memoryMiB: Int
    /// "QEMU", "Test", ... (virConnectGetType).
    public var type: String?
    /// The host's own memory in use (virNodeGetMemoryStats), guests or not; nil when libvirt cannot tell.
    public var memoryUsedMiB: Int?
    /// The CPU counters at the time of reading, for load between two readings; nil when libvirt cannot tell.
    public var cpuTimes: NodeCPUTimes?

    public init(cpus: Int, memoryMiB: Int, type: String? = nil, memoryUsedMiB: Int? = nil,
                cpuTimes: NodeCPUTimes? = nil) {
        self.cpus = cpus; self.memoryMiB = memoryMiB; self.type = type
        self.memoryUsedMiB = memoryUsedMiB; self.cpuTimes = cpuTimes
    }
}

/// A storage volume as libvirt reports it; the store decides whether it is an image or a volume.
public struct PoolVolume: Sendable, Equatable {
    public var pool: String
    public var name: String
    public var path: String
    public var key: String
    public var capacityBytes: UInt64
    public var allocationBytes: UInt64
    /// From the volume XML's `<target><format type=.../>`, e.g. "qcow2" or "raw".
    public var format: String?

    public init(pool: String, name: String, path: String, key: String, capacityBytes: UInt64,
                allocationBytes: UInt64, format: String? = nil) {
        self.pool = pool; self.name = name; self.path = path; self.key = key
        self.capacityBytes = capacityBytes; self.allocationBytes = allocationBytes; self.format = format
    }
}

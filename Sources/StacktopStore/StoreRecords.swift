import StacktopModel
import StacktopServices

/// What the store knows about an image that libvirt does not: a pool volume becomes an image
/// when its path has one of these.
public struct ImageMetadata: Sendable, Equatable, Codable {
    /// Host path of the pool volume this describes.
    public var path: String
    public var name: String
    public var os: String?
    public var minDiskGiB: Int
    public var minRamMiB: Int
    public var visibility: Image.Visibility
    public var project: String?
    public var createdAt: Date?

    public init(path: String, name: String, os: String? = nil, minDiskGiB: Int = 0, minRamMiB: Int = 0,
                visibility: Image.Visibility = .public, project: String? = nil, createdAt: Date? = nil) {
        self.path = path; self.name = name; self.os = os; self.minDiskGiB = minDiskGiB
        self.minRamMiB = minRamMiB; self.visibility = visibility; self.project = project
        self.createdAt = createdAt
    }
}

/// The cloud-level facts about an instance that a libvirt domain does not carry.
public struct InstanceOwnership: Sendable, Equatable, Codable {
    /// libvirt domain UUID.
    public var uuid: String
    public var project: String?
    public var flavor: String?
    public var image: String?
    public var keypair: String?
    public var securityGroups: [String]
    public var createdAt: Date?
    public var locked: Bool

    public init(uuid: String, project: String? = nil, flavor: String? = nil, image: String? = nil,
                keypair: String? = nil, securityGroups: [String] = [], createdAt: Date? = nil,
                locked: Bool = false) {
        self.uuid = uuid; self.project = project; self.flavor = flavor; self.image = image
        self.keypair = keypair; self.securityGroups = securityGroups; self.createdAt = createdAt
        self.locked = locked
    }
}

/// Which project a libvirt network belongs to, and how it is offered.
public struct NetworkOwnership: Sendable, Equatable, Codable {
    public var name: String
    public var project: String?
    public var shared: Bool
    public var external: Bool

    public init(name: String, project: String? = nil, shared: Bool = false, external: Bool = false) {
        self.name = name; self.project = project; self.shared = shared; self.external = external
    }
}

/// One line of the audit log as stored: the record (`entry.action`, `entry.result`…) and its row id.
@dynamicMemberLookup
public struct AuditEntry: Sendable, Equatable {
    /// Row id; increases with every append, so it orders entries even within one second.
    public var id: Int64
    public var record: AuditRecord

    public init(id: Int64, record: AuditRecord) {
        self.id = id; self.record = record
    }

    public subscript<Value>(dynamicMember field: KeyPath<AuditRecord, Value>) -> Value { record[keyPath: field] }
}

/// Everything the store contributes to a snapshot, read in one consistent transaction.
public struct LocalStoreData: Sendable, Equatable {
    public var projects: [Project]
    public var flavors: [Flavor]
    public var keypairs: [Keypair]
    public var securityGroups: [SecurityGroup]
    /// Keyed by volume path.
    public var imageMetadata: [String: ImageMetadata]
    /// Keyed by domain UUID.
    public var instanceOwnership: [String: InstanceOwnership]
    /// Volume path -> project name.
    public var volumeOwners: [String: String]
    /// Keyed by network name.
    public var networkOwnership: [String: NetworkOwnership]
    /// Resolved limits (explicit, else default) for every project.
    public var quotaLimits: [String: [QuotaResource: Int]]
    /// Volume path -> UUID of the instance stacktop made it for (root overlay, seed disk).
    public var instanceDisks: [String: String]
    /// The volume snapshots stacktop took, by name.
    public var volumeSnapshots: [VolumeSnapshotRecord]

    public init(projects: [Project] = [], flavors: [Flavor] = [], keypairs: [Keypair] = [],
                securityGroups: [SecurityGroup] = [], imageMetadata: [String: ImageMetadata] = [:],
                instanceOwnership: [String: InstanceOwnership] = [:], volumeOwners: [String: String] = [:],
                networkOwnership: [String: NetworkOwnership] = [:],
                quotaLimits: [String: [QuotaResource: Int]] = [:], instanceDisks: [String: String] = [:],
                volumeSnapshots: [VolumeSnapshotRecord] = []) {
        self.projects = projects; self.flavors = flavors; self.keypairs = keypairs
        self.securityGroups = securityGroups; self.imageMetadata = imageMetadata
        self.instanceOwnership = instanceOwnership; self.volumeOwners = volumeOwners
        self.networkOwnership = networkOwnership; self.quotaLimits = quotaLimits
        self.instanceDisks = instanceDisks; self.volumeSnapshots = volumeSnapshots
    }
}

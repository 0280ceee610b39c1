import Foundation
import StacktopServices

/// Which lists a snapshot reads. The dashboard wants everything; `stacktop server list` only what
/// its table shows, so a one-shot command costs little more than one round trip.
public struct SnapshotParts: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let servers = SnapshotParts(rawValue: 1 << 0)
    public static let flavors = SnapshotParts(rawValue: 1 << 1)
    public static let keypairs = SnapshotParts(rawValue: 1 << 2)
    public static let images = SnapshotParts(rawValue: 1 << 3)
    public static let volumes = SnapshotParts(rawValue: 1 << 4)
    public static let networks = SnapshotParts(rawValue: 1 << 5)
    public static let securityGroups = SnapshotParts(rawValue: 1 << 6)
    public static let projects = SnapshotParts(rawValue: 1 << 7)
    public static let quotas = SnapshotParts(rawValue: 1 << 8)
    public static let hypervisors = SnapshotParts(rawValue: 1 << 9)
    public static let floatingIPs = SnapshotParts(rawValue: 1 << 10)
    public static let routers = SnapshotParts(rawValue: 1 << 11)
    public static let ports = SnapshotParts(rawValue: 1 << 12)
    public static let volumeSnapshots = SnapshotParts(rawValue: 1 << 13)
    /// Servers per project across every project (admins; the Projects panel's column).
    public static let instanceCounts = SnapshotParts(rawValue: 1 << 14)

    public static let all: SnapshotParts = [.servers, .flavors, .keypairs, .images, .volumes, .networks,
                                            .securityGroups, .projects, .quotas, .hypervisors,
                                            .floatingIPs, .routers, .ports, .volumeSnapshots, .instanceCounts]

    /// What the list of `kind` draws from, with what names its columns need. Instances read Glance
    /// and Keystone too, so image and project names are the services' own whatever the cache holds
    /// (correctness over the cost of two more token validations); networks read ports for their
    /// counts; quotas read key pairs, whose use Nova does not count.
    public static func needed(for kind: ResourceKind) -> SnapshotParts {
        switch kind {
        case .instance: [.servers, .images, .projects]
        case .image: [.images]
        case .volume: [.volumes, .servers, .projects]
        case .volumeSnapshot: [.volumeSnapshots, .volumes, .projects]
        case .network: [.networks, .ports]
        case .subnet: [.networks]
        case .securityGroup, .securityGroupRule: [.securityGroups, .servers, .projects]
        case .quota: [.quotas, .keypairs]
        case .flavor: [.flavors, .servers]
        case .keypair: [.keypairs]
        case .project: [.projects, .servers, .instanceCounts]
        case .hypervisor: [.hypervisors]
        // Ports tie floating IPs to servers and routers to subnets; networks name both.
        case .floatingIP: [.floatingIPs, .ports, .servers, .routers, .networks, .projects]
        case .router: [.routers, .ports, .networks, .projects]
        case .port: [.ports, .servers, .routers, .networks, .projects]
        }
    }
}

/// Tuning that tests change: small pages force pagination, and the id check's interval bounds how
/// long a server deleted between two `changes-since` reads (and purged meanwhile) could linger.
public struct OpenStackBackendOptions: Sendable {
    /// Page size asked of every list; nil lets each service choose.
    public var pageLimit: Int?
    public var parts: SnapshotParts
    /// Read servers with `changes-since` after the first full read.
    public var incrementalServers: Bool
    /// Every this many incremental reads, list the ids of all servers (one cheap request at 1,000
    /// servers) and drop those gone (the deleted-server check); a server missing from the cache reads all.
    public var fullServerReadEvery: Int
    /// Retry-After values up to this are waited out once.
    public var maxRetryWait: Double
    /// A list not on screen is read again after this many seconds (the kinds on screen every refresh).
    public var slowSeconds: Double = 300
    /// Pages of a streamed first read of servers.
    public var stream = ServerStreamTuning()
    /// The clock the slow cadence counts with (tests move it).
    public var clock: @Sendable () -> Date = { Date() }
    /// Image names by id from an earlier snapshot, for reads that leave Glance out.
    public var knownImageNames: [String: String] = [:]
    /// Where each request is written as a line (`STACKTOP_REQUEST_LOG`, for the bench's count); nil: nowhere.
    public var requestLog: String?
    /// Where tokens are kept between runs (nil: every run authenticates).
    public var tokenCache: TokenCache?

    public init(pageLimit: Int? = nil, parts: SnapshotParts = .all, incrementalServers: Bool = true,
                fullServerReadEvery: Int = 30, maxRetryWait: Double = 10) {
        self.pageLimit = pageLimit; self.parts = parts; self.incrementalServers = incrementalServers
        self.fullServerReadEvery = fullServerReadEvery; self.maxRetryWait = maxRetryWait
    }
}

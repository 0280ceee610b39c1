import StacktopModel

/// Which kind of cloud a backend talks to; the status line names it.
public enum BackendKind: String, Sendable, Codable {
    /// A libvirt host (any URI, including qemu+ssh://).
    case local
    /// The built-in demo cloud: libvirt's test driver plus a seeded store of its own.
    case demo
    /// An OpenStack cloud (Keystone, Nova, Glance, Cinder, Neutron).
    case openstack
    /// Several contexts at once (`--fleet`): their snapshots merged, actions sent to each row's own.
    case fleet
}

/// What the UI shows about where its data comes from.
public struct BackendDescription: Sendable, Equatable {
    public var kind: BackendKind
    /// libvirt URI or cloud name.
    public var endpoint: String
    /// The project whose quotas the Overview shows first.
    public var currentProject: String?
    /// What `rawDefinition` returns, as the raw view's title says it ("libvirt XML", "Nova server JSON").
    public var rawDefinitionTitle: String

    public init(kind: BackendKind, endpoint: String, currentProject: String? = nil,
                rawDefinitionTitle: String = "libvirt XML") {
        self.kind = kind; self.endpoint = endpoint; self.currentProject = currentProject
        self.rawDefinitionTitle = rawDefinitionTitle
    }

    /// Where the data comes from, as the title bar says it: "libvirt qemu:///system", "cloud prod", "demo cloud".
    public var placeName: String {
        switch kind {
        case .demo: "demo cloud"
        case .local: "libvirt " + endpoint
        case .openstack: "cloud " + endpoint
        case .fleet: "fleet of \(endpoint.dropFirst("fleet ".count).split(separator: ",").count)"
        }
    }

    /// Made-up data, said on every screen (the title bar's DEMO badge).
    public var isMadeUp: Bool { kind == .demo }

    /// Why no instance of this backend ever has live statistics, in one sentence; nil where each instance's
    /// own state says why (a libvirt host: not running, or no second read yet).
    public var liveStatisticsNote: String? {
        switch kind {
        case .openstack:
            "This cloud does not expose live statistics to this user: Nova gives a server's CPU, disk and "
                + "network figures only to administrators (server diagnostics)."
        case .demo:
            "The demo's libvirt test driver measures nothing, so there are no live statistics; on a real "
                + "libvirt host CPU, memory, disk and network rates show here."
        case .local, .fleet: nil
        }
    }
}

/// Something that happened in the backend that the UI should reflect without polling.
public enum BackendEvent: Sendable, Equatable {
    /// An instance changed state (libvirt lifecycle event).
    case instanceStateChanged(id: String, name: String, state: InstanceState)
    /// An instance was defined or undefined: reload the list.
    case instancesChanged
    /// The connection to the backend failed; `message` says what and what to do.
    case connectionLost(message: String)
}

/// The read side of a cloud. Every panel draws from a `CloudSnapshot` read through it.
public protocol CloudReader: Sendable {
    var description: BackendDescription { get }
    /// Reads everything every panel shows. Throws `BackendError` with a readable message.
    func snapshot() async throws -> CloudSnapshot
    /// A read as the dashboard asks for it: `request` says what is on screen and whether `r` asked for
    /// everything; `partial` is handed the instances as they arrive (names first, details page by page)
    /// before the whole snapshot is returned. The default (`snapshot()`, nothing partial) is what a
    /// backend that answers at once needs.
    func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot
    /// The raw definition of an instance (libvirt domain XML; server JSON remotely).
    func rawDefinition(instanceID: String) async throws -> String
    /// Lifecycle events as they happen. Finishes when the backend closes.
    func events() -> AsyncStream<BackendEvent>
}

/// The write side: every mutation of any kind goes through this one entry point, so one wrapper
/// (`ReadOnlyBackend`) can refuse them all.
public protocol CloudMutator: Sendable {
    /// The actions this backend can perform; the UI offers only these, and says why for the rest.
    var capabilities: Capabilities { get }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome
}

public typealias CloudBackend = CloudReader & CloudMutator

extension CloudReader {
    public func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void)
        async throws -> CloudSnapshot {
        try await snapshot()
    }
}

/// What the dashboard asks of one read: a hint, never a limit on what the snapshot holds.
public struct ReadRequest: Sendable, Equatable {
    /// The kinds on screen: a backend reads them every time and may read the others less often
    /// (a remote cloud should not be asked for its flavors every two seconds).
    public var kindsInView: Set<ResourceKind>
    /// `r` (or `:refresh`): read everything now, including what is read less often.
    public var full: Bool

    public init(kindsInView: Set<ResourceKind> = Set(ResourceKind.allCases), full: Bool = false) {
        self.kindsInView = kindsInView; self.full = full
    }
}

/// Instances of a read still under way: rows whose state is `.loading` are known by id and name only.
public struct PartialSnapshot: Sendable, Equatable {
    public var instances: [Instance]
    /// Servers whose details have arrived.
    public var loaded: Int
    /// Servers in all, once the list of names has arrived.
    public var total: Int?

    /// What the progress figure counts ("servers", "domains").
    public var noun: String

    public init(instances: [Instance], loaded: Int, total: Int?, noun: String = "servers") {
        self.noun = noun
        self.instances = instances; self.loaded = loaded; self.total = total
    }

    /// The progress figure on the status line: "Loading servers 240/1000…".
    public var progressText: String { "Loading \(noun) \(loaded)/\(total.map(String.init) ?? "?")…" }
}

/// Where the dashboard keeps the last data it saw, so the next start draws at once.
public protocol SnapshotCache: Sendable {
    func loadSnapshot(for endpoint: String) throws -> CloudSnapshot?
    func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws
}

import StacktopModel

/// Which kind of cloud a backend talks to; the status line names it.
public enum BackendKind: String, Sendable, Codable {
    /// A libvirt host (any URI, including qemu+ssh://).
    case local
    /// The built-in demo cloud: libvirt's test driver plus a seeded store of its own.
    case demo
    /// An OpenStack cloud (Keystone, Nova, Glance, Cinder, Neutron).
    case openstack
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
        }
    }

    /// Made-up data, said on every screen (the title bar's DEMO badge).
    public var isMadeUp: Bool { kind == .demo }
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

/// Where the dashboard keeps the last data it saw, so the next start draws at once.
public protocol SnapshotCache: Sendable {
    func loadSnapshot(for endpoint: String) throws -> CloudSnapshot?
    func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws
}

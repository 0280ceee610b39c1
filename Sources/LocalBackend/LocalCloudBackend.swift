import StacktopModel
import StacktopServices
import StacktopStore

/// A libvirt host presented as a cloud: libvirt says what exists, the state store says who owns
/// it and what it means (see `LocalSnapshotAssembler` for the merge rules).
public struct LocalCloudBackend: CloudReader, CloudMutator {
    public let store: StateStore
    public let description: BackendDescription
    private let session: LibvirtSession
    private let memo = SnapshotMemo()
    /// How long detaching a disk or an interface (and deleting an instance with volumes attached) waits for
    /// the running guest to let the device go before saying it did not.
    public var unplugTimeout: Duration = Self.defaultUnplugTimeout
    public static let defaultUnplugTimeout: Duration = .seconds(10)

    /// The connection in use now. After libvirtd went away it is the dead one until the next
    /// `snapshot()`, `perform` or `events()` opens a fresh one (same URI, same read-only flag).
    public var connection: LibvirtConnection { session.current }

    /// `kind` is `.demo` for the built-in demo cloud, `.local` for a real host.
    /// The current project is the first one in the store, read once here.
    public init(connection: LibvirtConnection, store: StateStore, kind: BackendKind = .local) {
        self.init(session: LibvirtSession(connection: connection), store: store, kind: kind)
    }

    init(session: LibvirtSession, store: StateStore, kind: BackendKind = .local) {
        self.session = session
        self.store = store
        // A fresh host gets flavors, a project and its default security group, as a new cloud has. Never when
        // read-only. A failure here (another stacktop holding the store's write lock) is retried on the next open,
        // and the same store error then shows on the first write anyway.
        if kind == .local, !store.isReadOnly, !session.current.readOnly { try? LocalHostSetup.apply(to: store) }
        let firstProject = (try? store.projects())?.first?.name
        description = BackendDescription(kind: kind, endpoint: session.uri, currentProject: firstProject)
    }

    /// Everything on the host now. When libvirtd has gone away this throws "Reaching the libvirt daemon
    /// at URI failed: …" and the next call tries a fresh connection, so calling again later is the
    /// whole recovery. The host's `cpuUtilization` is the load since the previous successful call.
    /// Domain definitions are re-read only where they may have changed (`DomainReadCache`).
    // @concurrent: libvirt and SQLite calls block, so they must not run on the caller's actor.
    @concurrent
    public func snapshot() async throws -> CloudSnapshot { try await snapshot(reading: nil) }

    /// `request` nil: everything; else a distant host's pools, volumes and networks may come from the previous
    /// read when none of their panels is on screen (`KeptStorage`).
    @concurrent
    private func snapshot(reading request: ReadRequest?) async throws -> CloudSnapshot {
        let session = self.session
        let (inventory, hostname) = try Self.wrapped("Reading the libvirt inventory") {
            try session.run { connection in
                let kept = session.keptStorage(for: request, connection: connection)
                let started = ContinuousClock.now
                let inventory = try connection.inventory(cache: session.readCache(for: connection), kept: kept)
                if kept == nil { session.keep(inventory, readAt: started, of: connection) }
                return (inventory, connection.hostname())
            }
        }
        let data = try store.localData()
        let load = session.cpuUtilization(now: inventory.node?.cpuTimes)
        return memo.assemble(inventory: inventory, store: data, hostname: hostname, cpuUtilization: load)
    }

    // @concurrent: the listing blocks, as every libvirt call does.
    @concurrent
    public func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        // The first read of a large or distant host: names first (one listing, as `virsh list --all`), then
        // everything. Later reads re-read only what changed and come fast; the dashboard then has rows anyway.
        if memo.isEmpty, let (names, distant) = try? session.run({ (try $0.domainNames(), $0.isDistant) }),
           names.count >= Self.namesFirstFrom || (distant && !names.isEmpty) {
            partial(PartialSnapshot(instances: names.map { Instance(id: $0.id, name: $0.name, state: .loading, vcpus: 0, memoryMiB: 0) },
                                    loaded: 0, total: names.count, noun: "domains"))
        }
        return try await snapshot(reading: request)
    }

    /// Below this many domains the whole first read of a host nearby is about as quick as the names alone; on a
    /// distant one every definition is a round trip, so its names always come first.
    static let namesFirstFrom = 200

    @concurrent
    public func rawDefinition(instanceID: String) async throws -> String {
        try Self.wrapped("Reading the definition of instance \(instanceID)") {
            try session.run { try $0.domainXML(uuid: instanceID) }
        }
    }

    /// libvirt lifecycle events on the current connection (reopened first if it died). When the
    /// connection drops, or subscribing fails, the stream yields `.connectionLost` once and finishes;
    /// call `events()` again after the next successful `snapshot()`.
    public func events() -> AsyncStream<BackendEvent> {
        // Newest kept: after a burst, the latest state of each instance is what matters.
        let (stream, continuation) = AsyncStream.makeStream(of: BackendEvent.self,
                                                            bufferingPolicy: .bufferingNewest(256))
        do {
            let connection = try session.live()
            let subscription = try connection.subscribeToLifecycleEvents { event in
                continuation.yield(event)
                // Nothing more can arrive on a dead connection; finishing tells the caller to subscribe anew.
                if case .connectionLost = event { continuation.finish() }
            }
            continuation.onTermination = { _ in subscription.cancel() }
        } catch {
            let message = (error as? BackendError)?.message
                ?? "Watching \(session.uri) for changes failed: \(error); "
                + "stacktop watches again after its next successful refresh."
            continuation.yield(.connectionLost(message: message))
            continuation.finish()
        }
        return stream
    }

    public var capabilities: Capabilities { LocalCapabilities.all }

    // @concurrent: the libvirt calls block (a managed save writes the guest's whole memory).
    @concurrent
    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        if let refusal = capabilities.refusal(request.action, on: request.kind) { throw refusal }
        let store = self.store, unplugTimeout = self.unplugTimeout
        // Whatever the action did or failed halfway through, the next snapshot reads it all again.
        defer { session.invalidateReads() }
        return try session.run { connection in
            try Self.perform(request, connection: connection, store: store, unplugTimeout: unplugTimeout)
        }
    }

    private static func perform(_ request: ActionRequest, connection: LibvirtConnection,
                                store: StateStore, unplugTimeout: Duration) throws -> ActionOutcome {
        // Quota checks and in-use checks need what exists right now, read fresh.
        let current: @Sendable () throws -> CloudSnapshot = {
            LocalSnapshotAssembler.assemble(inventory: try connection.inventory(), store: try store.localData(),
                                            hostname: connection.hostname())
        }
        let unsupported = BackendError.unsupported(action: "\(request.action.traits.title) \(request.kind.noun)")
        let outcome: ActionOutcome?
        switch LocalActionTable.handler(for: request) {
        case .launch: outcome = try InstanceLaunch(connection: connection, store: store, snapshot: current).perform(request)
        case .lifecycle:
            outcome = try InstanceActions(connection: connection, store: store, unplugTimeout: unplugTimeout).perform(request)
        case .devices:
            outcome = try InstanceDeviceActions(connection: connection, store: store, snapshot: current,
                                                unplugTimeout: unplugTimeout).perform(request)
        case .storage: outcome = try StorageActions(connection: connection, store: store, snapshot: current).perform(request)
        case .volumeSnapshots:
            outcome = try VolumeSnapshotActions(store: store, files: VolumeSnapshotFiles(connection: connection),
                                                snapshot: current).perform(request)
        case .catalog:
            outcome = try CatalogActions(store: store, snapshot: current, keys: KeyTool(), connection: connection).perform(request)
        case nil: outcome = nil
        }
        guard let outcome else { throw unsupported }
        return outcome
    }

    /// Keeps `BackendError`s as they are and gives anything else a readable sentence.
    private static func wrapped<T>(_ what: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BackendError {
            throw error
        } catch {
            throw BackendError.failed(what: what, reason: "\(error)")
        }
    }
}

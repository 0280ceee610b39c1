import StacktopModel
import StacktopServices
import StacktopStore

/// A libvirt host presented as a cloud: libvirt says what exists, the state store says who owns
/// it and what it means (see `LocalSnapshotAssembler` for the merge rules).
public struct LocalCloudBackend: CloudReader, CloudMutator {
    public let connection: LibvirtConnection
    public let store: StateStore
    public let description: BackendDescription

    /// `kind` is `.demo` for the built-in demo cloud, `.local` for a real host.
    /// The current project is the first one in the store, read once here.
    public init(connection: LibvirtConnection, store: StateStore, kind: BackendKind = .local) {
        self.connection = connection
        self.store = store
        let firstProject = (try? store.projects())?.first?.name
        description = BackendDescription(kind: kind, endpoint: connection.uri, currentProject: firstProject)
    }

    // @concurrent: libvirt and SQLite calls block, so they must not run on the caller's actor.
    @concurrent
    public func snapshot() async throws -> CloudSnapshot {
        let inventory = try Self.wrapped("Reading the libvirt inventory") { try connection.inventory() }
        let data = try store.localData()
        return LocalSnapshotAssembler.assemble(inventory: inventory, store: data, hostname: connection.hostname())
    }

    @concurrent
    public func rawDefinition(instanceID: String) async throws -> String {
        try Self.wrapped("Reading the definition of instance \(instanceID)") {
            try connection.domainXML(uuid: instanceID)
        }
    }

    /// libvirt lifecycle events; if subscribing fails the stream says so once and finishes.
    public func events() -> AsyncStream<BackendEvent> {
        // Newest kept: after a burst, the latest state of each instance is what matters.
        let (stream, continuation) = AsyncStream.makeStream(of: BackendEvent.self,
                                                            bufferingPolicy: .bufferingNewest(256))
        do {
            let subscription = try connection.subscribeToLifecycleEvents { event in continuation.yield(event) }
            continuation.onTermination = { _ in subscription.cancel() }
        } catch {
            let message = (error as? BackendError)?.message
                ?? "Watching \(connection.uri) for changes failed: \(error); "
                + "the lists will not update by themselves until stacktop is restarted."
            continuation.yield(.connectionLost(message: message))
            continuation.finish()
        }
        return stream
    }

    public var capabilities: Capabilities { LocalCapabilities.all }

    // @concurrent: the libvirt calls block (a managed save writes the guest's whole memory).
    @concurrent
    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        if let refusal = capabilities.refusal(request.action, on: request.kind) {
            throw BackendError.refused(reason: refusal)
        }
        let connection = self.connection, store = self.store
        // Quota checks and in-use checks need what exists right now, read fresh.
        let current: @Sendable () throws -> CloudSnapshot = {
            LocalSnapshotAssembler.assemble(inventory: try connection.inventory(), store: try store.localData(),
                                            hostname: connection.hostname())
        }
        if request.kind == .instance, request.action == .create {
            return try InstanceLaunch(connection: connection, store: store, snapshot: current).perform(request)
        }
        if request.kind == .instance,
           let outcome = try InstanceDeviceActions(connection: connection, store: store, snapshot: current).perform(request) {
            return outcome
        }
        if request.kind == .instance {
            return try InstanceActions(connection: connection, store: store).perform(request)
        }
        if let outcome = try StorageActions(connection: connection, store: store, snapshot: current).perform(request) {
            return outcome
        }
        if let outcome = try CatalogActions(store: store, snapshot: current, keys: KeyTool(), connection: connection).perform(request) {
            return outcome
        }
        throw BackendError.unsupported(action: "\(request.action.traits.title) \(request.kind.noun)")
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

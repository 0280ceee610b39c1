import FoundationEssentials
import Glibc
import StacktopModel
import StacktopServices
import StacktopStore
import LocalBackend
import OpenStackBackend

/// An opened backend, with what the dashboard must know about how it was chosen.
struct OpenedBackend {
    var backend: any CloudBackend
    var cache: (any SnapshotCache)?
    /// Where every mutation is recorded (`:audit` reads it back).
    var auditLog: (any AuditLog)?
    /// What the backend could do without --readonly (the UI greys these out when read-only).
    var writableCapabilities: Capabilities = .none
    /// Why the demo opened instead of what was asked for.
    var notice: String?
    /// Run at exit; nothing needs it today (the demo keeps its files in the state directory on purpose).
    var cleanup: @Sendable () -> Void
    /// Serial log, VNC display and serial console, outside the audit and read-only wrappers (see `wrap`).
    var consoles: (any ConsoleAccess)?
    /// Seconds a whole refresh may take (a cloud); nil where the backend bounds itself (libvirt's keepalive).
    var refreshDeadline: Double? = nil
    /// What the backend can do, asked again after each read, where that changes while it runs (a fleet learns
    /// it as its contexts open); nil where it is known at open (`writableCapabilities`).
    var capabilitiesNow: (@Sendable () -> Capabilities)? = nil
}

/// Picks the backend the way the README promises: --demo; else --connect URI; else
/// $LIBVIRT_DEFAULT_URI; else the local libvirt if it answers; else the demo, saying why.
enum BackendFactory {
    static func open(_ options: Options, environment: [String: String]) throws -> OpenedBackend {
        if options.fleet != nil { return try FleetFactory.open(options, environment: environment) }
        if wantsOpenStack(options, environment: environment) {
            return try wrap(openOpenStack(options: options, environment: environment), options)
        }
        if options.demo { return try wrap(openDemo(notice: nil, options: options, environment: environment), options) }
        if let uri = options.connect ?? environment["LIBVIRT_DEFAULT_URI"] {
            return try wrap(openLibvirt(uri: uri, options: options, environment: environment), options)
        }
        for uri in localURIs() {
            do {
                return wrap(try openLibvirt(uri: uri, options: options, environment: environment), options)
            } catch let error as BackendError {
                // The host answered but its store cannot be used (e.g. an older schema under --readonly):
                // say so, rather than open the demo "because no local libvirt answered".
                if case .store = error { throw error }
            }
        }
        let why = "No libvirt URI was given and no local libvirt answered (qemu:///system), so this is the demo cloud; "
            + "use --connect URI for a real host."
        return try wrap(openDemo(notice: why, options: options, environment: environment), options)
    }

    /// The URIs tried when none is given: the system daemon's socket must exist, so a missing
    /// libvirtd costs nothing.
    static func localURIs() -> [String] {
        access("/var/run/libvirt/libvirt-sock", F_OK) == 0 || access("/run/libvirt/libvirt-sock", F_OK) == 0
            ? ["qemu:///system"] : []
    }

    static func openLibvirt(uri: String, options: Options, environment: [String: String]) throws -> OpenedBackend {
        // Read-only: libvirt itself refuses every change too, whatever a bug above might ask for.
        let connection = try LibvirtConnection(uri: uri, readOnly: options.readOnly, promptless: options.promptless)
        let storePath = options.statePath ?? StateStore.defaultPath(environment: environment)
        let store = try openStore(path: storePath, readOnly: options.readOnly)
        let backend = LocalCloudBackend(connection: connection, store: store, kind: .local)
        return OpenedBackend(backend: backend, cache: store, auditLog: store, notice: missingStoreNotice(store),
                             cleanup: {})
    }

    /// Read-only opens the file with SQLite's read-only flag and never creates, migrates or writes it.
    static func openStore(path: String, readOnly: Bool) throws -> StateStore {
        readOnly ? try StateStore(readOnlyAt: path) : try StateStore(path: path)
    }

    /// Read-only with no store yet: the host shows, but without projects, flavors or keypairs.
    static func missingStoreNotice(_ store: StateStore) -> String? {
        guard store.isEmptyStandIn else { return nil }
        return "There is no state store at \(store.path) yet, so projects, flavors and keypairs are empty; "
            + "run stacktop once without --readonly to create it."
    }

    /// --os-cloud; else, with no libvirt choice made, OS_CLOUD or an openrc's OS_AUTH_URL.
    static func wantsOpenStack(_ options: Options, environment: [String: String]) -> Bool {
        if options.osCloud != nil { return true }
        guard options.connect == nil, !options.demo, environment["LIBVIRT_DEFAULT_URI"] == nil else { return false }
        return !(environment["OS_CLOUD"] ?? "").isEmpty || !(environment["OS_AUTH_URL"] ?? "").isEmpty
    }

    /// The cloud as the `openstack` CLI would resolve it; a one-shot list reads only what its table shows.
    static func openOpenStack(options: Options, environment: [String: String]) throws -> OpenedBackend {
        let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
        var cloud = try CloudConfigLoader.load(cloud: options.osCloud, environment: environment, homeDirectory: home,
                                               currentDirectory: FileManager.default.currentDirectoryPath)
        if let seconds = options.requestTimeout { cloud.apiTimeout = seconds }
        var backendOptions = OpenStackBackendOptions()
        backendOptions.tokenCache = TokenCache.defaultDirectory(environment: environment).map(TokenCache.init)
        backendOptions.requestLog = environment["STACKTOP_REQUEST_LOG"]
        if case .list(let word, _, _) = options.mode, let kind = ResourceKind.named(word) {
            backendOptions.parts = SnapshotParts.needed(for: kind)
        }
        let store = try openStore(path: options.statePath ?? StateStore.defaultPath(environment: environment),
                                  readOnly: options.readOnly)
        if !backendOptions.parts.contains(.images),
           let cached = try? store.loadSnapshot(for: OpenStackCloudBackend.endpointName(for: cloud)) {
            backendOptions.knownImageNames = Dictionary(cached.images.map { ($0.id, $0.name) }) { first, _ in first }
        }
        let backend = try OpenStackCloudBackend(cloud: cloud, options: backendOptions)
        return OpenedBackend(backend: backend, cache: store, auditLog: store, notice: backendOptions.tokenCache?.problem,
                             cleanup: {},
                             refreshDeadline: 2 * (cloud.apiTimeout ?? 30))
    }

    /// The demo: libvirt's test driver on `<state dir>/demo/host.xml` and its store `<state dir>/demo/state.sqlite3`
    /// (see `DemoHome`). It keeps its changes: writable, every action is saved back (`PersistentDemoBackend`).
    /// Read-only with no demo yet, the compiled-in demo is written first (that is the demo's starting point,
    /// not a change anyone made); an existing demo is only read, its store opened read-only.
    static func openDemo(notice: String?, options: Options, environment: [String: String]) throws -> OpenedBackend {
        let home = DemoHome(stateStorePath: options.statePath ?? StateStore.defaultPath(environment: environment))
        if options.resetDemo, try home.reset() {
            printError("The demo cloud starts afresh: its saved changes in \(home.directory) were deleted.")
        }
        try home.createIfMissing()
        let connection: LibvirtConnection, store: StateStore
        do {
            connection = try LibvirtConnection(uri: home.uri, readOnly: options.readOnly)
            store = try openStore(path: home.storePath, readOnly: options.readOnly)
        } catch {
            // A demo file damaged by hand (or by a full disk) need not be repaired by hand.
            var sentence = ErrorText.sentence(error)
            if case .unreachable(_, let reason)? = error as? BackendError { sentence = reason }  // not "is libvirtd running?"
            throw BackendError.failed(what: "Opening the demo cloud in \(home.directory)",
                                      reason: (sentence.hasSuffix(".") ? String(sentence.dropLast()) : sentence)
                                        + "; stacktop --demo --reset starts it afresh")
        }
        let local = LocalCloudBackend(connection: connection, store: store, kind: .demo)
        let backend: any CloudBackend = options.readOnly ? local : PersistentDemoBackend(base: local, home: home)
        return OpenedBackend(backend: backend, cache: nil, auditLog: store, notice: notice, cleanup: {})
    }

    /// Audit inside, read-only outside: a read-only refusal never reaches the backend nor the store.
    /// Read-only, the cache and the audit log are wrapped too, so the store is only ever read.
    private static func wrap(_ opened: OpenedBackend, _ options: Options) -> OpenedBackend {
        var wrapped = opened
        wrapped.writableCapabilities = opened.backend.capabilities
        wrapped.consoles = ConsoleAccessGate.consoles(of: opened.backend, readOnly: options.readOnly)
        if options.readOnly {
            wrapped.cache = opened.cache.map { ReadOnlySnapshotCache(wrapping: $0) }
            wrapped.auditLog = opened.auditLog.map { ReadOnlyAuditLog(wrapping: $0) }
        }
        if let log = wrapped.auditLog {
            wrapped.backend = AuditingBackend(wrapping: AnyCloudBackend(wrapped.backend), log: log)
        }
        if options.readOnly {
            wrapped.backend = ReadOnlyBackend(wrapping: AnyCloudBackend(wrapped.backend))
        }
        if let seconds = opened.refreshDeadline {
            wrapped.backend = RefreshDeadlineBackend(base: wrapped.backend, seconds: seconds)
        }
        return wrapped
    }
}

/// Lets the read-only wrapper take a backend whose concrete type was chosen at run time.
struct AnyCloudBackend: CloudReader, CloudMutator {
    let base: any CloudBackend
    init(_ base: any CloudBackend) { self.base = base }
    var description: BackendDescription { base.description }
    func snapshot() async throws -> CloudSnapshot { try await base.snapshot() }
    func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        try await base.snapshot(request, partial: partial)
    }
    func rawDefinition(instanceID: String) async throws -> String { try await base.rawDefinition(instanceID: instanceID) }
    func events() -> AsyncStream<BackendEvent> { base.events() }
    var capabilities: Capabilities { base.capabilities }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome { try await base.perform(request) }
}

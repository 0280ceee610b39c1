import Synchronization
import StacktopModel
import StacktopServices

/// A wall started while its backend is unreachable (libvirtd not up yet after a reboot, the API
/// down): instead of exiting, the wall shows the reason and keeps trying. Every read first tries to
/// open the real backend; once one opens it serves everything. Read-only: a wall never mutates.
final class DeferredBackend: CloudReader, CloudMutator {
    let description: BackendDescription
    private let open: @Sendable () throws -> OpenedBackend
    private let opened = Mutex<OpenedBackend?>(nil)

    init(description: BackendDescription, open: @escaping @Sendable () throws -> OpenedBackend) {
        self.description = description
        self.open = open
    }

    private func backend() throws -> any CloudBackend {
        if let ready = opened.withLock({ $0 }) { return ready.backend }
        // Opened outside the lock: a slow connect must not hold up anyone else.
        let fresh = try open()
        return opened.withLock { current in
            if current == nil { current = fresh }
            return current!.backend
        }
    }

    func snapshot() async throws -> CloudSnapshot { try await backend().snapshot() }
    func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        try await backend().snapshot(request, partial: partial)
    }

    func rawDefinition(instanceID: String) async throws -> String {
        try await backend().rawDefinition(instanceID: instanceID)
    }

    /// Until the backend opens there is nothing to watch: the stream says the connection is lost and
    /// ends, so the runner subscribes again after the first good refresh.
    func events() -> AsyncStream<BackendEvent> {
        if let ready = opened.withLock({ $0 }) { return ready.backend.events() }
        let (stream, continuation) = AsyncStream.makeStream(of: BackendEvent.self)
        continuation.yield(.connectionLost(message: "Waiting for \(description.endpoint) to answer."))
        continuation.finish()
        return stream
    }

    var capabilities: Capabilities { .none }

    func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        throw BackendError.readOnly(action: request.summary)
    }
}

/// How a wall opens its backend: never the demo by surprise (a TV in an operations room showing a
/// made-up cloud would be a lie), and never an exit because the backend is down at start.
enum WallBackend {
    static func open(_ options: Options, environment: [String: String]) -> OpenedBackend {
        // A fleet keeps trying each of its contexts itself (main has checked the names it was given).
        if options.fleet != nil, let fleet = try? FleetFactory.open(options, environment: environment) { return fleet }
        var chosen = options
        let asksForSomething = chosen.demo || chosen.connect != nil || environment["LIBVIRT_DEFAULT_URI"] != nil
            || BackendFactory.wantsOpenStack(chosen, environment: environment)
        if !asksForSomething { chosen.connect = "qemu:///system" }
        do {
            return try BackendFactory.open(chosen, environment: environment)
        } catch {
            let openStack = BackendFactory.wantsOpenStack(chosen, environment: environment)
            let endpoint = chosen.connect ?? environment["LIBVIRT_DEFAULT_URI"]
                ?? chosen.osCloud ?? environment["OS_CLOUD"] ?? environment["OS_AUTH_URL"] ?? "the cloud"
            let description = BackendDescription(kind: openStack ? .openstack : .local, endpoint: endpoint)
            let retried = chosen
            let deferred = DeferredBackend(description: description) {
                try BackendFactory.open(retried, environment: environment)
            }
            var opened = OpenedBackend(backend: deferred, cache: nil, auditLog: nil, notice: nil, cleanup: {})
            opened.notice = "Could not open \(endpoint) yet (\(ErrorText.sentence(error))); the wall keeps trying."
            return opened
        }
    }
}

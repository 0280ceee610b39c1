import Synchronization
import StacktopModel
import StacktopServices

/// A backend over a `CloudSnapshot` value it owns: reads return that value, every request that reaches
/// `perform` is recorded (so a test can prove a wrapper let nothing by, or exactly what it let by), and
/// requests naming a target in `failingTargets` fail with that target's error, as a real backend's would.
/// Performing changes nothing: every read returns the snapshot it was made with.
public final class InMemoryBackend: CloudReader, CloudMutator {
    public let description: BackendDescription
    public let capabilities: Capabilities
    /// Errors by first target: a request whose first target is a key fails with its value (after being recorded).
    public let failingTargets: [String: BackendError]
    private let cloud: CloudSnapshot
    private let rawDefinitions: [String: String]
    private let state = Mutex(State())

    private struct State {
        var reads = 0
        var performed: [ActionRequest] = []
    }

    /// `rawDefinitions` by instance id; an instance without one answers `<domain/>`.
    public init(snapshot: CloudSnapshot = CloudSnapshot(),
                description: BackendDescription = BackendDescription(kind: .local, endpoint: "test:///in-memory"),
                capabilities: Capabilities = .everything, failingTargets: [String: BackendError] = [:],
                rawDefinitions: [String: String] = [:]) {
        self.description = description
        self.capabilities = capabilities
        self.failingTargets = failingTargets
        self.rawDefinitions = rawDefinitions
        cloud = snapshot
    }

    /// How many times `snapshot()` was called.
    public var reads: Int { state.withLock { $0.reads } }

    /// Every request `perform` received, in order, including the ones that failed.
    public var performed: [ActionRequest] { state.withLock { $0.performed } }

    public func snapshot() async throws -> CloudSnapshot {
        state.withLock { $0.reads += 1 }
        return cloud
    }

    public func rawDefinition(instanceID: String) async throws -> String {
        rawDefinitions[instanceID] ?? "<domain/>"
    }

    public func events() -> AsyncStream<BackendEvent> { AsyncStream { $0.finish() } }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        state.withLock { $0.performed.append(request) }
        if let target = request.targets.first, let error = failingTargets[target] { throw error }
        return ActionOutcome(message: "done", requestIDs: ["req-1"])
    }
}

extension Capabilities {
    /// Every action on every kind: what a fake offers so that only the wrapper under test can refuse.
    public static var everything: Capabilities {
        Capabilities(supported: Set(ResourceKind.allCases.flatMap { kind in
            ActionKind.allCases.map { Capability(kind, $0) }
        }))
    }
}

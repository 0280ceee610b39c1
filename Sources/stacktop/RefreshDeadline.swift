import Synchronization
import StacktopModel
import StacktopServices

/// One deadline for a whole refresh of a cloud: each request has its own (api_timeout), but a refresh
/// is many requests, and a cloud that answers every one just in time must still not leave the dashboard
/// "Refreshing…" for ever. Past the deadline the refresh fails with a sentence, the dashboard goes STALE
/// with it, and the late answer is dropped.
struct RefreshDeadlineBackend: CloudReader, CloudMutator {
    let base: any CloudBackend
    let seconds: Double

    var description: BackendDescription { base.description }
    var capabilities: Capabilities { base.capabilities }
    func rawDefinition(instanceID: String) async throws -> String { try await base.rawDefinition(instanceID: instanceID) }
    func events() -> AsyncStream<BackendEvent> { base.events() }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome { try await base.perform(request) }

    func snapshot() async throws -> CloudSnapshot {
        try await snapshot(ReadRequest()) { _ in }
    }

    func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        let base = self.base
        let seconds = self.seconds
        let endpoint = base.description.endpoint
        return try await withCheckedThrowingContinuation { continuation in
            // Whichever finishes first answers; the other finds the continuation taken.
            let pending = TakeOnce(continuation)
            let work = Task {
                let result = await Result(catching: { try await base.snapshot(request, partial: partial) })
                pending.take()?.resume(with: result)
            }
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                guard let late = pending.take() else { return }
                work.cancel()
                late.resume(throwing: BackendError.unreachable(
                    endpoint: endpoint,
                    reason: "a refresh did not finish within \(Int(seconds.rounded())) s (twice the limit for one request; "
                        + "set api_timeout in clouds.yaml or --timeout to change it)"))
            }
        }
    }
}

/// A value that exactly one of several tasks gets.
final class TakeOnce<Value: Sendable>: Sendable {
    private let value: Mutex<Value?>
    init(_ value: Value) { self.value = Mutex(value) }
    func take() -> Value? { value.withLock { $0.take() } }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

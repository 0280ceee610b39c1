import Synchronization

/// Runs work that may not return in time (a libvirt open over ssh to a host that went away, a read of a
/// hung daemon): the caller gets the result or, after `seconds`, `FleetDeadline.Expired`, while the work
/// itself goes on in the background until it ends (a blocking C call cannot be cancelled). The caller
/// must not start the same work again meanwhile; `FleetBackend` keeps a flag per context for that.
enum FleetDeadline {
    struct Expired: Error {}

    /// `thread`: where the work prefers to run (its blocking calls hold that thread, not one of the global
    /// executor's); nil for the global executor.
    static func run<T: Sendable>(seconds: Double, on thread: (any TaskExecutor)? = nil,
                                 _ work: @escaping @Sendable () async throws -> T) async throws -> T {
        let gate = ResumeOnce<T>()
        return try await withCheckedThrowingContinuation { continuation in
            gate.set(continuation)
            Task.detached(executorPreference: thread) {
                do { gate.resume(with: .success(try await work())) } catch { gate.resume(with: .failure(error)) }
            }
            Task.detached {
                try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
                gate.resume(with: .failure(Expired()))
            }
        }
    }
}

/// A continuation resumed by whichever of two tasks finishes first; the second is ignored.
private final class ResumeOnce<T: Sendable>: Sendable {
    private let slot = Mutex<CheckedContinuation<T, any Error>?>(nil)
    func set(_ continuation: CheckedContinuation<T, any Error>) { slot.withLock { $0 = continuation } }
    func resume(with result: Result<T, any Error>) {
        slot.withLock { $0.take() }?.resume(with: result)
    }
}

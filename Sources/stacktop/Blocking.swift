import Synchronization
import Glibc

/// A result handed from a detached task to the thread waiting for it.
final class ResultBox<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)
    func set(_ result: Result<T, any Error>) { value.withLock { $0 = result } }
    func get() throws -> T { try value.withLock { $0! }.get() }
}

/// A counting semaphore on a POSIX semaphore; Dispatch is avoided to keep start-up lean.
final class DispatchSemaphoreLite: Sendable {
    // sem_t lives in memory allocated once and never moved; sem_wait/sem_post are thread-safe
    // by POSIX, which is why sharing the pointer across threads is safe.
    private nonisolated(unsafe) let semaphore: UnsafeMutablePointer<sem_t>

    init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    func signal() { sem_post(semaphore) }
    func wait() { while sem_wait(semaphore) != 0 && errno == EINTR {} }
}

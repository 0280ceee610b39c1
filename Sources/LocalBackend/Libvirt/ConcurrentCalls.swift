#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Blocking calls made several at a time, on threads of their own, for a distant libvirt host.
///
/// Why: over a network each libvirt call waits a round trip, and a first read asks for every domain's
/// definition one by one: 20 domains at 20 ms each way cost 20 round trips. A libvirt connection takes calls
/// from several threads at once (its RPC client matches each reply to its call), so asking eight at a time
/// takes three. Threads, not tasks: the calls block, and Swift's global executor has one thread per core.
enum ConcurrentCalls {
    /// `body(index)` for every index below `count`, on up to `width` threads at once (the calling thread is one
    /// of them), the results in index order. Every call ends before this returns; then the first error thrown,
    /// by index, is thrown.
    static func map<T>(count: Int, width: Int, _ body: (Int) throws -> T) throws -> [T] {
        let threads = min(width, count)
        guard threads > 1 else { return try (0..<count).map(body) }
        return try withoutActuallyEscaping(body) { body in
            let results = Results<T>(count: count)
            let next = Counter()
            let work = Work {
                while true {
                    let index = next.take()
                    guard index < count else { return }
                    results.set(index, Result { try body(index) })
                }
            }
            var started: [pthread_t] = []
            for _ in 1..<threads {
                var thread = pthread_t()
                let context = Unmanaged.passRetained(work).toOpaque()
                guard pthread_create(&thread, nil, { context in
                    Unmanaged<Work>.fromOpaque(context!).takeRetainedValue().run()
                    return nil
                }, context) == 0 else {
                    // No more threads: the ones started and this one do the rest.
                    Unmanaged<Work>.fromOpaque(context).release()
                    break
                }
                started.append(thread)
            }
            work.run()
            for thread in started { pthread_join(thread, nil) }
            return try results.all()
        }
    }

    /// The loop each thread runs.
    // @unchecked Sendable: `run` captures the caller's non-escaping body (made escaping for the threads), which
    // is safe because `map` joins every thread before it returns, and the libvirt objects the bodies use are
    // thread-safe (libvirt locks each connection and object internally).
    private final class Work: @unchecked Sendable {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// The next index to take, shared by the threads.
    private final class Counter: Sendable {
        private let value = Atomic<Int>(0)
        func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
    }

    /// One slot per index, each written by exactly one thread and read after every thread was joined.
    // @unchecked Sendable: the slots are written at distinct indices under `lock` and read only after the join.
    private final class Results<T>: @unchecked Sendable {
        private var slots: [Result<T, any Error>?]
        private let lock = Mutex(())
        init(count: Int) { slots = Array(repeating: nil, count: count) }
        func set(_ index: Int, _ result: Result<T, any Error>) { lock.withLock { _ in slots[index] = result } }
        func all() throws -> [T] { try slots.map { try $0!.get() } }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A `TaskExecutor` with one OS thread of its own, for work that blocks its thread.
///
/// Why: libvirt's calls block (an open over ssh, a read of a distant host), and Swift's global executor has one
/// thread per core. A fleet reads its contexts at once, so on a two-core machine eight hosts took turns two by
/// two: eight reads that each wait 300 ms took 1.2 s instead of 0.3 s. Each context's open and read run with a
/// preference for its own thread (`Task.detached(executorPreference:)`; `@concurrent` functions honour it), so
/// a slow host holds only its own thread and the fleet is as quick as its slowest context.
///
/// The thread ends once the executor is gone and its queue is empty. Whoever runs tasks on it keeps it alive
/// until they end (the fleet's reads capture the fleet, which holds its executors).
public final class DedicatedThreadExecutor: TaskExecutor {
    private let queue: JobQueue

    /// Nil when the system refuses another thread; the caller then runs on the global executor.
    public init?() {
        queue = JobQueue()
        queue.executor = asUnownedTaskExecutor()
        guard queue.startThread() else { return nil }
    }

    deinit { queue.close() }

    public func enqueue(_ job: consuming ExecutorJob) {
        queue.push(UnownedJob(job))
    }
}

/// The jobs waiting for one `DedicatedThreadExecutor`'s thread, and that thread's loop.
// @unchecked Sendable: every mutable field (`jobs`, `closed`) is read and written only with `mutex` held, and
// `executor` is written once, before the thread that reads it starts (pthread_create orders the two).
private final class JobQueue: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var jobs: [UnownedJob] = []
    private var closed = false
    var executor: UnownedTaskExecutor?

    init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    func push(_ job: UnownedJob) {
        pthread_mutex_lock(mutex)
        jobs.append(job)
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The thread runs what is queued, then ends.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_signal(condition)
        pthread_mutex_unlock(mutex)
    }

    /// The next job, waiting for one; nil once closed and empty.
    private func next() -> UnownedJob? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while jobs.isEmpty, !closed { pthread_cond_wait(condition, mutex) }
        return jobs.isEmpty ? nil : jobs.removeFirst()
    }

    fileprivate func startThread() -> Bool {
        // The thread holds the queue until its loop ends.
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            let queue = Unmanaged<JobQueue>.fromOpaque(context!).takeRetainedValue()
            while let job = queue.next() {
                job.runSynchronously(on: queue.executor!)
            }
            return nil
        }, context)
        guard started == 0 else {
            Unmanaged<JobQueue>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }
}

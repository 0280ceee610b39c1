import Glibc
import Synchronization

/// A Unix-socket relay to libvirtd that holds every chunk for `delay` before passing it on, each way: hosts at
/// a distance for `stacktop bench --fleet N --fleet-latency MS`, where the fleet's contexts reach libvirtd's
/// test driver (`test+unix:///node.xml?socket=RELAY`) as they would reach hosts over a network, and their
/// time goes in waiting rather than in this machine's two cores.
///
/// Threads: one accepts; each connection has, each way, one reading (stamping each chunk with when it may
/// go) and one writing (sleeping until then), so a chunk's wait never holds back the reading of the next.
final class BenchDelayRelay: Sendable {
    let path: String
    private let listener: Int32
    private let delayNanoseconds: UInt64

    /// Listens at `path` and connects each client to `target`. Throws a sentence when it cannot listen.
    init(path: String, target: String, delayMilliseconds: Int) throws {
        self.path = path
        delayNanoseconds = UInt64(delayMilliseconds) * 1_000_000
        unlink(path)
        let listening = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        listener = listening
        guard listening >= 0, Self.withAddress(path, { bind(listening, $0, $1) }) == 0, listen(listening, 64) == 0 else {
            throw BenchDelayRelay.Failure(description: "The bench could not listen at \(path) for its delaying relay ("
                                          + String(cString: strerror(errno)) + ").")
        }
        let listener = self.listener, delay = delayNanoseconds
        Self.thread {
            while true {
                let client = accept(listener, nil, nil)
                if client < 0 { if errno == EINTR { continue } else { return } }
                let server = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
                guard server >= 0, Self.withAddress(target, { connect(server, $0, $1) }) == 0 else {
                    close(client); if server >= 0 { close(server) }
                    continue
                }
                // Four threads use the two ends; the last of them to finish closes both.
                let ends = ConnectionEnds(client, server, users: 4)
                Self.pump(from: client, to: server, delay: delay, done: ends.release)
                Self.pump(from: server, to: client, delay: delay, done: ends.release)
            }
        }
    }

    /// Stops accepting; connections already made end when their ends close.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// One direction of a connection: what `source` sends reaches `sink` `delay` later; the end of one closes
    /// the other's writing side.
    private static func pump(from source: Int32, to sink: Int32, delay: UInt64, done: @escaping @Sendable () -> Void) {
        let queue = DelayedChunks()
        thread {
            defer { done() }
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(source, &buffer, buffer.count)
                if count < 0, errno == EINTR { continue }
                let due = monotonicNanoseconds() + delay
                queue.push(count > 0 ? Array(buffer[0..<count]) : nil, due: due)
                if count <= 0 { return }
            }
        }
        thread {
            defer { done() }
            while true {
                let (chunk, due) = queue.pop()
                let now = monotonicNanoseconds()
                if due > now {
                    var wait = timespec(tv_sec: Int(due - now) / 1_000_000_000, tv_nsec: Int(due - now) % 1_000_000_000)
                    var left = timespec()
                    while nanosleep(&wait, &left) != 0, errno == EINTR { wait = left }
                }
                guard let chunk else { break }
                var sent = 0
                while sent < chunk.count {
                    let written = chunk[sent...].withUnsafeBytes { send(sink, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    if written < 0, errno == EINTR { continue }
                    guard written > 0 else { shutdown(source, Int32(SHUT_RD)); return }
                    sent += written
                }
            }
            // The other side's reader may still be in read(): only this direction's writing ends here.
            shutdown(sink, Int32(SHUT_WR))
        }
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { errno = ENAMETOOLONG; return -1 }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes + [0]) }
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
    }

    /// A detached thread running `body`.
    private static func thread(_ body: @escaping @Sendable () -> Void) {
        final class Box: Sendable { let body: @Sendable () -> Void; init(_ body: @escaping @Sendable () -> Void) { self.body = body } }
        let context = Unmanaged.passRetained(Box(body)).toOpaque()
        var handle = pthread_t()
        if pthread_create(&handle, nil, { context in
            Unmanaged<Box>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context) == 0 {
            pthread_detach(handle)
        } else {
            Unmanaged<Box>.fromOpaque(context).release()
        }
    }
}

/// Chunks read and not yet due, in order; nil is the end of the stream.
private final class DelayedChunks: Sendable {
    private let chunks = Mutex<[(chunk: [UInt8]?, due: UInt64)]>([])
    private let available = DispatchSemaphoreLite()

    func push(_ chunk: [UInt8]?, due: UInt64) {
        chunks.withLock { $0.append((chunk, due)) }
        available.signal()
    }

    /// The next chunk (nil: the end), waiting for one.
    func pop() -> (chunk: [UInt8]?, due: UInt64) {
        available.wait()
        return chunks.withLock { $0.removeFirst() }
    }
}

/// The two sockets of one relayed connection, closed once every thread using them has finished.
private final class ConnectionEnds: Sendable {
    private let client: Int32, server: Int32
    private let users: Mutex<Int>
    init(_ client: Int32, _ server: Int32, users: Int) {
        self.client = client; self.server = server; self.users = Mutex(users)
    }
    func release() {
        guard users.withLock({ $0 -= 1; return $0 == 0 }) else { return }
        close(client)
        close(server)
    }
}

import Glibc
import Synchronization

/// A connected, non-blocking byte stream: a TCP socket, or TLS over one. Reads and writes may come from
/// different threads (the console's reader and the keyboard); each stream keeps that safe itself.
protocol ByteStream: Sendable {
    /// The socket, for poll(2).
    var descriptor: Int32 { get }
    /// Bytes read into `buffer` (> 0), 0 at the end of the stream, nil when nothing is there yet.
    func read(into buffer: inout [UInt8]) throws(WebSocketError) -> Int?
    /// Writes everything before `deadline`.
    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(WebSocketError)
    /// Shuts the socket down both ways: a reader waiting in poll wakes and sees the end.
    func shutdown()
}

/// The socket's descriptor, closed once when the last owner lets go (never while another thread polls it).
final class SocketHandle: Sendable {
    let descriptor: Int32
    init(_ descriptor: Int32) { self.descriptor = descriptor }
    deinit { Glibc.close(descriptor) }
    func shutdown() { _ = Glibc.shutdown(descriptor, Int32(SHUT_RDWR)) }
}

enum Poll {
    /// Waits for `events` on `fd` until `deadline`; false when the time ran out.
    static func wait(_ fd: Int32, _ events: Int32, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            let left = ContinuousClock.now.duration(to: deadline)
            guard left > .zero else { return false }
            let milliseconds = Int32(min(left.components.seconds * 1000 + left.components.attoseconds / 1_000_000_000_000_000 + 1,
                                         60_000))
            var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&descriptor, 1, milliseconds)
            if ready > 0 { return true }
            if ready < 0 && errno != EINTR { return true }  // the next read or write says what is wrong
        }
    }

    static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// TCP, connected within `deadline`, non-blocking, Nagle off (keystrokes go out at once).
enum TCPConnect {
    static func open(host: String, port: Int, deadline: ContinuousClock.Instant, endpoint: String)
        throws(WebSocketError) -> SocketHandle {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw .connectFailed(endpoint: endpoint, reason: "the name \(WebSocketError.shown(host)) could not be resolved ("
                                 + String(cString: gai_strerror(status)) + ")")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address to try"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let current = entry {
            entry = current.pointee.ai_next
            let fd = socket(current.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue)
                            | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = Poll.errorText(errno); continue }
            let handle = SocketHandle(fd)
            if connect(fd, current.pointee.ai_addr, current.pointee.ai_addrlen) != 0 {
                guard errno == EINPROGRESS else { lastError = Poll.errorText(errno); continue }
                guard Poll.wait(fd, Int32(POLLOUT), until: deadline) else {
                    throw .timedOut(endpoint: endpoint, while: "connecting")
                }
                var code: Int32 = 0
                var size = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &size)
                guard code == 0 else { lastError = Poll.errorText(code); continue }
            }
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            return handle
        }
        throw .connectFailed(endpoint: endpoint, reason: lastError)
    }
}

/// ws://: the socket itself. Writes are whole under a lock, so frames from two threads never interleave.
final class PlainStream: ByteStream {
    private let socket: SocketHandle
    private let writing = Mutex(())
    init(_ socket: SocketHandle) { self.socket = socket }

    var descriptor: Int32 { socket.descriptor }

    func read(into buffer: inout [UInt8]) throws(WebSocketError) -> Int? {
        let count = buffer.count
        let got = buffer.withUnsafeMutableBytes { recv(socket.descriptor, $0.baseAddress, count, 0) }
        if got >= 0 { return got }
        if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return nil }
        throw .io("reading failed (\(Poll.errorText(errno)))")
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(WebSocketError) {
        try writing.withLock { _ throws(WebSocketError) in
            var offset = 0
            while offset < bytes.count {
                // MSG_NOSIGNAL: a connection the proxy dropped fails this write rather than killing stacktop.
                let sent = bytes.withUnsafeBytes {
                    send(socket.descriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                }
                if sent > 0 { offset += sent; continue }
                if sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) {
                    guard Poll.wait(socket.descriptor, Int32(POLLOUT), until: deadline) else {
                        throw .io("the proxy stopped taking input")
                    }
                    continue
                }
                throw .io("writing failed (\(Poll.errorText(errno)))")
            }
        }
    }

    func shutdown() { socket.shutdown() }
}

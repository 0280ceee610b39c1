import Foundation
import Glibc
import StacktopServices

/// Sends `http://` requests over a blocking socket on a short-lived thread, one connection per
/// request; anything else goes to `secure` (URLSession). swift-corelibs-foundation's URLSession
/// busy-waits while an answer is pending (about 5,000 epoll/futex/eventfd calls a second, measured
/// here), and on a two-core machine that CPU is taken from the cloud answering; a blocking read
/// costs nothing while it waits. TLS stays with URLSession, so only plain-HTTP clouds gain.
public final class PlainHTTPTransport: HTTPTransport {
    let secure: any HTTPTransport

    public init(secure: any HTTPTransport) { self.secure = secure }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard request.url.scheme?.lowercased() == "http" else { return try await secure.send(request) }
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try HTTPExchange(request: request).run() }) }
            thread.start()
        }
    }
}

/// One request and its answer on one connection (`Connection: close`, read to the end).
///
/// One deadline for the whole exchange (connect, request, headers, body): a server that trickles one
/// byte a second cannot hold a read for ever, as a per-read timeout would let it. Answers larger than
/// `maximumBodyBytes` are cut off with a sentence rather than read into memory without end.
struct HTTPExchange {
    let request: HTTPRequest
    let deadline: ContinuousClock.Instant
    static let maximumBodyBytes = 256 << 20

    init(request: HTTPRequest) {
        self.request = request
        deadline = .now + .milliseconds(Int64(max(0.001, request.timeout) * 1000))
    }

    /// Milliseconds left before the deadline, for poll(2); 0 once it has passed.
    private func millisecondsLeft() -> Int32 {
        let left = ContinuousClock.now.duration(to: deadline)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }

    /// Waits until `fd` is ready for `events` or the deadline passes.
    private func waitReady(_ fd: Int32, events: Int16) throws {
        while true {
            let left = millisecondsLeft()
            guard left > 0 else { throw unreachable(timeoutReason) }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, left)
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw unreachable("the connection was lost") }
        }
    }

    private var timeoutReason: String {
        "no complete answer within \(Int(request.timeout.rounded())) s (the limit for one request; set api_timeout in clouds.yaml or --timeout to change it)"
    }

    func run() throws -> HTTPResponse {
        let url = request.url
        guard let host = url.host else { throw unreachable("the URL has no host") }
        let socket = try connect(host: host, port: url.port ?? 80)
        defer { close(socket) }
        try writeAll(socket, Array(head(host: host, port: url.port).utf8) + Array(request.body ?? Data()))
        return try Self.parse(readAll(socket), url: url)
    }

    private func head(host: String, port: Int?) -> String {
        let components = URLComponents(url: request.url, resolvingAgainstBaseURL: false)
        var target = components?.percentEncodedPath ?? "/"
        if target.isEmpty { target = "/" }
        if let query = components?.percentEncodedQuery { target += "?" + query }
        var lines = ["\(request.method.rawValue) \(target) HTTP/1.1", "Host: \(host)" + (port.map { ":\($0)" } ?? ""),
                     "Connection: close"]
        let skipped: Set<String> = ["host", "connection", "content-length"]
        for (name, value) in request.headers.sorted(by: { $0.key < $1.key }) where !skipped.contains(name.lowercased()) {
            lines.append("\(name): \(value)")
        }
        if request.body != nil || [.post, .put, .patch].contains(request.method) {
            lines.append("Content-Length: \(request.body?.count ?? 0)")
        }
        return lines.joined(separator: "\r\n") + "\r\n\r\n"
    }

    private func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw unreachable("the host name could not be resolved")
        }
        defer { freeaddrinfo(list) }
        var reason = "the connection was refused"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            let fd = socket(address.pointee.ai_family, address.pointee.ai_socktype, address.pointee.ai_protocol)
            guard fd >= 0 else { continue }
            // On Linux the send timeout also bounds connect(); reads and writes poll against the deadline.
            let left = Double(millisecondsLeft()) / 1000
            guard left > 0 else { close(fd); throw unreachable(timeoutReason) }
            var limit = timeval(tv_sec: Int(left), tv_usec: Int(left.truncatingRemainder(dividingBy: 1) * 1e6))
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
            var one: Int32 = 1
            setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            if Glibc.connect(fd, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 { return fd }
            reason = errno == EINPROGRESS || errno == EAGAIN ? timeoutReason : "the connection was refused"
            close(fd)
        }
        throw unreachable(reason)
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            try waitReady(fd, events: Int16(POLLOUT))
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw unreachable("the connection was lost")
            }
            offset += written
        }
    }

    private func readAll(_ fd: Int32) throws -> [UInt8] {
        var result: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            try waitReady(fd, events: Int16(POLLIN))
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count == 0 { return result }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw unreachable("the connection was lost")
            }
            result.append(contentsOf: buffer[0..<count])
            guard result.count <= Self.maximumBodyBytes else {
                throw unreachable("the answer was larger than \(Self.maximumBodyBytes >> 20) MiB, far more than any list needs")
            }
        }
    }

    private func unreachable(_ reason: String) -> BackendError {
        .unreachable(endpoint: endpointText(request.url), reason: reason)
    }

    /// Status line, headers (repeated names joined with ", ") and the body, de-chunked when chunked.
    static func parse(_ bytes: [UInt8], url: URL) throws -> HTTPResponse {
        let separator: [UInt8] = [13, 10, 13, 10]
        var start = 0
        while true {
            guard let end = firstRange(of: separator, in: bytes, from: start) else {
                throw BackendError.unreachable(endpoint: endpointText(url), reason: "the answer was not HTTP")
            }
            let lines = String(decoding: bytes[start..<end], as: UTF8.self).components(separatedBy: "\r\n")
            let statusParts = lines.first?.split(separator: " ") ?? []
            guard statusParts.count >= 2, statusParts[0].hasPrefix("HTTP/"), let status = Int(statusParts[1]) else {
                throw BackendError.unreachable(endpoint: endpointText(url), reason: "the answer was not HTTP")
            }
            start = end + 4
            if status == 100 { continue }  // an interim answer; the real one follows
            var headers: [String: String] = [:]
            for line in lines.dropFirst() {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                headers[name] = headers[name].map { $0 + ", " + value } ?? value
            }
            var body = Array(bytes[start...])
            if headers.value(forCaseInsensitiveKey: "Transfer-Encoding")?.lowercased().contains("chunked") == true {
                body = dechunk(body)
            } else if let length = headers.value(forCaseInsensitiveKey: "Content-Length").flatMap(Int.init),
                      length < body.count {
                body = Array(body.prefix(length))
            }
            return HTTPResponse(status: status, headers: headers, body: Data(body))
        }
    }

    static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var result: [UInt8] = []
        var index = 0
        while let lineEnd = firstRange(of: [13, 10], in: bytes, from: index) {
            let sizeText = String(decoding: bytes[index..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let chunkStart = lineEnd + 2
            let chunkEnd = min(chunkStart + size, bytes.count)
            result.append(contentsOf: bytes[chunkStart..<chunkEnd])
            index = chunkEnd + 2
        }
        return result
    }

    static func firstRange(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        var index = start
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && Array(bytes[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }
}

import COpenSSL
import Foundation
import Glibc
import WebSocketClient

/// Test code only (no product links it). A websocket server on 127.0.0.1 for one connection, written with POSIX sockets: `script` runs on its
/// own thread with the accepted client and does whatever the test needs (a right handshake, a wrong one,
/// frames of any shape).
public final class LoopbackWebSocketServer: Sendable {
    public let port: Int
    private let listener: Int32
    private let done = NSCondition()
    private nonisolated(unsafe) var finished = false  // guarded by `done`

    /// `tls`: a PEM certificate and key file to speak TLS with (wss://); plain otherwise.
    public init(tls: (certificate: String, key: String)? = nil, script: @escaping @Sendable (LoopbackClient) throws -> Void) throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, size) == 0 && getsockname(listener, $0, &size) == 0 }
        }
        guard bound, listen(listener, 1) == 0 else { throw POSIXError(.EADDRINUSE) }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread { [self] in
            let fd = accept(listener, nil, nil)
            if fd >= 0, let client = LoopbackClient(fd: fd, tls: tls) {
                try? script(client)
                client.close()
            }
            done.lock(); finished = true; done.broadcast(); done.unlock()
        }
    }

    /// Waits (at most 10 s) for the script to end.
    public func wait() {
        done.lock()
        let limit = Date(timeIntervalSinceNow: 10)
        while !finished && done.wait(until: limit) {}
        done.unlock()
    }

    deinit { Glibc.close(listener) }

    public var url: String { "ws://127.0.0.1:\(port)/?token=abc" }
}

/// The server's side of one connection.
public final class LoopbackClient: @unchecked Sendable {  // used by the server thread alone
    public let fd: Int32
    private var parser = WebSocketFrameParser(expectMasked: true)
    private let ssl: OpaquePointer?

    /// Nil when the TLS handshake failed (the client refused the certificate).
    init?(fd: Int32, tls: (certificate: String, key: String)?) {
        self.fd = fd
        guard let tls else { ssl = nil; return }
        let context = SSL_CTX_new(TLS_server_method())
        SSL_CTX_use_certificate_file(context, tls.certificate, SSL_FILETYPE_PEM)
        SSL_CTX_use_PrivateKey_file(context, tls.key, SSL_FILETYPE_PEM)
        ssl = SSL_new(context)
        SSL_CTX_free(context)  // the SSL object keeps its own reference
        SSL_set_fd(ssl, fd)
        guard SSL_accept(ssl) == 1 else { SSL_free(ssl); Glibc.close(fd); return nil }
    }

    func close() {
        if let ssl { SSL_shutdown(ssl); SSL_free(ssl) }
        Glibc.close(fd)
    }

    private func receive(_ buffer: inout [UInt8], count: Int) -> Int {
        buffer.withUnsafeMutableBytes { bytes in
            if let ssl { return Int(SSL_read(ssl, bytes.baseAddress, Int32(count))) }
            return recv(fd, bytes.baseAddress, count, 0)
        }
    }

    public func readHead() -> String {
        var head: [UInt8] = []
        var byte: [UInt8] = [0]
        while WebSocketHandshake.headEnd(in: head) == nil, receive(&byte, count: 1) == 1 { head.append(byte[0]) }
        return String(decoding: head, as: UTF8.self)
    }

    /// The request's Sec-WebSocket-Key.
    public static func key(in head: String) -> String {
        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { String($0.dropFirst("sec-websocket-key:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// Reads the request and answers 101 with the right accept value (or `accept` when given).
    @discardableResult
    public func handshake(accept: String? = nil, extra: String = "Sec-WebSocket-Protocol: binary\r\n") -> String {
        let head = readHead()
        let value = accept ?? WebSocketHandshake.acceptValue(for: Self.key(in: head))
        write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: \(value)\r\n\(extra)\r\n")
        return head
    }

    public func write(_ text: String) { write(Array(text.utf8)) }

    public func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { raw in
                if let ssl { return Int(SSL_write(ssl, raw.baseAddress! + offset, Int32(bytes.count - offset))) }
                return Glibc.send(fd, raw.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
            }
            if sent <= 0 { return }
            offset += sent
        }
    }

    public func send(_ frame: WebSocketFrame) { write(frame.encoded(mask: nil)) }

    /// The next frame from the client (which must be masked), nil at the end of the stream.
    public func readFrame() throws -> WebSocketFrame? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try parser.next() { return frame }
            let got = receive(&buffer, count: buffer.count)
            if got <= 0 { return nil }
            parser.append(buffer[..<got])
        }
    }
}

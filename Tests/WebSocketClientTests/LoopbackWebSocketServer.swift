import Foundation
import Glibc
@testable import WebSocketClient

/// A websocket server on 127.0.0.1 for one connection, written with POSIX sockets: `script` runs on its
/// own thread with the accepted client and does whatever the test needs (a right handshake, a wrong one,
/// frames of any shape).
final class LoopbackWebSocketServer: Sendable {
    let port: Int
    private let listener: Int32
    private let done = NSCondition()
    private nonisolated(unsafe) var finished = false  // guarded by `done`

    init(script: @escaping @Sendable (LoopbackClient) throws -> Void) throws {
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
            if fd >= 0 {
                let client = LoopbackClient(fd: fd)
                try? script(client)
                client.close()
            }
            done.lock(); finished = true; done.broadcast(); done.unlock()
        }
    }

    /// Waits (at most 10 s) for the script to end.
    func wait() {
        done.lock()
        let limit = Date(timeIntervalSinceNow: 10)
        while !finished && done.wait(until: limit) {}
        done.unlock()
    }

    deinit { Glibc.close(listener) }

    var url: String { "ws://127.0.0.1:\(port)/?token=abc" }
}

/// The server's side of one connection.
final class LoopbackClient: @unchecked Sendable {  // used by the server thread alone
    let fd: Int32
    private var parser = WebSocketFrameParser(expectMasked: true)
    private var pending: [UInt8] = []
    init(fd: Int32) { self.fd = fd }

    func close() { Glibc.close(fd) }

    func readHead() -> String {
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while WebSocketHandshake.headEnd(in: head) == nil, recv(fd, &byte, 1, 0) == 1 { head.append(byte) }
        return String(decoding: head, as: UTF8.self)
    }

    /// The request's Sec-WebSocket-Key.
    static func key(in head: String) -> String {
        head.split(separator: "\r\n").first { $0.lowercased().hasPrefix("sec-websocket-key:") }
            .map { String($0.dropFirst("sec-websocket-key:".count)).trimmingCharacters(in: .whitespaces) } ?? ""
    }

    /// Reads the request and answers 101 with the right accept value (or `accept` when given).
    @discardableResult
    func handshake(accept: String? = nil, extra: String = "Sec-WebSocket-Protocol: binary\r\n") -> String {
        let head = readHead()
        let value = accept ?? WebSocketHandshake.acceptValue(for: Self.key(in: head))
        write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              + "Sec-WebSocket-Accept: \(value)\r\n\(extra)\r\n")
        return head
    }

    func write(_ text: String) { write(Array(text.utf8)) }

    func write(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }
            offset += sent
        }
    }

    func send(_ frame: WebSocketFrame) { write(frame.encoded(mask: nil)) }

    /// The next frame from the client (which must be masked), nil at the end of the stream.
    func readFrame() throws -> WebSocketFrame? {
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            if let frame = try parser.next() { return frame }
            let got = recv(fd, &buffer, buffer.count, 0)
            if got <= 0 { return nil }
            parser.append(buffer[..<got])
        }
    }
}

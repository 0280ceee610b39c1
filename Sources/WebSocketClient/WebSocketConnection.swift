import Glibc
import Synchronization

/// An RFC 6455 client connection: opened with `connect`, read by one thread with `receive` (which answers
/// pings and the close handshake itself), written by any thread with `send`.
public final class WebSocketConnection: Sendable {
    /// What `receive` hands back.
    public enum Incoming: Sendable, Equatable {
        case data([UInt8])
        /// The server closed with a close frame (answered); `code` is nil when it gave none.
        case closed(code: UInt16?, reason: String)
        /// The connection ended without a close frame (the proxy dropped it, or `close` was called).
        case ended
    }

    public let url: WebSocketURL
    /// The subprotocol the server agreed to, if any.
    public let subprotocol: String?
    private let stream: any ByteStream
    private let reading: Mutex<ReaderState>
    private let closing = Mutex<ContinuousClock.Instant?>(nil)
    /// How long a write may wait for the socket to take bytes.
    private let writeTimeout: Duration

    private struct ReaderState {
        var parser: WebSocketFrameParser
        var assembler: WebSocketMessageAssembler
        var finished = false
    }

    /// Connects, agrees on TLS for wss://, and does the opening handshake, all within `timeout`.
    /// `bytesAfterHead` are bytes the server sent right behind its handshake (the first frames).
    public static func connect(to urlText: String, subprotocol: String? = "binary", tls: WebSocketTLS = WebSocketTLS(),
                               timeout: Duration = .seconds(10), maxPayload: Int = 1 << 20) throws(WebSocketError)
        -> WebSocketConnection {
        let url = try WebSocketURL(urlText)
        let deadline = ContinuousClock.now + timeout
        let socket = try TCPConnect.open(host: url.host, port: url.port, deadline: deadline, endpoint: url.endpoint)
        let stream: any ByteStream = url.secure
            ? try TLSStream(socket: socket, host: url.host, tls: tls, deadline: deadline, endpoint: url.endpoint)
            : PlainStream(socket)
        let key = WebSocketHandshake.makeKey()
        try stream.write(WebSocketHandshake.request(url: url, key: key, subprotocol: subprotocol), deadline: deadline)
        var head: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while WebSocketHandshake.headEnd(in: head) == nil {
            guard head.count <= WebSocketHandshake.maxHeadBytes else {
                throw .badHandshake(endpoint: url.endpoint, reason: "its answer's headers are over \(WebSocketHandshake.maxHeadBytes) bytes")
            }
            guard let got = try stream.read(into: &buffer) else {
                guard Poll.wait(stream.descriptor, Int32(POLLIN), until: deadline) else {
                    throw .timedOut(endpoint: url.endpoint, while: "waiting for the websocket handshake's answer")
                }
                continue
            }
            guard got > 0 else {
                throw .badHandshake(endpoint: url.endpoint, reason: "it closed the connection before answering")
            }
            head += buffer[..<got]
        }
        let end = WebSocketHandshake.headEnd(in: head)!
        let chosen = try WebSocketHandshake.validate(head: Array(head[..<end]), key: key, subprotocol: subprotocol,
                                                     endpoint: url.endpoint)
        var parser = WebSocketFrameParser(maxPayload: maxPayload)
        parser.append(head[end...])
        return WebSocketConnection(url: url, subprotocol: chosen, stream: stream, parser: parser, writeTimeout: timeout)
    }

    private init(url: WebSocketURL, subprotocol: String?, stream: any ByteStream, parser: WebSocketFrameParser,
                 writeTimeout: Duration) {
        self.url = url; self.subprotocol = subprotocol; self.stream = stream; self.writeTimeout = writeTimeout
        reading = Mutex(ReaderState(parser: parser, assembler: WebSocketMessageAssembler(maxMessage: 4 * parser.maxPayload)))
    }

    /// Sends `bytes` as one masked binary frame.
    public func send(_ bytes: [UInt8]) throws(WebSocketError) {
        guard closing.withLock({ $0 }) == nil else { throw .closed }
        try write(WebSocketFrame(opcode: .binary, payload: bytes))
    }

    private func write(_ frame: WebSocketFrame) throws(WebSocketError) {
        var generator = SystemRandomNumberGenerator()
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255, using: &generator) }
        try stream.write(frame.encoded(mask: mask), deadline: .now + writeTimeout)
    }

    /// Blocks until the next message, the close handshake or the end of the connection. One thread reads.
    public func receive() throws(WebSocketError) -> Incoming {
        var buffer = [UInt8](repeating: 0, count: 16384)
        while true {
            // Nothing counts after the close handshake or the end, whatever else the server sent.
            if reading.withLock({ $0.finished }) { return .ended }
            if let event = try nextEvent() {
                switch event {
                case .message(let bytes, _):
                    return .data(bytes)
                case .ping(let payload):
                    try? write(WebSocketFrame(opcode: .pong, payload: payload))
                case .pong:
                    continue
                case .close(let code, let reason):
                    // The close handshake: answered with the same code (none if none was given), then the socket is done.
                    let alreadyClosing = closing.withLock { value in defer { if value == nil { value = .now } }; return value != nil }
                    if !alreadyClosing {
                        try? write(WebSocketFrame(opcode: .close, payload: code.map { WebSocketFrame.closePayload(code: $0) } ?? []))
                    }
                    reading.withLock { $0.finished = true }
                    stream.shutdown()
                    return .closed(code: code, reason: reason)
                }
                continue
            }
            guard let got = try stream.read(into: &buffer) else {
                // Waits in slices, so a close this side started ends after at most two seconds without an answer.
                if let since = closing.withLock({ $0 }), since.duration(to: .now) > .seconds(2) {
                    stream.shutdown()
                    reading.withLock { $0.finished = true }
                    return .ended
                }
                _ = Poll.wait(stream.descriptor, Int32(POLLIN), until: .now + .milliseconds(250))
                continue
            }
            if got == 0 {
                reading.withLock { $0.finished = true }
                return .ended
            }
            reading.withLock { $0.parser.append(buffer[..<got]) }
        }
    }

    private func nextEvent() throws(WebSocketError) -> WebSocketEvent? {
        try reading.withLock { state throws(WebSocketError) -> WebSocketEvent? in
            while let frame = try state.parser.next() {
                if let event = try state.assembler.take(frame) { return event }
            }
            return nil
        }
    }

    /// Starts the close handshake (code 1000) and lets `receive` finish it: it returns once the server
    /// answers, or after two seconds without an answer. Idempotent.
    public func close() {
        let first = closing.withLock { value in defer { if value == nil { value = .now } }; return value == nil }
        guard first else { return }
        do {
            try write(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: 1000)))
        } catch {
            stream.shutdown()
        }
    }

    /// Drops the connection at once, without the close handshake; a `receive` waiting returns `.ended`.
    public func abort() {
        closing.withLock { if $0 == nil { $0 = .now } }
        stream.shutdown()
    }
}

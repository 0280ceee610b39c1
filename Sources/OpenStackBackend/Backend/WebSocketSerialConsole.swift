import Foundation
import Glibc
import Synchronization
import StacktopServices
import WebSocketClient

/// Nova's serial console through its serial proxy, in the shape the console pump polls: a reader thread
/// takes the websocket's messages and writes their bytes into a socket pair whose other end is
/// `outputDescriptor`; keystrokes go out as masked binary frames.
final class WebSocketSerialConsole: SerialConsoleSession {
    let outputDescriptor: Int32
    let notice: String?
    private let connection: WebSocketConnection
    private let forward: ForwardPump
    private let closed = Mutex(false)
    private let name: String

    /// `connection` is open (the handshake done); the reader starts at once.
    init(connection: WebSocketConnection, name: String, notice: String?) throws {
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            let reason = String(cString: strerror(errno))
            connection.abort()
            throw BackendError.failed(what: "Opening the serial console of \(name)", reason: reason)
        }
        self.connection = connection
        self.name = name
        self.notice = notice
        outputDescriptor = pair[0]
        let forward = ForwardPump(writeDescriptor: pair[1], name: name)
        self.forward = forward
        Thread.detachNewThread { forward.run(connection) }
    }

    deinit { close() }

    var endReason: String? { forward.state.withLock { $0.reason } }
    var failure: String? { forward.state.withLock { $0.failure } }

    func send(_ bytes: [UInt8]) throws {
        do {
            try connection.send(bytes)
        } catch {
            throw BackendError.failed(what: "Typing into the serial console of \(name)", reason: error.description.droppingStop)
        }
    }

    /// Starts the close handshake (the reader finishes it, or gives up after two seconds) and closes our end.
    func close() {
        let already = closed.withLock { value -> Bool in defer { value = true }; return value }
        guard !already else { return }
        forward.state.withLock { $0.leaving = true }
        connection.close()
        Glibc.close(outputDescriptor)
    }
}

/// The reader thread's side: the writing end of the pair, and how the console ended.
private final class ForwardPump: Sendable {
    struct State {
        /// Why the stream ended, for the generic "closed while the guest kept running" sentence.
        var reason: String?
        /// A whole sentence that replaces it (the port was busy, the proxy broke the protocol).
        var failure: String?
        /// This side closed the console: its end is no sign of a busy port.
        var leaving = false
    }
    let state = Mutex(State())
    private let writeDescriptor: Int32
    private let name: String

    init(writeDescriptor: Int32, name: String) { self.writeDescriptor = writeDescriptor; self.name = name }

    deinit { Glibc.close(writeDescriptor) }

    func run(_ connection: WebSocketConnection) {
        let opened = ContinuousClock.now
        var received = 0
        defer { shutdown(writeDescriptor, Int32(SHUT_WR)) }
        do {
            while true {
                switch try connection.receive() {
                case .data(let bytes):
                    received += bytes.count
                    guard forward(bytes) else { connection.abort(); return }
                case .closed(let code, let reason):
                    if droppedAtOnce(received: received, since: opened) { return busy() }
                    let said = reason.isEmpty ? code.map { "close code \($0)" } : "\"\(TextShown.line(reason))\""
                    state.withLock { $0.reason = said.map { "Nova's serial proxy closed it: \($0)" } }
                    return
                case .ended:
                    // The proxy drops the websocket at once when it cannot reach the guest's serial port.
                    if droppedAtOnce(received: received, since: opened) { return busy() }
                    state.withLock { $0.reason = "Nova's serial proxy dropped the connection" }
                    return
                }
            }
        } catch {
            connection.abort()
            state.withLock { $0.failure = "The serial console of \(name) broke off: \(error.description)" }
        }
    }

    /// Nova's proxy ended the console within two seconds without a byte, and not because this side left.
    private func droppedAtOnce(received: Int, since opened: ContinuousClock.Instant) -> Bool {
        received == 0 && opened.duration(to: .now) < .seconds(2) && !state.withLock { $0.leaving }
    }

    private func busy() {
        state.withLock {
            $0.failure = "Nova's serial proxy closed the serial console of \(name) at once: a serial port takes one "
                + "user, so another session most likely holds it (or the proxy cannot reach the compute host); "
                + "close the other session and open it again."
        }
    }

    /// Blocking send into the pair (the pump drains it); false once our end is closed (MSG_NOSIGNAL: no SIGPIPE).
    private func forward(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { Glibc.send(writeDescriptor, $0.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }
}

/// A close reason from the proxy, as one short visible line.
enum TextShown {
    static func line(_ text: String) -> String {
        let visible = ErrorText.visible(text)
        return visible.count > 120 ? String(visible.prefix(120)) + "…" : visible
    }
}

extension String {
    var droppingStop: String { hasSuffix(".") ? String(dropLast()) : self }
}

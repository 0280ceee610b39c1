import Foundation
import Glibc
import XCTest
@testable import WebSocketClient
import WebSocketTestSupport

/// The client against a loopback server written in the test: the handshake, data both ways, pings, large
/// frames and the close handshake, and refusals of a server that gets them wrong.
final class WebSocketConnectionTests: XCTestCase {
    func testBytesGoBothWaysAndPingsAreAnswered() throws {
        let seen = Seen()
        let server = try LoopbackWebSocketServer { client in
            seen.set("head", client.handshake())
            client.send(WebSocketFrame(opcode: .binary, payload: Array("login: ".utf8)))
            guard let typed = try client.readFrame() else { return }
            seen.set("typed", "\(typed.opcode) masked-ok \(String(decoding: typed.payload, as: UTF8.self))")
            client.send(WebSocketFrame(opcode: .ping, payload: [9, 8]))
            if let pong = try client.readFrame() { seen.set("pong", "\(pong.opcode) \(pong.payload)") }
            // A text message in three fragments, a 70 KB binary frame (64-bit length), then the close handshake.
            client.send(WebSocketFrame(fin: false, opcode: .text, payload: Array("a".utf8)))
            client.send(WebSocketFrame(fin: false, opcode: .continuation, payload: Array("b".utf8)))
            client.send(WebSocketFrame(opcode: .continuation, payload: Array("c".utf8)))
            client.send(WebSocketFrame(opcode: .binary, payload: Array(repeating: 0x41, count: 70_000)))
            client.send(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: 1000, reason: "done")))
            client.send(WebSocketFrame(opcode: .binary, payload: Array("after the close".utf8)))   // ignored
            if let answer = try client.readFrame() { seen.set("close", "\(answer.opcode) \(answer.payload)") }
        }
        let connection = try WebSocketConnection.connect(to: server.url)
        XCTAssertEqual(connection.subprotocol, "binary")
        XCTAssertEqual(try connection.receive(), .data(Array("login: ".utf8)))
        try connection.send(Array("root\r".utf8))
        XCTAssertEqual(try connection.receive(), .data(Array("abc".utf8)))
        XCTAssertEqual(try connection.receive(), .data(Array(repeating: 0x41, count: 70_000)))
        XCTAssertEqual(try connection.receive(), .closed(code: 1000, reason: "done"))
        XCTAssertEqual(try connection.receive(), .ended)
        server.wait()
        let head = seen.get("head") ?? ""
        XCTAssertTrue(head.hasPrefix("GET /?token=abc HTTP/1.1\r\n"), head)
        XCTAssertTrue(head.contains("\r\nSec-WebSocket-Protocol: binary\r\n"), head)
        XCTAssertEqual(seen.get("typed"), "binary masked-ok root\r")
        XCTAssertEqual(seen.get("pong"), "pong [9, 8]")
        XCTAssertEqual(seen.get("close"), "close [3, 232]")
        XCTAssertThrowsError(try connection.send([1])) { XCTAssertEqual($0 as? WebSocketError, .closed) }
    }

    func testClosingSendsACloseFrameAndEndsWhenTheServerAnswers() throws {
        let seen = Seen()
        let server = try LoopbackWebSocketServer { client in
            client.handshake()
            guard let close = try client.readFrame() else { return }
            seen.set("close", "\(close.opcode) \(close.payload)")
            client.send(WebSocketFrame(opcode: .close, payload: close.payload))
        }
        let connection = try WebSocketConnection.connect(to: server.url)
        connection.close()
        XCTAssertEqual(try connection.receive(), .closed(code: 1000, reason: ""))
        server.wait()
        XCTAssertEqual(seen.get("close"), "close [3, 232]")
    }

    func testAWrongAcceptValueIsRefused() throws {
        let server = try LoopbackWebSocketServer { $0.handshake(accept: "AAAAAAAAAAAAAAAAAAAAAAAAAAA=") }
        XCTAssertThrowsError(try WebSocketConnection.connect(to: server.url)) {
            XCTAssertEqual(($0 as? WebSocketError)?.description.contains("Sec-WebSocket-Accept does not match"), true, "\($0)")
        }
        server.wait()
    }

    func testAnEndlessHeaderIsRefusedAtItsBound() throws {
        let server = try LoopbackWebSocketServer { client in
            _ = client.readHead()
            client.write("HTTP/1.1 101 Switching Protocols\r\nX: " + String(repeating: "x", count: 40_000))
            usleep(200_000)
        }
        XCTAssertThrowsError(try WebSocketConnection.connect(to: server.url)) {
            XCTAssertEqual(($0 as? WebSocketError)?.description.contains("over 16384 bytes"), true, "\($0)")
        }
        server.wait()
    }

    func testAnOversizedFrameFromTheServerEndsTheConnectionWithASentence() throws {
        let server = try LoopbackWebSocketServer { client in
            client.handshake()
            client.write([0x82, 127, 0, 0, 0, 1, 0, 0, 0, 0])   // announces 4 GiB
            usleep(200_000)
        }
        let connection = try WebSocketConnection.connect(to: server.url)
        XCTAssertThrowsError(try connection.receive()) {
            XCTAssertEqual($0 as? WebSocketError, .frameTooLarge(length: 1 << 32, limit: 1 << 20))
        }
        server.wait()
    }

    func testAProxyThatDropsTheConnectionEndsTheStream() throws {
        let server = try LoopbackWebSocketServer { $0.handshake() }
        let connection = try WebSocketConnection.connect(to: server.url)
        XCTAssertEqual(try connection.receive(), .ended)
        server.wait()
    }

    func testNothingListeningIsAConnectionFailureSentence() throws {
        // A port bound but not listening: connecting to it is refused.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var size = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, size) == 0 && getsockname(fd, $0, &size) == 0 }
        }
        XCTAssertTrue(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        XCTAssertThrowsError(try WebSocketConnection.connect(to: "ws://127.0.0.1:\(port)/")) {
            let text = ($0 as? WebSocketError)?.description ?? ""
            XCTAssertTrue(text.hasPrefix("Could not connect to 127.0.0.1:\(port): Connection refused;"), text)
        }
    }

    func testWssToAPlainServerFailsTheTLSHandshake() throws {
        // A plain-text server on a wss:// URL: the TLS handshake fails and says so (nothing is sent in clear).
        let server = try LoopbackWebSocketServer { client in
            client.write("HTTP/1.1 400 Bad Request\r\n\r\n")
            usleep(200_000)
        }
        XCTAssertThrowsError(try WebSocketConnection.connect(to: "wss://127.0.0.1:\(server.port)/", timeout: .seconds(5))) {
            let text = ($0 as? WebSocketError)?.description ?? ""
            XCTAssertTrue(text.contains("TLS"), text)
        }
        server.wait()
    }
}

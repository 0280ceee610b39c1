import Foundation
import XCTest
@testable import WebSocketClient
import WebSocketTestSupport

/// wss:// against a loopback TLS server with a self-signed certificate for `localhost` (`LoopbackCertificate`):
/// refused by default, accepted with it as the CA file, and only for the name it was made for.
final class WebSocketTLSTests: XCTestCase {
    private var directory = ""
    private var files: (certificate: String, key: String) { (directory + "/cert.pem", directory + "/key.pem") }

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "stacktop-wss-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try LoopbackCertificate.write(certificate: files.certificate, key: files.key)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    /// A server that does the handshake, greets, and echoes one frame back.
    private func echoServer() throws -> LoopbackWebSocketServer {
        try LoopbackWebSocketServer(tls: files) { client in
            client.handshake()
            client.send(WebSocketFrame(opcode: .binary, payload: Array("login: ".utf8)))
            if let typed = try client.readFrame() { client.send(WebSocketFrame(opcode: .binary, payload: typed.payload)) }
        }
    }

    func testAnUnknownCertificateIsRefusedByDefaultWithWhatToDo() throws {
        let server = try echoServer()
        XCTAssertThrowsError(try WebSocketConnection.connect(to: "wss://localhost:\(server.port)/", timeout: .seconds(5))) {
            let text = ($0 as? WebSocketError)?.description ?? "\($0)"
            XCTAssertTrue(text.hasPrefix("The TLS certificate of localhost:\(server.port) was not accepted (self-signed certificate)"), text)
            XCTAssertTrue(text.hasSuffix("give the cloud's CA certificate with `cacert` in clouds.yaml, or set `insecure: true` there to skip the check."), text)
        }
        server.wait()
    }

    func testTheGivenCAFileIsTrustedAndBytesFlowOverTLS() throws {
        let server = try echoServer()
        let connection = try WebSocketConnection.connect(to: "wss://localhost:\(server.port)/?token=t",
                                                         tls: WebSocketTLS(verify: true, caFile: files.certificate))
        XCTAssertEqual(try connection.receive(), .data(Array("login: ".utf8)))
        try connection.send(Array("root\r".utf8))
        XCTAssertEqual(try connection.receive(), .data(Array("root\r".utf8)))
        connection.abort()
        server.wait()
    }

    func testATrustedCertificateForAnotherNameIsRefused() throws {
        let server = try echoServer()
        // The certificate names localhost only; 127.0.0.1 is the same socket under a name it does not carry.
        XCTAssertThrowsError(try WebSocketConnection.connect(to: "wss://127.0.0.1:\(server.port)/",
                                                             tls: WebSocketTLS(verify: true, caFile: files.certificate),
                                                             timeout: .seconds(5))) {
            let text = ($0 as? WebSocketError)?.description ?? "\($0)"
            XCTAssertTrue(text.contains("was not accepted (IP address mismatch)"), text)
        }
        server.wait()
    }

    func testInsecureSkipsTheCheck() throws {
        let server = try echoServer()
        let connection = try WebSocketConnection.connect(to: "wss://127.0.0.1:\(server.port)/", tls: WebSocketTLS(verify: false))
        XCTAssertEqual(try connection.receive(), .data(Array("login: ".utf8)))
        connection.abort()
        server.wait()
    }
}

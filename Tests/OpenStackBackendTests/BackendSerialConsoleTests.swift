import Foundation
import Glibc
import XCTest
@testable import OpenStackBackend
import StacktopServices
import WebSocketClient
import WebSocketTestSupport

/// The serial console session against a loopback websocket server standing in for Nova's serial proxy:
/// bytes both ways through the session's descriptor, the endings said, TLS as the cloud's settings say.
final class BackendSerialConsoleTests: XCTestCase {
    private func backend(consoleURL: String, verifyTLS: Bool = true) async -> OpenStackCloudBackend {
        let transport = await BackendFixture.transport()
        await transport.on(.post, "/servers/id-web/remote-consoles",
                           json: ["remote_console": ["protocol": "serial", "type": "serial", "url": consoleURL]])
        var credentials = BackendFixture.credentials()
        credentials.verifyTLS = verifyTLS
        return OpenStackCloudBackend(credentials: credentials, cloudName: "testcloud", transport: transport)
    }

    /// What the session's descriptor gives until `expected` has arrived or the stream ends (at most 10 s).
    private func read(_ session: any SerialConsoleSession, until expected: String? = nil) -> (text: String, ended: Bool) {
        var text = ""
        var buffer = [UInt8](repeating: 0, count: 4096)
        let deadline = Date(timeIntervalSinceNow: 10)
        while Date() < deadline, expected.map({ !text.contains($0) }) ?? true {
            var descriptor = pollfd(fd: session.outputDescriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            let got = Glibc.read(session.outputDescriptor, &buffer, buffer.count)
            if got <= 0 { return (text, true) }
            text += String(decoding: buffer[..<got], as: UTF8.self)
        }
        return (text, false)
    }

    func testBytesGoBothWaysAndTheProxysCloseIsTheEnd() async throws {
        let seen = Seen()
        let server = try LoopbackWebSocketServer { client in
            client.handshake()
            client.send(WebSocketFrame(opcode: .binary, payload: Array("login: ".utf8)))
            if let typed = try client.readFrame() { seen.set("typed", String(decoding: typed.payload, as: UTF8.self)) }
            client.send(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: 1000, reason: "token expired")))
            _ = try client.readFrame()
        }
        let session = try await backend(consoleURL: server.url).openSerialConsole(instanceID: "id-web", force: false)
        XCTAssertNil(session.notice)
        XCTAssertEqual(read(session, until: "login: ").text, "login: ")
        try session.send(Array("root\r".utf8))
        XCTAssertTrue(read(session).ended)
        server.wait()
        XCTAssertEqual(seen.get("typed"), "root\r")
        XCTAssertNil(session.failure)
        XCTAssertEqual(session.endReason, "Nova's serial proxy closed it: \"token expired\"")
        session.close()
        XCTAssertThrowsError(try session.send([1])) {
            XCTAssertTrue(ErrorText.sentence($0).hasPrefix("Typing into the serial console of id-web failed: "), ErrorText.sentence($0))
        }
    }

    func testAProxyThatDropsTheConsoleAtOnceIsSaidToBeBusy() async throws {
        let server = try LoopbackWebSocketServer { $0.handshake() }
        let session = try await backend(consoleURL: server.url).openSerialConsole(instanceID: "id-web", force: false)
        XCTAssertTrue(read(session).ended)
        server.wait()
        XCTAssertEqual(session.failure, "Nova's serial proxy closed the serial console of id-web at once: a serial port "
                       + "takes one user, so another session most likely holds it (or the proxy cannot reach the compute "
                       + "host); close the other session and open it again.")
        session.close()
    }

    /// Leaving a quiet console at once (nothing arrived yet) is no busy port.
    func testLeavingAQuietConsoleAtOnceIsNotBusy() async throws {
        let server = try LoopbackWebSocketServer { client in
            client.handshake()
            if let close = try client.readFrame() { client.send(WebSocketFrame(opcode: .close, payload: close.payload)) }
        }
        let session = try await backend(consoleURL: server.url).openSerialConsole(instanceID: "id-web", force: false)
        session.close()
        server.wait()
        for _ in 0..<100 where session.endReason == nil { usleep(20_000) }   // the reader takes the close answer
        XCTAssertNil(session.failure)
        XCTAssertEqual(session.endReason, "Nova's serial proxy closed it: close code 1000")
    }

    func testTLSIsCheckedAsTheCloudSaysAndInsecureIsShown() async throws {
        let directory = NSTemporaryDirectory() + "stacktop-serial-tls-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let files = (certificate: directory + "/cert.pem", key: directory + "/key.pem")
        try LoopbackCertificate.write(certificate: files.certificate, key: files.key)

        // Verified by default: a self-signed proxy is refused with what to do.
        let strict = try LoopbackWebSocketServer(tls: files) { $0.handshake() }
        do {
            _ = try await backend(consoleURL: "wss://localhost:\(strict.port)/?token=t").openSerialConsole(instanceID: "id-web", force: false)
            XCTFail("a self-signed certificate was accepted")
        } catch {
            let text = ErrorText.sentence(error)
            XCTAssertTrue(text.hasPrefix("Opening the serial console of id-web failed: The TLS certificate of localhost:\(strict.port) "
                                         + "was not accepted (self-signed certificate)"), text)
        }
        strict.wait()

        // insecure: true connects, and the session says so for the banner.
        let lax = try LoopbackWebSocketServer(tls: files) { client in
            client.handshake()
            client.send(WebSocketFrame(opcode: .binary, payload: Array("ok".utf8)))
            _ = try client.readFrame()
        }
        let session = try await backend(consoleURL: "wss://localhost:\(lax.port)/?token=t", verifyTLS: false)
            .openSerialConsole(instanceID: "id-web", force: false)
        XCTAssertEqual(session.notice, "TLS certificate NOT verified (insecure in clouds.yaml)")
        XCTAssertEqual(read(session, until: "ok").text, "ok")
        session.close()
        lax.wait()
    }

    /// Before microversion 2.6 the serial console is the `os-getSerialConsole` action, and its answer's URL is used.
    func testOlderCloudsAreAskedWithTheServerAction() async throws {
        let server = try LoopbackWebSocketServer { client in
            client.handshake()
            client.send(WebSocketFrame(opcode: .binary, payload: Array("old".utf8)))
            _ = try client.readFrame()
        }
        let transport = await BackendFixture.transport(maxVersion: "2.5")
        await transport.on(.post, "/servers/id-web/action", json: ["console": ["type": "serial", "url": server.url]])
        let backend = OpenStackCloudBackend(credentials: BackendFixture.credentials(), cloudName: "testcloud", transport: transport)
        let session = try await backend.openSerialConsole(instanceID: "id-web", force: false)
        XCTAssertEqual(read(session, until: "old").text, "old")
        session.close()
        server.wait()
        let posts = await transport.requests(.post, "/action")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(posts.first?.body)) as? NSDictionary)
        XCTAssertEqual(body, ["os-getSerialConsole": ["type": "serial"]] as NSDictionary)
    }
}

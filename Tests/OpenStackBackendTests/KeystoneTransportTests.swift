import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest
@testable import OpenStackBackend
import StacktopServices

/// A loopback socket that listens but never answers: connections complete in the backlog and hang.
final class SilentListener {
    let fd: Int32
    let port: UInt16

    init() throws {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                bind(fd, raw, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, raw, &length) == 0
            }
        }
        guard fd >= 0, bound else {
            close(fd)
            throw XCTSkip("could not open a loopback listener")
        }
        self.fd = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit { close(fd) }
}

final class KeystoneTransportTests: XCTestCase {
    func testARefusedConnectionIsUnreachable() async throws {
        // Port 9 on loopback (discard) is not listening on these machines; nothing leaves the host.
        let transport = URLSessionTransport()
        do {
            _ = try await transport.send(HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:9/v3")!, timeout: 5))
            XCTFail("expected an error")
        } catch let error as BackendError {
            guard case .unreachable(let endpoint, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(endpoint, "http://127.0.0.1:9/v3")
            XCTAssertEqual(reason, "the connection was refused")
        }
    }

    func testAPerRequestTimeoutIsHonoured() async throws {
        let listener = try SilentListener()
        let transport = URLSessionTransport()
        let start = ContinuousClock.now
        do {
            _ = try await transport.send(HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:\(listener.port)/")!,
                                                     timeout: 0.4))
            XCTFail("a silent server must time out")
        } catch let error as BackendError {
            XCTAssertEqual(error, .unreachable(endpoint: "http://127.0.0.1:\(listener.port)/",
                                               reason: "no answer before the timeout"))
        }
        let elapsed = ContinuousClock.now - start
        XCTAssertGreaterThanOrEqual(elapsed, .milliseconds(390))
        XCTAssertLessThan(elapsed, .seconds(3))
    }

    func testRemoteReasonsFromTheServicesBodyShapes() {
        func reason(_ status: Int, _ body: String) -> String {
            RemoteErrorReason.from(HTTPResponse(status: status, body: Data(body.utf8)))
        }
        XCTAssertEqual(reason(404, #"{"NeutronError": {"type": "NetworkNotFound", "message": "Network n could not be found.", "detail": ""}}"#),
                       "Network n could not be found")
        XCTAssertEqual(reason(409, #"{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance while it is in vm_state stopped"}}"#),
                       "Cannot 'stop' instance while it is in vm_state stopped")
        XCTAssertEqual(reason(404, "404 Not Found\n\nThe resource could not be found.\n\n   "),
                       "404 Not Found The resource could not be found")
        XCTAssertEqual(reason(502, "<html><body>Bad Gateway</body></html>"), "the service had an internal error")
        XCTAssertEqual(reason(403, ""), "the request is forbidden by policy")
    }
}

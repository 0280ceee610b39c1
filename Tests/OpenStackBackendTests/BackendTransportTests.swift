import Foundation
import Glibc
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopServices

final class BackendTransportTests: XCTestCase {
    private let url = URL(string: "http://127.0.0.1:1/x")!

    func testParsesChunkedBodiesInterimAnswersAndRepeatedHeaders() throws {
        let text = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nX-Subject-Token: abc\r\nVary: a\r\nVary: b\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n"
        let response = try HTTPExchange.parse(Array(text.utf8), url: url)
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.header("x-subject-token"), "abc")
        XCTAssertEqual(response.header("Vary"), "a, b")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "hello, world")
    }

    func testContentLengthBoundsTheBodyAndGarbageIsNotHTTP() throws {
        let response = try HTTPExchange.parse(Array("HTTP/1.0 404 Not Found\r\nContent-Length: 2\r\n\r\n{}extra".utf8), url: url)
        XCTAssertEqual(response.status, 404)
        XCTAssertEqual(response.body, Data("{}".utf8))
        XCTAssertThrowsError(try HTTPExchange.parse(Array("SSH-2.0-OpenSSH\r\n".utf8), url: url)) { error in
            XCTAssertEqual((error as? BackendError)?.message.contains("the answer was not HTTP"), true)
        }
    }

    func testARefusedConnectionIsUnreachable() async throws {
        let transport = PlainHTTPTransport(secure: ScriptedTransport())
        do {
            _ = try await transport.send(HTTPRequest(method: .get, url: URL(string: "http://127.0.0.1:1/v3")!, timeout: 2))
            XCTFail("nothing listens on port 1")
        } catch let error as BackendError {
            XCTAssertEqual(error, .unreachable(endpoint: "http://127.0.0.1:1/v3", reason: "the connection was refused"))
        }
    }

    func testHTTPSGoesToTheSecureTransport() async throws {
        let secure = ScriptedTransport([.init(.get, "/v3", status: 200, body: Data("ok".utf8))])
        let response = try await PlainHTTPTransport(secure: secure)
            .send(HTTPRequest(method: .get, url: URL(string: "https://keystone.example.com/v3")!))
        XCTAssertEqual(response.body, Data("ok".utf8))
    }

    /// A one-shot server on a loopback port: records the request and answers with `answer`.
    func testSendsTheRequestAndReadsTheAnswerFromARealSocket() async throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw in
                XCTAssertEqual(bind(listener, raw, length), 0)
                XCTAssertEqual(listen(listener, 1), 0)
                XCTAssertEqual(getsockname(listener, raw, &length), 0)
            }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let received = Mutex<String>("")
        let server = Thread {
            let client = accept(listener, nil, nil)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: bytes, as: UTF8.self).hasSuffix("{\"a\":1}") {
                let count = recv(client, &buffer, buffer.count, 0)
                if count <= 0 { break }
                bytes += buffer[0..<count]
            }
            received.withLock { $0 = String(decoding: bytes, as: UTF8.self) }
            let answer = "HTTP/1.1 202 Accepted\r\nx-openstack-request-id: req-1\r\nContent-Length: 4\r\n\r\ndone"
            _ = answer.withCString { send(client, $0, strlen($0), 0) }
            close(client)
            close(listener)
        }
        server.start()

        let request = HTTPRequest(method: .post, url: URL(string: "http://127.0.0.1:\(port)/v2.1/servers/a%20b/action?x=1")!,
                                  headers: ["X-Auth-Token": "tok", "Content-Type": "application/json"],
                                  body: Data("{\"a\":1}".utf8), timeout: 5)
        let response = try await PlainHTTPTransport(secure: ScriptedTransport()).send(request)

        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(response.requestID, "req-1")
        XCTAssertEqual(response.body, Data("done".utf8))
        let text = received.withLock { $0 }
        XCTAssertTrue(text.hasPrefix("POST /v2.1/servers/a%20b/action?x=1 HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"), text)
        XCTAssertTrue(text.contains("\r\nX-Auth-Token: tok\r\n"), text)
        XCTAssertTrue(text.contains("\r\nContent-Length: 7\r\n\r\n{\"a\":1}"), text)
    }
}

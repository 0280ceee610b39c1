import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// Consoles on OpenStack, against the upstream API samples for the answers.
final class BackendConsoleTests: XCTestCase {
    private func sample(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: try Samples.data(path))
    }

    func testConsoleLogAsksNovaForLinesAndKeepsTheTail() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.post, "/servers/id-web/action", json: try sample("nova/os-console-output/console-output-post-resp.json"))
        let backend = BackendFixture.backend(transport)
        let log = try await backend.consoleLog(instanceID: "id-web", maxBytes: 65_536)
        let expected = try XCTUnwrap((try sample("nova/os-console-output/console-output-post-resp.json") as? NSDictionary)?["output"] as? String)
        XCTAssertEqual(log, expected)
        let posts = await transport.requests(.post, "/action")
        let post = try XCTUnwrap(posts.first)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(post.body)) as? NSDictionary)
        XCTAssertEqual((body["os-getConsoleOutput"] as? NSDictionary)?["length"] as? Int, 409)
        let short = try await backend.consoleLog(instanceID: "id-web", maxBytes: 4)
        XCTAssertEqual(short, String(expected.suffix(4)))
    }

    func testTheWebConsoleAndTheSerialConsoleAreURLs() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.post, "/servers/id-web/remote-consoles",
                           json: try sample("nova/os-remote-consoles/v2.6/create-vnc-console-resp.json"))
        let backend = BackendFixture.backend(transport)
        let display = try await backend.graphicsDisplay(instanceID: "id-web")
        guard case .url(let url) = display.endpoint else { return XCTFail("\(display)") }
        let wire = try XCTUnwrap(((try sample("nova/os-remote-consoles/v2.6/create-vnc-console-resp.json") as? NSDictionary)?["remote_console"] as? NSDictionary)?["url"] as? String)
        XCTAssertEqual(url, wire)
        let consolePosts = await transport.requests(.post, "/remote-consoles")
        let post = try XCTUnwrap(consolePosts.first)
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(post.body)) as? NSDictionary)
        XCTAssertEqual(body, ["remote_console": ["protocol": "vnc", "type": "novnc"]] as NSDictionary)

        let serialURL = try await backend.serialConsoleURL(instanceID: "id-web")
        XCTAssertEqual(serialURL, wire, "the fake answers every remote-consoles POST alike")
        let allConsolePosts = await transport.requests(.post, "/remote-consoles")
        let serialPost = try XCTUnwrap(allConsolePosts.last)
        let serialBody = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(serialPost.body)) as? NSDictionary)
        XCTAssertEqual(serialBody, ["remote_console": ["protocol": "serial", "type": "serial"]] as NSDictionary)
        XCTAssertThrowsError(try backend.openSerialConsole(instanceID: "id-web", force: false))
    }
}

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

    func testTheWebConsoleIsAURL() async throws {
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
    }

    /// The serial console asks Nova for a serial remote console, then connects to the URL it got: here a
    /// port nothing listens on, which fails with a sentence naming the server and the proxy.
    func testTheSerialConsoleConnectsToTheURLNovaGives() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.post, "/servers/id-web/remote-consoles",
                           json: ["remote_console": ["protocol": "serial", "type": "serial", "url": "ws://127.0.0.1:1/?token=t"]])
        let backend = BackendFixture.backend(transport)
        do {
            _ = try await backend.openSerialConsole(instanceID: "id-web", force: false)
            XCTFail("nothing listens on port 1")
        } catch {
            let text = ErrorText.sentence(error)
            XCTAssertTrue(text.hasPrefix("Opening the serial console of "), text)
            XCTAssertTrue(text.contains("failed: Could not connect to 127.0.0.1:1: Connection refused; check that the console "
                                        + "proxy is running"), text)
        }
        let posts = await transport.requests(.post, "/remote-consoles")
        let body = try XCTUnwrap(try JSONSerialization.jsonObject(with: XCTUnwrap(posts.first?.body)) as? NSDictionary)
        XCTAssertEqual(body, ["remote_console": ["protocol": "serial", "type": "serial"]] as NSDictionary)
    }

    func testASerialConsoleTheCloudDoesNotOfferIsSaidSo() async throws {
        for (status, message) in [(400, "Unavailable console type serial."), (501, "Not implemented.")] {
            let transport = await BackendFixture.transport()
            await transport.on(.post, "/servers/id-web/remote-consoles", status: status,
                               json: ["badRequest": ["code": status, "message": message]])
            let backend = BackendFixture.backend(transport)
            do {
                _ = try await backend.openSerialConsole(instanceID: "id-web", force: false)
                XCTFail("HTTP \(status)")
            } catch {
                let text = ErrorText.sentence(error)
                XCTAssertTrue(text.contains("is not enabled on this cloud (Nova answered HTTP \(status): "), text)
                XCTAssertTrue(text.hasSuffix("ask the cloud's operator to turn on Nova's [serial_console], or read the guest's console log instead."), text)
            }
        }
        // Any other refusal is said as Nova said it.
        let transport = await BackendFixture.transport()
        await transport.on(.post, "/servers/id-web/remote-consoles", status: 409,
                           json: ["conflictingRequest": ["code": 409, "message": "Instance id-web is not ready"]])
        do {
            _ = try await BackendFixture.backend(transport).openSerialConsole(instanceID: "id-web", force: false)
            XCTFail("HTTP 409")
        } catch {
            XCTAssertTrue(ErrorText.sentence(error).contains("(HTTP 409): Instance id-web is not ready"), ErrorText.sentence(error))
        }
    }
}

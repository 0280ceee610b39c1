import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

final class BackendCreateResizeSnapshotTests: XCTestCase {
    func testResizeSendsTheFlavorsIDAndConfirmAndRevertFollow() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers/srv-1/action", status: 202, headers: ["x-openstack-request-id": "req-1"])
        let backend = BackendFixture.backend(transport)

        let resized = try await backend.perform(ActionRequest(action: .resize, kind: .instance, targets: ["web"],
                                                              text: [.flavor: "m1.small"]))
        let confirmed = try await backend.perform(ActionRequest(action: .confirmResize, kind: .instance, targets: ["web"]))
        let reverted = try await backend.perform(ActionRequest(action: .revertResize, kind: .instance, targets: ["web"]))

        let bodies = await transport.requests(.post, "/servers/srv-1/action").map { CreateFixture.json($0.body) }
        XCTAssertEqual(bodies, [["resize": ["flavorRef": "fl-2"]], ["confirmResize": NSNull()],
                                ["revertResize": NSNull()]] as [NSDictionary?])
        XCTAssertEqual(resized.message, "Asked Nova to resize server web to m1.small; confirm it with `stacktop server "
            + "confirm-resize web` (or revert-resize) once it is VERIFY_RESIZE.")
        XCTAssertEqual(resized.requestIDs, ["req-1"])
        XCTAssertEqual(confirmed.message, "Confirmed the resize of web.")
        XCTAssertEqual(reverted.message, "Asked Nova to revert the resize of web to the old flavor.")

        let unknown = await CreateFixture.error(backend, try ActionRequest(action: .resize, kind: .instance, targets: ["web"],
                                                                       text: [.flavor: "m1.giant"]))
        XCTAssertEqual(unknown, .invalidOption(.flavor, reason: "No flavor named \"m1.giant\" exists; pick one from "
            + "`stacktop flavor list` (m1.tiny, m1.small)."))
        let noFlavor = await CreateFixture.error(backend, ActionRequest(action: .resize, kind: .instance, targets: ["web"]))
        XCTAssertEqual(noFlavor?.option, .flavor)
        let after = await transport.requests(.post, "/action")
        XCTAssertEqual(after.count, 3)
    }

    func testSnapshotPostsCreateImageAndReportsTheImageID() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers/srv-1/action", status: 202, headers: ["x-openstack-request-id": "req-s"],
                           json: ["image_id": "img-77"])
        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .snapshot, kind: .instance, targets: ["web"], text: [.imageName: "web-backup"]))
        let posts = await transport.requests(.post, "/action")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["createImage": ["name": "web-backup"]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Asked Nova to snapshot server web as image web-backup (id img-77); it is saved in "
            + "the background.")
        XCTAssertEqual(outcome.requestIDs, ["req-s"])
    }

    func testOlderNovaGivesTheSnapshotsIDInLocation() async throws {
        let transport = await BackendFixture.transport(maxVersion: "2.40")
        await transport.on(.get, "/v2.1/servers", json: ["servers": [["id": "srv-1", "name": "web"]]])
        await transport.on(.post, "/v2.1/servers/srv-1/action", status: 202,
                           headers: ["Location": "http://glance.test/v2/images/img-88"])
        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .snapshot, kind: .instance, targets: ["web"], text: [.imageName: "old"]))
        XCTAssertEqual(outcome.message, "Asked Nova to snapshot server web as image old (id img-88); it is saved in the "
            + "background.")
    }
}

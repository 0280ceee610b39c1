import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

final class BackendCreateVolumeTests: XCTestCase {
    private let cinder = "/v3/\(BackendFixture.projectID)"

    func testVolumeCreateFromAnImagePostsTheImagesID() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, cinder + "/volumes", status: 202, headers: ["x-openstack-request-id": "req-v"],
                           json: ["volume": ["id": "vol-9", "name": "v1", "size": 2, "status": "creating"]])
        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .create, kind: .volume, targets: ["v1"], text: [.size: "2", .image: "cirros"]))
        let posts = await transport.requests(.post, cinder + "/volumes")
        XCTAssertEqual(CreateFixture.json(posts.first?.body),
                       ["volume": ["name": "v1", "size": 2, "imageRef": "img-1"]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Asked Cinder to create volume v1 of 2 GiB from image cirros (id vol-9).")
        XCTAssertEqual(outcome.requestIDs, ["req-v"])

        let noSize = await CreateFixture.error(BackendFixture.backend(transport),
                                               ActionRequest(action: .create, kind: .volume, targets: ["v2"]))
        XCTAssertEqual(noSize, .invalidOption(.size, reason: "Volume v2 needs a size: add --size GIB."))
        let badSize = await CreateFixture.refusal(BackendFixture.backend(transport), try ActionRequest(
            action: .create, kind: .volume, targets: ["v2"], text: [.size: "ten"]))
        XCTAssertEqual(badSize, "--size wants a size in GiB, a whole number of 1 or more, not \"ten\".")
    }

    func testExtendPostsOsExtendToTheResolvedVolume() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, cinder + "/volumes/vol-1/action", status: 202, headers: ["x-openstack-request-id": "req-x"])
        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .extend, kind: .volume, targets: ["data"], text: [.size: "5"]))
        let posts = await transport.requests(.post, "/volumes/vol-1/action")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["os-extend": ["new_size": 5]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Asked Cinder to extend volume data to 5 GiB.")
        XCTAssertEqual(outcome.requestIDs, ["req-x"])
        let unknown = await CreateFixture.error(BackendFixture.backend(transport), try ActionRequest(
            action: .extend, kind: .volume, targets: ["nope"], text: [.size: "5"]))
        XCTAssertEqual(unknown, .notFound(kind: "volume", name: "nope"))
    }

    func testAttachAndDetachGoThroughNovasVolumeAttachments() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers/srv-1/os-volume_attachments", headers: ["x-openstack-request-id": "req-a"],
                           json: ["volumeAttachment": ["id": "vol-1", "volumeId": "vol-1", "serverId": "srv-1",
                                                       "device": "/dev/vdb"]])
        await transport.on(.delete, "/v2.1/servers/srv-1/os-volume_attachments/vol-1", status: 202,
                           headers: ["x-openstack-request-id": "req-d"])
        let backend = BackendFixture.backend(transport)

        let attached = try await backend.perform(ActionRequest(action: .attachVolume, kind: .instance, targets: ["web"],
                                                               text: [.volume: "data"]))
        let detached = try await backend.perform(ActionRequest(action: .detachVolume, kind: .instance, targets: ["web"],
                                                               text: [.volume: "data"]))

        let posts = await transport.requests(.post, "/os-volume_attachments")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["volumeAttachment": ["volumeId": "vol-1"]] as NSDictionary)
        XCTAssertEqual(posts.first?.header("OpenStack-API-Version"), "compute 2.96")
        XCTAssertEqual(attached.message, "Asked Nova to attach volume data to server web as /dev/vdb.")
        XCTAssertEqual(attached.requestIDs, ["req-a"])
        XCTAssertEqual(detached.message, "Asked Nova to detach volume data from server web.")
        XCTAssertEqual(detached.requestIDs, ["req-d"])
        let noVolume = await CreateFixture.error(backend, ActionRequest(action: .attachVolume, kind: .instance,
                                                                        targets: ["web"]))
        XCTAssertEqual(noVolume, .invalidOption(.volume, reason: "Name the volume to attach to server web: add --volume VOLUME."))
    }
}

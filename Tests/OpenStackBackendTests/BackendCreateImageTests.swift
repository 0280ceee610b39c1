import Foundation
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

final class BackendCreateImageTests: XCTestCase {
    func testUploadCreatesTheRecordThenPutsTheFileAndReportsProgress() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2/images", status: 201, headers: ["x-openstack-request-id": "req-i"],
                           json: ["id": "img-9", "name": "tiny", "status": "queued"])
        await transport.on(.put, "/v2/images/img-9/file", status: 204, headers: ["x-openstack-request-id": "req-f"])
        let bytes = Data([0x51, 0x46, 0x49, 0xFB]) + Data(repeating: 7, count: 2_000)
        let path = NSTemporaryDirectory() + "stacktop-image-\(UUID().uuidString).qcow2"
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let updates = Mutex<[ActionProgress.Update]>([])

        let outcome = try await ActionProgress.withReporter(.init { update in updates.withLock { $0.append(update) } }) {
            try await BackendFixture.backend(transport).perform(ActionRequest(
                action: .create, kind: .image, targets: ["tiny"], text: [.file: path, .visibility: "public"]))
        }

        let posts = await transport.requests(.post, "/v2/images")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["name": "tiny", "visibility": "public",
                                                               "disk_format": "qcow2", "container_format": "bare"] as NSDictionary)
        let puts = await transport.requests(.put, "/v2/images/img-9/file")
        XCTAssertEqual(puts.first?.body, bytes)
        XCTAssertEqual(puts.first?.header("Content-Type"), "application/octet-stream")
        XCTAssertEqual(puts.first?.header("X-Auth-Token"), "tok-1")
        let name = URL(fileURLWithPath: path).lastPathComponent
        XCTAssertEqual(updates.withLock { $0 }, [ActionProgress.Update(what: "Uploading \(name)", done: 0, total: 2_004),
                                                 ActionProgress.Update(what: "Uploading \(name)", done: 2_004, total: 2_004)])
        XCTAssertEqual(outcome.message, "Uploaded image tiny (qcow2, 0.0 MiB, public, id img-9); Glance makes it active "
            + "once it has checked the data.")
        XCTAssertEqual(outcome.requestIDs, ["req-i", "req-f"])
    }

    func testAFailedUploadRemovesTheEmptyRecord() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2/images", status: 201, json: ["id": "img-9", "name": "big"])
        await transport.on(.put, "/v2/images/img-9/file", status: 413, headers: ["x-openstack-request-id": "req-f"],
                           json: ["message": "Denying attempt to upload image because it exceeds the quota: 10 MiB"])
        await transport.on(.delete, "/v2/images/img-9", status: 204)
        let path = try CreateFixture.temporaryFile("raw bytes")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = BackendFixture.backend(transport)

        let message = await CreateFixture.refusal(backend, try ActionRequest(action: .upload, kind: .image, targets: ["big"],
                                                                         text: [.file: path]))
        XCTAssertEqual(message, "Upload the data of image big failed (HTTP 413): Denying attempt to upload image because "
            + "it exceeds the quota: 10 MiB; free some quota or ask an administrator to raise it. Request id req-f.")
        let posts = await transport.requests(.post, "/v2/images")
        XCTAssertEqual(CreateFixture.json(posts.first?.body)?["disk_format"] as? String, "raw")
        let deletes = await transport.requests(.delete, "/v2/images/img-9")
        XCTAssertEqual(deletes.count, 1)

        let missing = await CreateFixture.error(backend, try ActionRequest(action: .create, kind: .image, targets: ["x"],
                                                                       text: [.file: "/nonexistent.qcow2"]))
        XCTAssertEqual(missing, .invalidOption(.file, reason: "--file /nonexistent.qcow2 could not be read; give the path of a "
            + "readable image file on this machine."))
        let noFile = await CreateFixture.error(backend, ActionRequest(action: .create, kind: .image, targets: ["x"]))
        XCTAssertEqual(noFile?.option, .file)
    }
}

final class BackendCreateCapabilityTests: XCTestCase {
    func testTheCreateSideActionsAreDeclared() {
        let capabilities = BackendFixture.backend(RoutedTransport()).capabilities
        XCTAssertEqual(capabilities.actions(for: .instance), [.create, .start, .stop, .powerOff, .reboot, .hardReboot,
            .pause, .unpause, .suspend, .resume, .lock, .unlock, .rename, .resize, .confirmResize, .revertResize,
            .snapshot, .attachVolume, .detachVolume, .delete])
        XCTAssertEqual(capabilities.actions(for: .volume), [.create, .extend, .delete])
        XCTAssertEqual(capabilities.actions(for: .image), [.create, .upload, .delete])
        XCTAssertEqual(capabilities.actions(for: .securityGroup), [.create, .delete])
        XCTAssertEqual(capabilities.actions(for: .securityGroupRule), [.create, .delete])
        XCTAssertEqual(capabilities.actions(for: .network), [.create, .delete])
        XCTAssertEqual(capabilities.actions(for: .keypair), [.create, .delete])
        XCTAssertNil(capabilities.refusal(.create, on: .securityGroup))
        XCTAssertNotNil(capabilities.refusal(.snapshot, on: .volume))
    }
}

import Foundation
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// Deleting a server on the demo host (test driver, fresh node file and store per test): the question and the
/// answer name exactly the disks that go and the volumes that stay, and a separately made volume survives.
final class DeleteKeepsVolumesTests: XCTestCase {
    func testDeleteAsksAndTellsWhatGoesAndWhatStays() async throws {
        let (backend, _) = try openDemoBackend(self)
        let request = ActionRequest(action: .delete, kind: .instance, targets: ["backup-agent"])
        let before = try await backend.snapshot()
        let disks = try XCTUnwrap(before.instances.first { $0.name == "backup-agent" }).disks
        XCTAssertEqual(disks.map(\.deleteOnTermination), [true, false], "its root goes, the data volume stays")
        XCTAssertEqual(ConfirmationPolicy.requirement(for: request, snapshot: before).question,
                       "This will delete server backup-agent: deleting disk backup-agent-root.qcow2 for good and keeping "
                       + "volume backup vol. Type its name to confirm.")
        let several = ActionRequest(action: .delete, kind: .instance, targets: ["backup-agent", "staging-api"])
        XCTAssertEqual(ConfirmationPolicy.requirement(for: several, snapshot: before).question,
                       "This will delete server on 2 items: backup-agent, staging-api, deleting disks "
                       + "backup-agent-root.qcow2 and staging-api-root.qcow2 for good and keeping volume backup vol. "
                       + "Type 2 to confirm.")

        let message = try await backend.perform(request).message
        XCTAssertEqual(message, "Deleted backup-agent with its disk backup-agent-root.qcow2; kept volume backup vol.")
        let after = try await backend.snapshot()
        XCTAssertFalse(after.instances.contains { $0.name == "backup-agent" })
        let kept = try XCTUnwrap(after.volumes.first { $0.name == "backup vol" }, "the separate volume survives")
        XCTAssertEqual(kept.attachedTo, [])
        XCTAssertFalse(after.volumes.contains { $0.name == "backup-agent-root.qcow2" })
    }

    func testAVolumeMadeSeparatelyAndAttachedStaysWhenItsServerIsDeleted() async throws {
        let (backend, store) = try openDemoBackend(self)
        _ = try await backend.perform(ActionRequest(action: .create, kind: .volume, targets: ["data-05"], text: [.size: "1"]))
        let volumes = try await backend.snapshot().volumes
        let volume = try XCTUnwrap(volumes.first { $0.name == "data-05.qcow2" })
        let path = try XCTUnwrap(volume.path)
        // The test driver cannot hot-plug: put the volume into the shut-off instance's definition directly.
        let staging = try backend.connection.domainStatus("staging-api")
        var xml = try backend.connection.inactiveDomainXML(uuid: staging.uuid)
        xml = xml.replacingOccurrences(of: "</devices>", with: "<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
                                       + "<source file='\(path)'/><target dev='vdb' bus='virtio'/></disk></devices>")
        _ = try backend.connection.defineDomain(xml: xml, name: "staging-api")
        // Even a (wrong) record naming the volume does not make it the instance's: it is checked by path and owner.
        try store.recordInstanceDisk(path: path, uuid: "someone-else", role: "root")

        let message = try await backend.perform(ActionRequest(action: .delete, kind: .instance, targets: ["staging-api"])).message
        XCTAssertEqual(message, "Deleted staging-api with its disk staging-api-root.qcow2; kept volume data-05.qcow2.")
        let after = try await backend.snapshot().volumes
        XCTAssertTrue(after.contains { $0.name == "data-05.qcow2" })
    }
}

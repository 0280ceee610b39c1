import Foundation
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopTestSupport

/// Volume snapshots through the whole local backend on libvirt's test driver (the demo host, one fresh copy per
/// test): the demo records them without touching libvirt, lists them joined with their volumes, counts them in
/// the quota, and refuses what a host would refuse. The qcow2 side is `VolumeSnapshotFilesTests`.
final class VolumeSnapshotActionsTests: XCTestCase {
    private func perform(_ backend: LocalCloudBackend, _ request: ActionRequest) async -> String {
        do { return try await backend.perform(request).message } catch { return ErrorText.sentence(error) }
    }

    /// `request` ends with exactly this outcome.
    private func expect(_ backend: LocalCloudBackend, _ request: ActionRequest, _ expected: String,
                        file: StaticString = #filePath, line: UInt = #line) async {
        let said = await perform(backend, request)
        XCTAssertEqual(said, expected, file: file, line: line)
    }

    /// `request` is refused with exactly this error.
    private func expect(_ backend: LocalCloudBackend, _ request: ActionRequest, refused expected: BackendError,
                        file: StaticString = #filePath, line: UInt = #line) async {
        let refused = await backendError(file: file, line: line) { try await backend.perform(request) }
        XCTAssertEqual(refused, expected, file: file, line: line)
    }

    private func heldByLogCollector(_ then: String) -> BackendError {
        .inUse(kind: .volume, name: "logs-büro", by: ["log collector"], use: .holdingLock(state: "paused"),
               advice: "shut it off or detach the volume first to \(then)")
    }

    private func create(_ name: String, volume: String, description: String? = nil) throws -> ActionRequest {
        var options: [OptionKey: String] = [.volume: volume]
        if let description { options[.description] = description }
        return try ActionRequest(action: .create, kind: .volumeSnapshot, targets: [name], text: options, project: "engineering")
    }

    func testTheDemoSeedsOneSnapshotJoinedWithItsVolume() async throws {
        let (backend, _) = try openDemoBackend(self)
        let snapshot = try await backend.snapshot()
        let volume = try XCTUnwrap(snapshot.volumes.first { $0.name == "logs-büro" })
        XCTAssertEqual(snapshot.volumeSnapshots.count, 1)
        let seeded = try XCTUnwrap(snapshot.volumeSnapshots.first)
        XCTAssertEqual(seeded.name, "logs-büro-weekly")
        XCTAssertEqual(seeded.volumeID, volume.id)
        XCTAssertEqual(seeded.volumeName, "logs-büro")
        XCTAssertEqual(seeded.sizeBytes, volume.sizeBytes)
        XCTAssertEqual(seeded.status, "available")
        XCTAssertEqual(seeded.project, volume.project)
        XCTAssertEqual(seeded.project, "engineering")
        XCTAssertEqual(seeded.createdAt, Date(timeIntervalSince1970: 1_790_000_000 - 2 * 86_400))
        XCTAssertEqual(snapshot.quotas.first { $0.project == "engineering" }?[.snapshots]?.used, 1)
        XCTAssertEqual(snapshot.quotas.first { $0.project == "admin" }?[.snapshots]?.used, 0)
        XCTAssertTrue(backend.capabilities.supports(.create, on: .volumeSnapshot))
        XCTAssertTrue(backend.capabilities.supports(.delete, on: .volumeSnapshot))
    }

    func testTheDemoTakesListsAndDeletesASnapshotWithoutTouchingLibvirt() async throws {
        let (backend, store) = try openDemoBackend(self)
        _ = try await backend.perform(ActionRequest(action: .create, kind: .volume, targets: ["scratch"],
                                                    text: [.size: "5"], project: "engineering"))
        let hostBefore = try backend.connection.inventory()

        let taken = await perform(backend, try create("before-upgrade", volume: "scratch", description: "pre 2.0"))
        XCTAssertEqual(taken, "Took snapshot before-upgrade of volume scratch.qcow2 (the demo keeps its record; no file holds it).")
        XCTAssertEqual(try backend.connection.inventory(), hostBefore, "the test driver's host is untouched")

        var snapshot = try await backend.snapshot()
        let volume = try XCTUnwrap(snapshot.volumes.first { $0.name == "scratch.qcow2" })
        let taken1 = try XCTUnwrap(snapshot.volumeSnapshots.first { $0.name == "before-upgrade" })
        XCTAssertEqual(taken1.volumeID, volume.id)
        XCTAssertEqual(taken1.volumeName, "scratch.qcow2")
        XCTAssertEqual(taken1.sizeBytes, 5 << 30)
        XCTAssertEqual(taken1.status, "available")
        XCTAssertEqual(taken1.description, "pre 2.0")
        XCTAssertEqual(taken1.project, "engineering")
        XCTAssertNotNil(taken1.createdAt)
        XCTAssertEqual(snapshot.volumeSnapshots.map(\.name), ["before-upgrade", "logs-büro-weekly"], "by name")
        XCTAssertEqual(snapshot.quotas.first { $0.project == "engineering" }?[.snapshots]?.used, 2)
        XCTAssertEqual(try store.volumeSnapshotRecords().first { $0.name == "before-upgrade" }?.volumePath, volume.path)

        await expect(backend, try create("before-upgrade", volume: "scratch"),
                     refused: .nameTaken(kind: "volume snapshot", name: "before-upgrade", scope: nil, option: nil))
        // As Cinder refuses a volume with dependent snapshots, naming them.
        await expect(backend, ActionRequest(action: .delete, kind: .volume, targets: ["scratch"]),
                     refused: .inUse(kind: .volume, name: "scratch.qcow2", by: ["before-upgrade"], use: .snapshots,
                                     advice: "delete them first (`stacktop volume-snapshot delete NAME`)"))
        let kept = try await backend.snapshot().volumes
        XCTAssertTrue(kept.contains { $0.name == "scratch.qcow2" }, "the volume stays")

        _ = try await backend.perform(create("blank", volume: "scratch", description: ""))
        let blank = try await backend.snapshot().volumeSnapshots.first { $0.name == "blank" }
        XCTAssertNotNil(blank)
        XCTAssertNil(blank?.description, "an empty description is none")

        await expect(backend, ActionRequest(action: .delete, kind: .volumeSnapshot, targets: ["before-upgrade", "blank"]),
                     "Deleted volume snapshots before-upgrade, blank.")
        snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.volumeSnapshots.map(\.name), ["logs-büro-weekly"], "only the one named went")
        XCTAssertEqual(snapshot.quotas.first { $0.project == "engineering" }?[.snapshots]?.used, 1)
        await expect(backend, ActionRequest(action: .delete, kind: .volume, targets: ["scratch"]),
                     "Deleted volume scratch.qcow2.")
    }

    func testRefusalsSayWhyAndChangeNothing() async throws {
        let (backend, store) = try openDemoBackend(self)
        let recordsBefore = try store.volumeSnapshotRecords()

        let rawCopy = await backendError { try await backend.perform(try create("raw-copy", volume: "data-01")) }
        guard case .unavailable(let feature, let reason)? = rawCopy else { return XCTFail("\(String(describing: rawCopy))") }
        XCTAssertEqual(feature, "volume snapshots")
        XCTAssertTrue(reason.hasPrefix("Volume data-01 is raw, and only qcow2 volumes take snapshots"), reason)
        // logs-büro is attached to "log collector", which the demo keeps paused.
        await expect(backend, try create("hot", volume: "logs-büro"), refused: heldByLogCollector("take a snapshot of it"))
        await expect(backend, ActionRequest(action: .delete, kind: .volumeSnapshot, targets: ["logs-büro-weekly"]),
                     refused: heldByLogCollector("delete snapshot logs-büro-weekly from it"))
        let noVolume = await backendError {
            try await backend.perform(ActionRequest(action: .create, kind: .volumeSnapshot, targets: ["s"]))
        }
        XCTAssertEqual(noVolume?.option, .volume)
        await expect(backend, try create("s", volume: "nope"), refused: .notFound(kind: "volume", name: "nope"))
        await expect(backend, ActionRequest(action: .delete, kind: .volumeSnapshot, targets: ["nope"]),
                     refused: .notFound(kind: "volume-snapshot", name: "nope"))

        // A shut-off guest lets go of its file, so its volume may be snapshotted, within the quota.
        _ = try await backend.perform(ActionRequest(action: .create, kind: .volume, targets: ["scratch"],
                                                    text: [.size: "1"], project: "engineering"))
        try store.setQuotaLimit(1, for: .snapshots, project: "engineering")
        await expect(backend, try create("one-too-many", volume: "scratch"),
                     refused: .quotaExceeded(project: "engineering", resource: "Volume Snapshots", limit: 1, inUse: 1, requested: 1))
        XCTAssertEqual(try store.volumeSnapshotRecords(), recordsBefore, "no refusal left a record")
    }

    func testASnapshotWhoseVolumeIsGoneShowsAsAnErrorAndDeleteForgetsIt() async throws {
        let (backend, store) = try openDemoBackend(self)
        try store.recordVolumeSnapshot(VolumeSnapshotRecord(id: "orphan-1", name: "orphan", volumePath: "/gone/old.qcow2",
                                                            sizeBytes: 1 << 30, project: "admin"))
        let snapshot = try await backend.snapshot()
        let orphan = try XCTUnwrap(snapshot.volumeSnapshots.first { $0.name == "orphan" })
        XCTAssertEqual(orphan.status, "error")
        XCTAssertNil(orphan.volumeName, "no volume name is made up")
        XCTAssertEqual(orphan.volumeID, "/gone/old.qcow2")
        XCTAssertEqual(snapshot.quotas.first { $0.project == "admin" }?[.snapshots]?.used, 1, "it counts, as in Cinder")

        await expect(backend, ActionRequest(action: .delete, kind: .volumeSnapshot, targets: ["orphan"]),
                     "Deleted volume snapshot orphan.")
        XCTAssertEqual(try store.volumeSnapshotRecords().map(\.name), ["logs-büro-weekly"])
    }

    /// The assembler's join, without a hypervisor: by path, and nothing but the record's own fields.
    func testTheAssemblerJoinsRecordsWithVolumesByPath() {
        let volume = PoolVolume(pool: "default", name: "data.qcow2", path: "/p/data.qcow2", key: "key-data",
                                capacityBytes: 3 << 30, allocationBytes: 1, format: "qcow2")
        let records = [
            VolumeSnapshotRecord(id: "b", name: "same", volumePath: "/p/data.qcow2", sizeBytes: 2 << 30, project: "web"),
            VolumeSnapshotRecord(id: "a", name: "same", volumePath: "/p/other.qcow2", sizeBytes: 1),
        ]
        let snapshot = LocalSnapshotAssembler.assemble(
            inventory: HostInventory(poolVolumes: [volume]),
            store: LocalStoreData(projects: [Project(id: "p", name: "web")], volumeSnapshots: records))
        XCTAssertEqual(snapshot.volumeSnapshots, [
            VolumeSnapshot(id: "a", name: "same", volumeID: "/p/other.qcow2", sizeBytes: 1, status: "error"),
            VolumeSnapshot(id: "b", name: "same", volumeID: "key-data", volumeName: "data.qcow2", sizeBytes: 2 << 30,
                           project: "web"),
        ])
        XCTAssertEqual(snapshot.quotas.first?[.snapshots]?.used, 1)
    }
}

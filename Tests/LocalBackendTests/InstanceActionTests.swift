import Foundation
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import XCTest
import StacktopTestSupport
import StoreTestSupport
import SystemTestSupport

/// Instance actions end to end on libvirt's test driver: each effect is checked by reading the host again.
final class InstanceActionTests: XCTestCase {
    private static let webUUID = "6695eb01-f6a4-8304-79aa-97f2502e1931"
    private static let dbUUID = "6695eb01-f6a4-8304-79aa-97f2502e1932"
    private static let cirrosPath = "/var/lib/stacktop-test/images/cirros-0.6.2.qcow2"

    private var connection: LibvirtConnection!
    private var store: StateStore!
    private var backend: LocalCloudBackend!

    override func setUpWithError() throws {
        let xml = try makeTemporaryDirectory(self) + "/node.xml"
        try Self.nodeXML.write(toFile: xml, atomically: true, encoding: .utf8)
        connection = try LibvirtConnection(uri: "test://" + xml)
        store = try makeStore(self)
        try store.upsertProject(Project(id: "p-web", name: "web"))
        backend = LocalCloudBackend(connection: connection, store: store)
    }

    override func tearDown() {
        backend = nil; store = nil; connection = nil
    }

    // MARK: - Helpers

    @discardableResult
    private func perform(_ action: ActionKind, _ targets: String..., text: [OptionKey: String] = [:])
        async throws -> String {
        try await backend.perform(ActionRequest(action: action, kind: .instance, targets: targets, text: text))
            .message
    }

    /// The error `perform` throws; fails the test when it succeeds or throws something else.
    private func error(_ action: ActionKind, _ targets: String..., text: [OptionKey: String] = [:],
                       file: StaticString = #filePath, line: UInt = #line) async -> BackendError? {
        await backendError(file: file, line: line) {
            try await backend.perform(ActionRequest(action: action, kind: .instance, targets: targets, text: text))
        }
    }

    private func assertDone(_ action: ActionKind, _ targets: String..., text: [OptionKey: String] = [:],
                            gives expected: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        let message = try await backend.perform(
            ActionRequest(action: action, kind: .instance, targets: targets, text: text)).message
        XCTAssertEqual(message, expected, file: file, line: line)
    }

    private func assertError(_ action: ActionKind, _ targets: String..., text: [OptionKey: String] = [:],
                             fails expected: BackendError, file: StaticString = #filePath, line: UInt = #line) async {
        do {
            let request = try ActionRequest(action: action, kind: .instance, targets: targets, text: text)
            let message = try await backend.perform(request).message
            XCTFail("expected \(expected), got \"\(message)\"", file: file, line: line)
        } catch {
            XCTAssertEqual(error as? BackendError, expected, file: file, line: line)
        }
    }

    /// A fresh read of the host (what the dashboard would show next).
    private func state(_ name: String) throws -> InstanceState? {
        try connection.inventory().instances.first { $0.name == name }?.state
    }

    private func runState(_ name: String) throws -> DomainRunState {
        try connection.domainStatus(name).state
    }

    // MARK: - Lifecycle

    func testLifecycleActionsChangeTheStateOnTheHost() async throws {
        try await assertDone(.pause, "web-01", gives: "Paused web-01.")
        XCTAssertEqual(try state("web-01"), .paused)
        try await assertDone(.unpause, "web-01", gives: "Unpaused web-01.")
        XCTAssertEqual(try state("web-01"), .running)
        try await assertDone(.stop, "web-01", gives: "Asked web-01 to shut down.")
        XCTAssertEqual(try state("web-01"), .shutoff, "the test driver's guest shuts down at once")
        try await assertDone(.start, "web-01", gives: "Started web-01.")
        XCTAssertEqual(try state("web-01"), .running)
        try await assertDone(.powerOff, "web-01", gives: "Powered off web-01.")
        XCTAssertEqual(try state("web-01"), .shutoff)
        let snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.instances.first { $0.name == "web-01" }?.state, .shutoff)
    }

    func testRebootAndHardRebootKeepItRunning() async throws {
        try await assertDone(.reboot, "web-01", gives: "Asked web-01 to reboot.")
        XCTAssertEqual(try state("web-01"), .running)
        try await assertDone(.hardReboot, "web-01", gives: "Hard rebooted web-01.")
        XCTAssertEqual(try state("web-01"), .running)
        let refused = await error(.reboot, "db-01")
        XCTAssertEqual(refused, .wrongState(name: "db-01", state: "shut off", action: .reboot, needs: .state("running"),
                                            advice: "start it instead"))
    }

    func testSuspendIsAManagedSaveThatResumeAndStartBringBack() async throws {
        try await assertDone(.suspend, "web-01", gives: "Suspended web-01.")
        XCTAssertEqual(try runState("web-01"), .saved)
        let listed = try await backend.snapshot().instances.first { $0.name == "web-01" }
        XCTAssertEqual(listed?.state, .suspended, "the list shows a managed save as Suspended, not Shut off")
        await assertError(.suspend, "web-01",
                          fails: .wrongState(name: "web-01", state: "suspended", action: .suspend, needs: .already, advice: nil))
        await assertError(.stop, "web-01",
                          fails: .wrongState(name: "web-01", state: "suspended", action: .stop, needs: .so("it is already off"),
                                             advice: "resume it first to shut it down cleanly"))
        try await assertDone(.resume, "web-01", gives: "Resumed web-01.")
        XCTAssertEqual(try runState("web-01"), .running)

        // A paused guest can be suspended too; start also restores the saved state.
        try await perform(.suspend, "app-01")
        XCTAssertEqual(try runState("app-01"), .saved)
        try await assertDone(.start, "app-01", gives: "Started app-01.")
        XCTAssertEqual(try runState("app-01"), .running)

        await assertError(.resume, "db-01",
                          fails: .wrongState(name: "db-01", state: "shut off", action: .resume, needs: .not("suspended"),
                                             advice: "start it instead"))
    }

    func testWrongStateIsRefusedBeforeLibvirtAndChangesNothing() async throws {
        func already(_ name: String, _ state: String, _ action: ActionKind) -> BackendError {
            .wrongState(name: name, state: state, action: action, needs: .already, advice: nil)
        }
        await assertError(.stop, "db-01", fails: already("db-01", "shut off", .stop))
        await assertError(.powerOff, "db-01", fails: already("db-01", "shut off", .powerOff))
        await assertError(.start, "web-01", fails: already("web-01", "running", .start))
        await assertError(.pause, "app-01", fails: already("app-01", "paused", .pause))
        await assertError(.unpause, "web-01", fails: .wrongState(name: "web-01", state: "not paused", action: .unpause,
                                                                 needs: .plain, advice: "it is already running"))
        await assertError(.start, "app-01", fails: .wrongState(name: "app-01", state: "paused", action: .start, needs: .plain,
                                                               advice: "unpause it instead"))
        await assertError(.hardReboot, "db-01",
                          fails: .wrongState(name: "db-01", state: "shut off", action: .hardReboot, needs: .state("running"),
                                             advice: "start it instead"))
        XCTAssertEqual(try state("web-01"), .running)
        XCTAssertEqual(try state("db-01"), .shutoff)
        XCTAssertEqual(try state("app-01"), .paused)
    }

    func testTargetsByUUIDAndUnknownNames() async throws {
        try await assertDone(.pause, Self.webUUID, gives: "Paused web-01.")
        XCTAssertEqual(try state("web-01"), .paused)
        let missing = await error(.start, "nope")
        XCTAssertEqual(missing, .notFound(kind: "server", name: "nope"))
        await assertError(.start, fails: .missingTarget(kind: .instance, action: .start, usage: nil))
    }

    // MARK: - Lock

    func testLockedInstanceRefusesEverythingButUnlock() async throws {
        XCTAssertNil(try store.instanceOwnership(uuid: Self.webUUID))
        try await assertDone(.lock, "web-01", gives: "Locked web-01.")
        XCTAssertEqual(try store.instanceOwnership(uuid: Self.webUUID)?.locked, true, "the row is created")
        for action in [ActionKind.powerOff, .stop, .reboot, .hardReboot, .pause, .suspend, .delete, .lock] {
            let refused = await error(action, "web-01")
            XCTAssertEqual(refused, .locked(name: "web-01"), "\(action)")
            XCTAssertEqual(refused?.isRefusal, true)
        }
        await assertError(.rename, "web-01", text: [.name: "x"], fails: .locked(name: "web-01"))
        XCTAssertEqual(try state("web-01"), .running, "libvirt was not asked")
        let snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.instances.first { $0.name == "web-01" }?.locked, true)

        try await assertDone(.unlock, "web-01", gives: "Unlocked web-01.")
        await assertError(.unlock, "web-01", fails: .wrongState(name: "web-01", state: "not locked", action: .unlock,
                                                                needs: .plain, advice: nil))
        try await perform(.powerOff, "web-01")
        XCTAssertEqual(try state("web-01"), .shutoff)
    }

    func testLockKeepsTheRestOfAnExistingOwnershipRow() async throws {
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: Self.dbUUID, project: "web", flavor: "m1.small"))
        try await perform(.lock, "db-01")
        XCTAssertEqual(try store.instanceOwnership(uuid: Self.dbUUID),
                       InstanceOwnership(uuid: Self.dbUUID, project: "web", flavor: "m1.small", locked: true))
    }

    // MARK: - Rename

    func testRenameOnlyWhileShutOff() async throws {
        await assertError(.rename, "web-01", text: [.name: "web-09"],
                          fails: .wrongState(name: "web-01", state: "running", action: .rename, needs: .stateFirst("shut off"),
                                             advice: "shut it off and try again"))
        await assertError(.rename, "db-01", text: [.name: "web-01"],
                          fails: .nameTaken(kind: "server", name: "web-01", scope: nil, option: .name))
        let unnamed = await error(.rename, "db-01")
        XCTAssertEqual(unnamed?.option, .name)
        try await assertDone(.rename, Self.dbUUID, text: [.name: " db-02 "], gives: "Renamed db-01 to db-02.")
        let renamed = try connection.inventory().instances.first { $0.id == Self.dbUUID }
        XCTAssertEqual(renamed?.name, "db-02")
        XCTAssertNil(try state("db-01"))
        await assertError(.rename, "db-02", "web-01", text: [.name: "x"],
                          fails: .oneAtATime(kind: .instance, action: .rename, usage: nil))
    }

    // MARK: - Delete

    func testDeleteRemovesTheDomainAndOnlyTheDisksItOwns() async throws {
        try store.upsertImageMetadata(ImageMetadata(path: Self.cirrosPath, name: "cirros"))
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: Self.webUUID, project: "web"))
        try store.setVolumeOwner(path: "/var/lib/stacktop-test/default/web-01.qcow2", project: "web")
        try store.setVolumeOwner(path: "/var/lib/stacktop-test/default/shared.raw", project: "web")
        // stacktop made web-01.qcow2 for web-01; data-01.raw was made separately and is attached.
        try store.recordInstanceDisk(path: "/var/lib/stacktop-test/default/web-01.qcow2", uuid: Self.webUUID, role: "root")
        let message = try await perform(.delete, "web-01")
        XCTAssertEqual(message, "Deleted web-01 with its disk web-01.qcow2; kept volumes data-01.raw and shared.raw.")

        let host = try connection.inventory()
        XCTAssertFalse(host.instances.contains { $0.name == "web-01" })
        XCTAssertEqual(Set(host.poolVolumes.map(\.name)),
                       ["cirros-0.6.2.qcow2", "shared.raw", "data-01.raw", "db-01.qcow2", "scratch.raw"],
                       "the image, the separate volume, the disk db-01 shares and the unattached volume stay")
        XCTAssertNil(try store.instanceOwnership(uuid: Self.webUUID))
        XCTAssertEqual(try store.volumeOwners(), ["/var/lib/stacktop-test/default/shared.raw": "web"],
                       "the deleted disk's owner is forgotten, the shared one's kept")
        XCTAssertEqual(try store.instanceDiskOwners(), [:], "the deleted disk's record is gone")
        XCTAssertEqual(try state("db-01"), .shutoff)
    }

    func testDeleteUndefinesASuspendedInstance() async throws {
        try await perform(.suspend, "app-01")
        try await assertDone(.delete, "app-01", gives: "Deleted app-01.")
        XCTAssertNil(try state("app-01"))
    }

    // MARK: - Several targets

    func testSeveralTargetsReportWhatSucceededAndWhatFailed() async throws {
        try await perform(.lock, "app-01")
        let partial = await error(.powerOff, "web-01", "db-01", "app-01")
        XCTAssertEqual(partial?.message,
                       "Powered off web-01, but db-01 and app-01 failed: db-01 is already shut off; "
                       + "app-01 is locked: unlock it first (`stacktop server unlock app-01`).")
        XCTAssertEqual(partial?.isRefusal, false, "something changed")
        XCTAssertEqual(try state("web-01"), .shutoff)
        XCTAssertEqual(try state("app-01"), .paused)

        let refused = await error(.stop, "web-01", "db-01")
        XCTAssertEqual(refused, .refusedForEach(action: .stop, failures: ["web-01", "db-01"].map {
            .init(target: $0, error: .wrongState(name: $0, state: "shut off", action: .stop, needs: .already, advice: nil))
        }))

        try await assertDone(.start, "web-01", "db-01", "web-01", Self.dbUUID, gives: "Started web-01 and db-01.")
        XCTAssertEqual(try state("db-01"), .running)
    }

    // MARK: - Capabilities

    func testCapabilitiesListExactlyTheInstanceActionsThatWork() async throws {
        XCTAssertEqual(backend.capabilities.actions(for: .instance), ActionKind.allCases.filter {
            ![.update, .confirmResize, .revertResize, .extend, .upload, .associate, .disassociate].contains($0)
        })
        await assertError(.confirmResize, "web-01",
                          fails: .unsupported(action: "Confirm resize server"))
        XCTAssertEqual(try state("web-01"), .running)
    }

    private static let nodeXML = TestNodeXML.node([
        TestNodeXML.domain("web-01", uuid: webUUID, memoryMiB: 1024, devices: [
            TestNodeXML.fileDisk("/var/lib/stacktop-test/default/web-01.qcow2", target: "vda"),
            TestNodeXML.volumeDisk(pool: "default", volume: "data-01.raw", target: "vdb"),
            TestNodeXML.fileDisk("/var/lib/stacktop-test/default/shared.raw", target: "vdc"),
            TestNodeXML.fileDisk(cirrosPath, target: "vdd"),
        ]),
        TestNodeXML.domain("db-01", uuid: dbUUID, memoryMiB: 1024, devices: [
            TestNodeXML.fileDisk("/var/lib/stacktop-test/default/db-01.qcow2", target: "vda"),
            TestNodeXML.fileDisk("/var/lib/stacktop-test/default/shared.raw", target: "vdb"),
        ], runState: 5),
        TestNodeXML.domain("app-01", memoryMiB: 512, runState: 3),
        TestNodeXML.pool("images", path: "/var/lib/stacktop-test/images", gib: (100, 1, 99), volumes: [
            TestNodeXML.volume("cirros-0.6.2.qcow2", capacity: 112, allocation: 21, unit: "MiB"),
        ]),
        TestNodeXML.pool("default", path: "/var/lib/stacktop-test/default", gib: (100, 1, 99), volumes: [
            TestNodeXML.volume("web-01.qcow2", capacity: 20),
            TestNodeXML.volume("data-01.raw", capacity: 2),
            TestNodeXML.volume("shared.raw", capacity: 5),
            TestNodeXML.volume("db-01.qcow2", capacity: 10),
            TestNodeXML.volume("scratch.raw", capacity: 1),
        ]),
    ])
}

import Foundation
@testable import StacktopStore
import StacktopModel
import StacktopServices
import XCTest
import SystemTestSupport

/// `StateStore(readOnlyAt:)`: reads what the writable store wrote, refuses every write API, and
/// leaves the database file byte for byte as it was (and creates nothing when there is no file).
final class StoreReadOnlyTests: XCTestCase {
    private let snapshot = CloudSnapshot(
        instances: [Instance(id: "u1", name: "web-01", state: .running, vcpus: 2, memoryMiB: 2048)],
        takenAt: Date(timeIntervalSince1970: 1_700_000_000))

    /// A store with a row in every table, closed (so its WAL is checkpointed into the file).
    private func writeFullStore(at path: String) throws {
        let store = try StateStore(path: path)
        try store.upsertProject(Project(id: "p1", name: "web", description: "Web team"))
        try store.upsertFlavor(Flavor(id: "f1", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20))
        try store.upsertKeypair(Keypair(name: "ops", fingerprint: "aa:bb", publicKey: "ssh-ed25519 AAAA ops", project: "web"))
        try store.upsertSecurityGroup(SecurityGroup(id: "g1", name: "default", project: "web",
                                                    rules: [SecurityGroupRule(id: "r1", direction: .ingress)]))
        try store.setQuotaDefault(12, for: .instances)
        try store.setQuotaLimit(4, for: .cores, project: "web")
        try store.upsertImageMetadata(ImageMetadata(path: "/img/debian.qcow2", name: "debian-12", project: "web"))
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: "u1", project: "web", flavor: "m1.small",
                                                            securityGroups: ["default"], locked: true))
        try store.setVolumeOwner(path: "/img/web.qcow2", project: "web")
        try store.upsertNetworkOwnership(NetworkOwnership(name: "default", project: "web", shared: true))
        try store.appendAudit(action: "stop server", target: "web-01", result: .succeeded,
                              time: Date(timeIntervalSince1970: 1_700_000_100))
        try store.saveSnapshot(snapshot, for: "qemu:///system")
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    /// Every write the store offers; each must be refused on a read-only store.
    private func everyWrite(_ store: StateStore) -> [(String, () throws -> Void)] {
        [("upsertProject", { try store.upsertProject(Project(id: "p2", name: "evil")) }),
         ("deleteProject", { try store.deleteProject(named: "web") }),
         ("upsertFlavor", { try store.upsertFlavor(Flavor(id: "f2", name: "huge", vcpus: 64, ramMiB: 1, diskGiB: 1)) }),
         ("deleteFlavor", { try store.deleteFlavor(named: "m1.small") }),
         ("upsertKeypair", { try store.upsertKeypair(Keypair(name: "k2", fingerprint: "f", publicKey: "p")) }),
         ("deleteKeypair", { try store.deleteKeypair(named: "ops") }),
         ("upsertSecurityGroup", { try store.upsertSecurityGroup(SecurityGroup(id: "g2", name: "x", project: "web")) }),
         ("deleteSecurityGroup", { try store.deleteSecurityGroup(id: "g1") }),
         ("addSecurityGroupRule", { try store.addSecurityGroupRule(SecurityGroupRule(id: "r2", direction: .egress),
                                                                    toGroup: "g1") }),
         ("deleteSecurityGroupRule", { try store.deleteSecurityGroupRule(id: "r1") }),
         ("setQuotaDefault", { try store.setQuotaDefault(1, for: .instances) }),
         ("setQuotaLimit", { try store.setQuotaLimit(1, for: .cores, project: "web") }),
         ("clearQuotaLimit", { try store.clearQuotaLimit(for: .cores, project: "web") }),
         ("upsertImageMetadata", { try store.upsertImageMetadata(ImageMetadata(path: "/img/x", name: "x")) }),
         ("deleteImageMetadata", { try store.deleteImageMetadata(path: "/img/debian.qcow2") }),
         ("upsertInstanceOwnership", { try store.upsertInstanceOwnership(InstanceOwnership(uuid: "u1", locked: false)) }),
         ("deleteInstanceOwnership", { try store.deleteInstanceOwnership(uuid: "u1") }),
         ("setVolumeOwner", { try store.setVolumeOwner(path: "/img/web.qcow2", project: nil) }),
         ("upsertNetworkOwnership", { try store.upsertNetworkOwnership(NetworkOwnership(name: "default")) }),
         ("appendAudit", { try store.appendAudit(action: "delete server", target: "web-01", result: .refused) }),
         ("append", { try store.append(AuditRecord(time: Date(), project: nil, action: "a", target: "t",
                                                   result: .failed)) }),
         ("saveSnapshot", { try store.saveSnapshot(CloudSnapshot(), for: "qemu:///system") })]
    }

    private func assertEveryWriteRefused(_ store: StateStore, file: StaticString = #filePath, line: UInt = #line) {
        let writes = everyWrite(store)
        XCTAssertEqual(writes.count, 22)
        for (name, write) in writes {
            XCTAssertThrowsError(try write(), "\(name) was not refused", file: file, line: line) { error in
                guard case BackendError.readOnly(let action) = error else {
                    return XCTFail("\(name) failed with \(error), not BackendError.readOnly", file: file, line: line)
                }
                XCTAssertEqual(action, "write to the state store \(store.path)", file: file, line: line)
            }
        }
    }

    func testReadsTheSameDataRefusesEveryWriteAndLeavesTheFileUnchanged() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/state.sqlite3"
        try writeFullStore(at: path)
        let writable = try StateStore(path: path)
        let expected = try writable.localData()
        let expectedAudit = try writable.auditLog()
        let expectedDefaults = try writable.quotaDefaults()
        XCTAssertEqual(expected.projects.map(\.name), ["web"], "the fixture really holds data")
        let before = try bytes(path)

        let store = try StateStore(readOnlyAt: path)
        XCTAssertTrue(store.isReadOnly)
        XCTAssertFalse(store.isEmptyStandIn)
        XCTAssertEqual(try store.storedSchemaVersion(), StateStore.schemaVersion)
        XCTAssertEqual(try store.localData(), expected)
        XCTAssertEqual(try store.auditLog(), expectedAudit)
        XCTAssertEqual(try store.quotaDefaults(), expectedDefaults)
        XCTAssertEqual(try store.loadSnapshot(for: "qemu:///system"), snapshot)
        XCTAssertNotNil(try store.snapshotSavedAt(for: "qemu:///system"))

        assertEveryWriteRefused(store)
        XCTAssertEqual(try store.localData(), expected, "a refused write changed what the store reads")
        XCTAssertEqual(try bytes(path), before, "the store file changed")

        // The same writes do change a writable store, so the refusals above mean something.
        for (_, write) in everyWrite(writable) { try? write() }
        XCTAssertNotEqual(try writable.localData(), expected)
    }

    func testTheSnapshotCacheInReadOnlyModeWritesNothing() throws {
        let path = try makeTemporaryDirectory(self) + "/state.sqlite3"
        try writeFullStore(at: path)
        let before = try bytes(path)
        let cache = ReadOnlySnapshotCache(wrapping: try StateStore(readOnlyAt: path))
        XCTAssertEqual(try cache.loadSnapshot(for: "qemu:///system"), snapshot)
        for _ in 0..<3 { try cache.saveSnapshot(CloudSnapshot(), for: "qemu:///system") }
        XCTAssertEqual(try cache.loadSnapshot(for: "qemu:///system"), snapshot)
        XCTAssertEqual(try bytes(path), before)
    }

    func testAWriterElsewhereIsSeenByTheReadOnlyStore() throws {
        let path = try makeTemporaryDirectory(self) + "/state.sqlite3"
        try writeFullStore(at: path)
        let reader = try StateStore(readOnlyAt: path)
        let writer = try StateStore(path: path)
        try writer.upsertProject(Project(id: "p9", name: "late"))
        XCTAssertEqual(try reader.projects().map(\.name), ["web", "late"], "a wall sees what the operator changes")
    }

    func testAMissingFileIsAnEmptyStoreAndIsNotCreated() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/not/yet/state.sqlite3"
        let store = try StateStore(readOnlyAt: path)
        XCTAssertTrue(store.isReadOnly)
        XCTAssertTrue(store.isEmptyStandIn)
        XCTAssertEqual(store.path, path)
        XCTAssertEqual(try store.localData().projects, [])
        XCTAssertEqual(try store.quotaDefaults()[.instances], 10, "the empty store has the schema's defaults")
        XCTAssertNil(try store.loadSnapshot(for: "qemu:///system"))
        assertEveryWriteRefused(store)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/not"), "a folder was created")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory), [])
    }

    func testAnEmptyFileReadsAsEmptyAndStaysEmpty() throws {
        let path = try makeTemporaryDirectory(self) + "/state.sqlite3"
        FileManager.default.createFile(atPath: path, contents: Data())
        let store = try StateStore(readOnlyAt: path)
        XCTAssertTrue(store.isEmptyStandIn)
        assertEveryWriteRefused(store)
        XCTAssertEqual(try bytes(path), Data(), "no schema was written into the empty file")
    }

    func testAnOlderSchemaIsRefusedWithWhatToDoAndLeftAlone() throws {
        let path = try makeTemporaryDirectory(self) + "/old.sqlite3"
        try SQLiteDatabase(path: path).executeScript(StoreMigrations.version1 + StoreMigrations.version2
                                                     + "PRAGMA user_version = 2;")
        let before = try bytes(path)
        XCTAssertThrowsError(try StateStore(readOnlyAt: path)) { error in
            let reason = storeReason(error, path: path)
            XCTAssertTrue(reason.contains("older stacktop (schema version 2"), reason)
            XCTAssertTrue(reason.contains("run stacktop once without --readonly"), reason)
        }
        XCTAssertEqual(try bytes(path), before, "a read-only open upgraded the store")
        // What the sentence promises: a writable open upgrades it, and then read-only reads it.
        _ = try StateStore(path: path)
        XCTAssertEqual(try StateStore(readOnlyAt: path).storedSchemaVersion(), StateStore.schemaVersion)
    }

    func testNewerSchemaAndGarbageAreRefusedAndLeftAlone() throws {
        let directory = try makeTemporaryDirectory(self)
        let future = directory + "/future.sqlite3"
        try SQLiteDatabase(path: future).executeScript("CREATE TABLE future (x); PRAGMA user_version = 7;")
        let futureBytes = try bytes(future)
        XCTAssertThrowsError(try StateStore(readOnlyAt: future)) { error in
            XCTAssertTrue(storeReason(error, path: future).contains("newer stacktop"))
        }
        XCTAssertEqual(try bytes(future), futureBytes)

        let garbage = directory + "/garbage.sqlite3"
        let noise = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        try noise.write(to: URL(fileURLWithPath: garbage))
        XCTAssertThrowsError(try StateStore(readOnlyAt: garbage)) { error in
            XCTAssertTrue(storeReason(error, path: garbage).contains("not a SQLite database"))
        }
        XCTAssertEqual(try bytes(garbage), noise)
    }
}

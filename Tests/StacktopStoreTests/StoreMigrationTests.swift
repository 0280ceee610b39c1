import Foundation
@testable import StacktopStore
import StacktopServices
import XCTest
import StoreTestSupport
import SystemTestSupport

/// The reason inside a `BackendError.store`, or a failure.
func storeReason(_ error: Error, path: String, file: StaticString = #filePath, line: UInt = #line) -> String {
    guard case BackendError.store(let errorPath, let reason) = error else {
        XCTFail("expected BackendError.store, got \(error)", file: file, line: line)
        return ""
    }
    XCTAssertEqual(errorPath, path, file: file, line: line)
    return reason
}

final class StoreMigrationTests: XCTestCase {
    func testFreshStoreIsAtLatestVersionWithWAL() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/nested/deeper/state.sqlite3"
        let store = try StateStore(path: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: path), "parent folders and file are created")
        XCTAssertEqual(try store.storedSchemaVersion(), 5)
        XCTAssertEqual(StateStore.schemaVersion, 5)
        XCTAssertEqual(try store.journalMode(), "wal")
        try store.upsertProject(.init(id: "p1", name: "admin"))
        XCTAssertTrue(FileManager.default.fileExists(atPath: path + "-wal"), "WAL writes go to the -wal file")
        // The defaults the first migration inserts.
        XCTAssertEqual(try store.quotaDefaults()[.instances], 10)
        XCTAssertEqual(try store.quotaDefaults()[.ramMiB], 51_200)
    }

    func testForeignKeysAreEnforced() throws {
        let store = try makeStore(self)
        XCTAssertThrowsError(try store.setQuotaLimit(5, for: .instances, project: "no-such-project")) { error in
            XCTAssertTrue(storeReason(error, path: store.path).contains("FOREIGN KEY"))
        }
    }

    func testReopeningKeepsDataAndVersion() throws {
        let path = try makeTemporaryDirectory(self) + "/state.sqlite3"
        try StateStore(path: path).upsertProject(.init(id: "p1", name: "admin"))
        let reopened = try StateStore(path: path)
        XCTAssertEqual(try reopened.projects().map(\.name), ["admin"])
        XCTAssertEqual(try reopened.storedSchemaVersion(), 5)
    }

    func testVersion1StoreIsUpgraded() throws {
        let path = try makeTemporaryDirectory(self) + "/old.sqlite3"
        try writeVersion1Store(at: path)

        let store = try StateStore(path: path)
        XCTAssertEqual(try store.storedSchemaVersion(), 5)
        // Old rows survive, with the new columns at their defaults.
        XCTAssertEqual(try store.projects().map(\.name), ["admin", "web"])
        let owner = try XCTUnwrap(try store.instanceOwnership(uuid: "11111111-2222-3333-4444-555555555555"))
        XCTAssertEqual(owner.project, "web")
        XCTAssertEqual(owner.flavor, "m1.small")
        XCTAssertEqual(owner.securityGroups, ["default", "web"])
        XCTAssertFalse(owner.locked)
        let audit = try store.auditLog()
        XCTAssertEqual(audit.map(\.action), ["delete"])
        XCTAssertEqual(audit.first?.result, .failed)
        XCTAssertNil(audit.first?.error)
        XCTAssertEqual(audit.first?.requestIDs, [], "version 3's column defaults to no request ids")
        XCTAssertEqual(try store.quotaLimits(project: "web")[.instances], 3)
        // The tables version 2 added work.
        try store.setVolumeOwner(path: "/var/lib/libvirt/images/web.qcow2", project: "web")
        XCTAssertEqual(try store.volumeOwners(), ["/var/lib/libvirt/images/web.qcow2": "web"])
        try store.saveSnapshot(.init(takenAt: Date(timeIntervalSince1970: 0)), for: "test:///x")
        XCTAssertNotNil(try store.loadSnapshot(for: "test:///x"))
        try store.appendAudit(action: "start", target: "web-01", result: .failed, error: "boom",
                              requestIDs: ["req-1", "req-2"])
        XCTAssertEqual(try store.auditLog(limit: 1).first?.error, "boom")
        XCTAssertEqual(try store.recent(limit: 1).first?.requestIDs, ["req-1", "req-2"])
        // Version 4's record of the disks made for an instance.
        try store.recordInstanceDisk(path: "/pool/web-root.qcow2", uuid: "u1", role: "root")
        try store.recordInstanceDisk(path: "/pool/web-seed.iso", uuid: "u1", role: "seed")
        XCTAssertEqual(try store.instanceDisks(uuid: "u1"), ["/pool/web-root.qcow2": "root", "/pool/web-seed.iso": "seed"])
        try store.forgetInstanceDisk(path: "/pool/web-seed.iso")
        XCTAssertEqual(try store.instanceDiskOwners(), ["/pool/web-root.qcow2": "u1"])
        // Version 5's volume snapshots: kept by id, listed by name, the project following the project's row.
        let nightly = VolumeSnapshotRecord(id: "vs-2", name: "nightly", volumePath: "/pool/data.qcow2", sizeBytes: 10 << 30,
                                           description: "before the upgrade", project: "web",
                                           createdAt: Date(timeIntervalSince1970: 1_700_000_000))
        let early = VolumeSnapshotRecord(id: "vs-1", name: "early", volumePath: "/pool/data.qcow2", sizeBytes: UInt64.max)
        try store.recordVolumeSnapshot(nightly)
        try store.recordVolumeSnapshot(early)
        XCTAssertEqual(try store.volumeSnapshotRecords(), [
            VolumeSnapshotRecord(id: "vs-1", name: "early", volumePath: "/pool/data.qcow2", sizeBytes: UInt64(Int64.max)),
            nightly,
        ], "a size past what SQLite holds is kept at its largest, never trapped on")
        XCTAssertEqual(try store.localData().volumeSnapshots.map(\.id), ["vs-1", "vs-2"])
        try store.deleteProject(named: "web")
        XCTAssertNil(try store.volumeSnapshotRecords().last?.project, "a deleted project leaves the snapshot unowned")
        try store.forgetVolumeSnapshot(id: "vs-1")
        XCTAssertEqual(try store.volumeSnapshotRecords().map(\.id), ["vs-2"])
    }

    func testNewerStoreIsRefusedAndLeftAlone() throws {
        let path = try makeTemporaryDirectory(self) + "/future.sqlite3"
        try SQLiteDatabase(path: path).executeScript("CREATE TABLE future (x); PRAGMA user_version = 7;")

        XCTAssertThrowsError(try StateStore(path: path)) { error in
            let reason = storeReason(error, path: path)
            XCTAssertTrue(reason.contains("newer stacktop"), reason)
            XCTAssertTrue(reason.contains("7"), reason)
            XCTAssertTrue((error as? BackendError)?.message.hasSuffix("to use another file.") ?? false)
        }
        let version = try SQLiteDatabase(path: path).query("PRAGMA user_version").first?.int(0)
        XCTAssertEqual(version, 7, "a refused store must not be modified")
    }

    func testGarbageFileGivesAClearError() throws {
        let path = try makeTemporaryDirectory(self) + "/garbage.sqlite3"
        let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 7919 &+ 13) })
        try garbage.write(to: URL(fileURLWithPath: path))

        XCTAssertThrowsError(try StateStore(path: path)) { error in
            let reason = storeReason(error, path: path)
            XCTAssertTrue(reason.contains("not a SQLite database"), reason)
            let message = (error as? BackendError)?.message ?? ""
            XCTAssertTrue(message.hasPrefix("The state store \(path) could not be used"), message)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), garbage, "the file is left as it was")
    }

    func testUnwritableLocationGivesAStoreError() throws {
        let directory = try makeTemporaryDirectory(self)
        // A regular file where a folder should be: neither the folder nor the database can be made.
        let blocker = directory + "/blocker"
        try Data("x".utf8).write(to: URL(fileURLWithPath: blocker))
        let path = blocker + "/state.sqlite3"
        XCTAssertThrowsError(try StateStore(path: path)) { error in
            XCTAssertFalse(storeReason(error, path: path).isEmpty)
        }
    }

    func testDefaultPathFollowsXDG() {
        XCTAssertEqual(StateStore.defaultPath(environment: ["XDG_STATE_HOME": "/x/state", "HOME": "/home/a"]),
                       "/x/state/stacktop/state.sqlite3")
        XCTAssertEqual(StateStore.defaultPath(environment: ["HOME": "/home/a"]),
                       "/home/a/.local/state/stacktop/state.sqlite3")
        XCTAssertEqual(StateStore.defaultPath(environment: ["XDG_STATE_HOME": "relative", "HOME": "/home/a/"]),
                       "/home/a/.local/state/stacktop/state.sqlite3", "relative XDG values are ignored")
    }

    /// A store exactly as version 1 wrote it, frozen here so later schema edits cannot change it.
    private func writeVersion1Store(at path: String) throws {
        try SQLiteDatabase(path: path).executeScript("""
            PRAGMA foreign_keys = ON;
            CREATE TABLE projects (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL DEFAULT '', enabled INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE flavors (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, vcpus INTEGER NOT NULL,
                ram_mib INTEGER NOT NULL, disk_gib INTEGER NOT NULL, is_public INTEGER NOT NULL DEFAULT 1);
            CREATE TABLE keypairs (name TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, public_key TEXT NOT NULL,
                type TEXT NOT NULL DEFAULT 'ssh',
                project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE, created_at REAL);
            CREATE TABLE security_groups (id TEXT PRIMARY KEY, name TEXT NOT NULL,
                description TEXT NOT NULL DEFAULT '',
                project TEXT REFERENCES projects(name) ON DELETE CASCADE ON UPDATE CASCADE, UNIQUE (project, name));
            CREATE TABLE security_group_rules (id TEXT PRIMARY KEY,
                group_id TEXT NOT NULL REFERENCES security_groups(id) ON DELETE CASCADE,
                position INTEGER NOT NULL DEFAULT 0,
                direction TEXT NOT NULL CHECK (direction IN ('ingress', 'egress')),
                ethertype TEXT NOT NULL DEFAULT 'IPv4', protocol TEXT, port_min INTEGER, port_max INTEGER,
                remote_cidr TEXT, remote_group TEXT);
            CREATE INDEX security_group_rules_by_group ON security_group_rules (group_id, position);
            CREATE TABLE quota_defaults (resource TEXT PRIMARY KEY, hard_limit INTEGER NOT NULL);
            CREATE TABLE quotas (project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE ON UPDATE CASCADE,
                resource TEXT NOT NULL, hard_limit INTEGER NOT NULL, PRIMARY KEY (project, resource));
            CREATE TABLE image_metadata (path TEXT PRIMARY KEY, name TEXT NOT NULL, os TEXT,
                min_disk_gib INTEGER NOT NULL DEFAULT 0, min_ram_mib INTEGER NOT NULL DEFAULT 0,
                visibility TEXT NOT NULL DEFAULT 'public',
                project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE, created_at REAL);
            CREATE TABLE instance_ownership (uuid TEXT PRIMARY KEY,
                project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
                flavor TEXT, image TEXT, keypair TEXT, security_groups TEXT NOT NULL DEFAULT '[]', created_at REAL);
            CREATE TABLE audit_log (id INTEGER PRIMARY KEY AUTOINCREMENT, time REAL NOT NULL, project TEXT,
                action TEXT NOT NULL, target TEXT NOT NULL, result TEXT NOT NULL);
            INSERT INTO quota_defaults VALUES ('instances', 10), ('cores', 20), ('ram', 51200);
            INSERT INTO projects (id, name) VALUES ('p-admin', 'admin'), ('p-web', 'web');
            INSERT INTO quotas VALUES ('web', 'instances', 3);
            INSERT INTO instance_ownership (uuid, project, flavor, security_groups, created_at)
                VALUES ('11111111-2222-3333-4444-555555555555', 'web', 'm1.small', '["default","web"]', 1700000000);
            INSERT INTO audit_log (time, project, action, target, result)
                VALUES (1700000100, 'web', 'delete', 'web-01', 'failed');
            PRAGMA user_version = 1;
            """)
    }
}

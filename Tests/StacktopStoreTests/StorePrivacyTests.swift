import Foundation
@testable import StacktopStore
import StacktopServices
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// The store holds the inventory, the audit log and the snapshot cache: nobody else's business, and
/// never silently replaced.
final class StorePrivacyTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = NSTemporaryDirectory() + "stacktop-privacy-\(UUID().uuidString.prefix(8))"
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: directory) }

    private func mode(_ path: String) -> mode_t {
        var status = stat()
        XCTAssertEqual(stat(path, &status), 0, path)
        return status.st_mode & 0o777
    }

    func testANewStoreIsPrivateWhateverTheUmask() throws {
        let previous = umask(0)
        defer { umask(previous) }
        let path = directory + "/deeper/stacktop/state.sqlite3"
        let store = try StateStore(path: path)
        try store.upsertProject(.init(id: "p", name: "p", description: ""))   // a write, so the WAL exists
        XCTAssertEqual(mode(directory + "/deeper/stacktop"), 0o700)
        XCTAssertEqual(mode(directory + "/deeper"), 0o700)
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(mode(path + "-wal"), 0o600)
        XCTAssertEqual(mode(path + "-shm"), 0o600)
    }

    func testAnOlderStoreOthersCouldReadIsTightened() throws {
        let path = directory + "/state.sqlite3"
        _ = try StateStore(path: path)
        chmod(path, 0o644)
        _ = try StateStore(path: path)
        XCTAssertEqual(mode(path), 0o600)
    }

    func testATruncatedStoreIsReportedNotRecreated() throws {
        let path = directory + "/state.sqlite3"
        try StateStore(path: path).upsertProject(.init(id: "p", name: "p", description: ""))
        try? FileManager.default.removeItem(atPath: path + "-wal")
        try? FileManager.default.removeItem(atPath: path + "-shm")
        XCTAssertEqual(truncate(path, 0), 0)
        XCTAssertThrowsError(try StateStore(path: path)) { error in
            guard case BackendError.store(let where_, let reason) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(where_, path)
            XCTAssertTrue(reason.contains("holds no stacktop data") && reason.contains("move it aside"), reason)
        }
        XCTAssertEqual((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int), 0, "left as it was")
    }

    func testAnotherProgramsDatabaseIsReported() throws {
        let path = directory + "/other.sqlite3"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let other = try SQLiteDatabase(path: path)
        try other.executeScript("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('mine');")
        XCTAssertThrowsError(try StateStore(path: path)) { error in
            XCTAssertTrue("\(error)".contains("holds no stacktop data"), "\(error)")
        }
    }

    func testTheImmutableFallbackReadsAStoreWhoseWALCannotBeShared() throws {
        let path = directory + "/state.sqlite3"
        try StateStore(path: path).upsertProject(.init(id: "p1", name: "web", description: ""))
        // What a read-only filesystem leaves possible: reading the file itself, without -shm.
        let db = try SQLiteDatabase(path: path, readOnly: true, immutable: true)
        XCTAssertEqual(try db.query("SELECT name FROM projects").first?.string(0), "web")
        XCTAssertEqual(SQLiteDatabase.uriEscaped("/a b/c?d#e%f"), "/a%20b/c%3Fd%23e%25f")
    }
}

import Foundation
@testable import StacktopStore
import StacktopModel
import StacktopServices
import XCTest
import StoreTestSupport

final class StoreAuditAndCacheTests: XCTestCase {
    func testAuditLogIsNewestFirstAndLimited() throws {
        let store = try makeStore(self)
        let time = Date(timeIntervalSince1970: 1_700_000_000)
        // Same timestamp on purpose: order must come from append order, not the clock.
        let first = try store.appendAudit(action: "start", target: "web-01", result: .succeeded, project: "web", time: time)
        try store.appendAudit(action: "delete", target: "db-01", result: .refused, project: "web",
                              error: "read-only mode", time: time)
        try store.appendAudit(action: "stop", target: "web-02", result: .failed, error: "domain is not running", time: time)

        let log = try store.auditLog(limit: 2)
        XCTAssertEqual(log.map(\.action), ["stop", "delete"])
        XCTAssertEqual(log[0].result, .failed)
        XCTAssertNil(log[0].project)
        XCTAssertEqual(log[0].error, "domain is not running")
        XCTAssertEqual(log[1].error, "read-only mode")
        XCTAssertGreaterThan(log[0].id, log[1].id)

        let all = try store.auditLog()
        XCTAssertEqual(all.count, 3)
        XCTAssertEqual(all.last, first)
        XCTAssertEqual(all.last?.time, time)
    }

    func testSnapshotCacheRoundTrip() throws {
        let store = try makeStore(self)
        let snapshot = sampleSnapshot(takenAt: Date())

        XCTAssertNil(try store.loadSnapshot(for: "test:///demo"))
        try store.saveSnapshot(snapshot, for: "test:///demo")
        XCTAssertEqual(try store.loadSnapshot(for: "test:///demo"), snapshot)
        XCTAssertNil(try store.loadSnapshot(for: "qemu:///system"), "caches are per endpoint")
        XCTAssertNotNil(try store.snapshotSavedAt(for: "test:///demo"))

        var newer = snapshot
        newer.instances = []
        try store.saveSnapshot(newer, for: "test:///demo")
        XCTAssertEqual(try store.loadSnapshot(for: "test:///demo"), newer, "saving replaces")

        // Something the store as a protocol value offers, as the dashboard will use it.
        let cache: any SnapshotCache = store
        XCTAssertEqual(try cache.loadSnapshot(for: "test:///demo"), newer)
    }

    func testUndecodableCacheReadsAsEmpty() throws {
        let store = try makeStore(self)
        try store.withDatabase { db in
            try db.execute("INSERT INTO snapshot_cache (endpoint, snapshot, saved_at) VALUES (?, ?, 0)",
                           "test:///old", Data("{\"instances\": 3}".utf8))
        }
        XCTAssertNil(try store.loadSnapshot(for: "test:///old"))
    }

    func testStoreIsUsableFromManyTasksAtOnce() async throws {
        let store = try makeStore(self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask {
                    for step in 0..<10 {
                        try store.appendAudit(action: "start", target: "vm-\(index)-\(step)", result: .succeeded)
                        _ = try store.auditLog(limit: 5)
                    }
                }
            }
            try await group.waitForAll()
        }
        XCTAssertEqual(try store.auditLog(limit: 1000).count, 80)
    }
}

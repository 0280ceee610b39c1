import XCTest
import StacktopModel
@testable import StacktopServices
import StacktopTestSupport

/// Every (kind, action) pair the capability model knows, in several request shapes, is refused by
/// `ReadOnlyBackend` before the base backend, the audit log or the cache sees anything.
final class ReadOnlyEveryActionTests: XCTestCase {
    /// No target, one, several (a bulk action), and one with options, --yes-style and a project.
    private func requests(_ kind: ResourceKind, _ action: ActionKind) -> [ActionRequest] {
        [ActionRequest(action: action, kind: kind, targets: []),
         ActionRequest(action: action, kind: kind, targets: ["web-01"]),
         ActionRequest(action: action, kind: kind, targets: ["web-01", "web-02", "db primary"]),
         ActionRequest(action: action, kind: kind, targets: ["web-01"],
                       options: [.yes: .flag, .force: .flag, .name: .text("x"), .flavor: .text("m1.small"), .size: .integer(10)],
                       project: "admin")]
    }

    private var everyPair: [(ResourceKind, ActionKind)] {
        ResourceKind.allCases.flatMap { kind in ActionKind.allCases.map { (kind, $0) } }
    }

    func testEveryKindAndActionIsRefusedWithReadOnlyAndNeverReachesTheBackend() async throws {
        let base = InMemoryBackend()
        let readOnly = ReadOnlyBackend(wrapping: base)
        XCTAssertEqual(everyPair.count, ResourceKind.allCases.count * ActionKind.allCases.count)
        // The walk covers the newest kinds too (volume snapshots: create and delete on both backends).
        XCTAssertTrue(everyPair.contains { $0 == (.volumeSnapshot, .create) } && everyPair.contains { $0 == (.volumeSnapshot, .delete) })
        var refused = 0
        for (kind, action) in everyPair {
            XCTAssertTrue(base.capabilities.supports(action, on: kind), "the fake must offer \(action) \(kind)")
            for request in requests(kind, action) {
                do {
                    _ = try await readOnly.perform(request)
                    XCTFail("\(request.summary) was performed in read-only mode")
                } catch BackendError.readOnly(let summary) {
                    XCTAssertEqual(summary, request.summary)
                    refused += 1
                } catch {
                    XCTFail("\(request.summary) failed with \(error) instead of BackendError.readOnly")
                }
            }
        }
        XCTAssertEqual(refused, everyPair.count * 4)
        XCTAssertEqual(base.performed.count, 0, "a mutation reached the backend")
        XCTAssertTrue(readOnly.capabilities.supported.isEmpty, "read-only offers nothing")
        XCTAssertEqual(readOnly.capabilitiesWhenWritable, base.capabilities)

        // The counter does count: the same request without the wrapper reaches the backend.
        _ = try await base.perform(ActionRequest(action: .delete, kind: .instance, targets: ["web-01"]))
        XCTAssertEqual(base.performed.count, 1)
    }

    func testReadOnlyOutsideAuditingLeavesTheAuditLogEmpty() async throws {
        let base = InMemoryBackend()
        let log = InMemoryStore()
        let backend = ReadOnlyBackend(wrapping: AuditingBackend(wrapping: base, log: log))
        for (kind, action) in everyPair {
            for request in requests(kind, action) {
                await XCTAssertThrowsReadOnly(try await backend.perform(request), request.summary)
            }
        }
        XCTAssertEqual(base.performed.count, 0)
        XCTAssertEqual(try log.recent(limit: 10_000), [], "a read-only refusal wrote to the audit log")

        // The auditing wrapper alone does write, so the emptiness above means something.
        _ = try await AuditingBackend(wrapping: base, log: log)
            .perform(ActionRequest(action: .stop, kind: .instance, targets: ["web-01"]))
        XCTAssertEqual(try log.recent(limit: 10).map(\.action), ["stop server"])
    }

    func testReadOnlyAuditLogReadsButRefusesAppends() async throws {
        let log = InMemoryStore()
        try log.append(AuditRecord(time: Date(timeIntervalSince1970: 1), project: nil, action: "stop server",
                                   target: "web-01", result: .succeeded))
        let readOnly = ReadOnlyAuditLog(wrapping: log)
        XCTAssertEqual(try readOnly.recent(limit: 5).map(\.target), ["web-01"])
        XCTAssertThrowsError(try readOnly.append(AuditRecord(time: Date(), project: nil, action: "delete server",
                                                             target: "web-02", result: .refused))) { error in
            guard case BackendError.readOnly = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(log.records.count, 1, "the append reached the base log")

        // Even an auditing wrapper given the read-only log (the wrong order) cannot write a line.
        let base = InMemoryBackend()
        let backend = AuditingBackend(wrapping: ReadOnlyBackend(wrapping: base), log: readOnly)
        for (kind, action) in everyPair {
            await XCTAssertThrowsReadOnly(try await backend.perform(ActionRequest(action: action, kind: kind,
                                                                                  targets: ["web-01"])), "\(kind) \(action)")
        }
        XCTAssertEqual(log.records.count, 1)
        XCTAssertEqual(base.performed.count, 0)
    }

    func testReadOnlySnapshotCacheLoadsAndDropsSaves() throws {
        let store = InMemoryStore()
        let cached = CloudSnapshot(instances: [Instance(id: "1", name: "vm", state: .running, vcpus: 1, memoryMiB: 512)])
        try store.saveSnapshot(cached, for: "qemu:///system")
        XCTAssertEqual(store.saveCalls, 1)

        let readOnly = ReadOnlySnapshotCache(wrapping: store)
        XCTAssertEqual(try readOnly.loadSnapshot(for: "qemu:///system")?.instances.map(\.name), ["vm"],
                       "the cached first frame still loads")
        XCTAssertNoThrow(try readOnly.saveSnapshot(CloudSnapshot(), for: "qemu:///system"))
        XCTAssertNoThrow(try readOnly.saveSnapshot(CloudSnapshot(), for: "elsewhere"))
        XCTAssertEqual(store.saveCalls, 1, "a save reached the store in read-only mode")
        XCTAssertEqual(try store.loadSnapshot(for: "qemu:///system")?.instances.count, 1)
        XCTAssertNil(try store.loadSnapshot(for: "elsewhere"))
    }
}

/// Fails unless `expression` throws `BackendError.readOnly`.
private func XCTAssertThrowsReadOnly<T>(_ expression: @autoclosure () async throws -> T, _ what: String,
                                        file: StaticString = #filePath, line: UInt = #line) async {
    do {
        _ = try await expression()
        XCTFail("\(what) was not refused", file: file, line: line)
    } catch BackendError.readOnly {
    } catch {
        XCTFail("\(what) failed with \(error) instead of BackendError.readOnly", file: file, line: line)
    }
}

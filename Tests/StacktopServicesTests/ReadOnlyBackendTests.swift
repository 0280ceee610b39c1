import XCTest
import Synchronization
import StacktopModel
@testable import StacktopServices

/// A backend that counts what reaches it, so tests can prove the read-only wrapper lets nothing by.
final class CountingBackend: CloudReader, CloudMutator {
    let performed = Mutex<[ActionRequest]>([])
    let reads = Mutex(0)

    var description: BackendDescription { BackendDescription(kind: .local, endpoint: "test:///counting") }
    func snapshot() async throws -> CloudSnapshot {
        reads.withLock { $0 += 1 }
        return CloudSnapshot(instances: [Instance(id: "1", name: "vm", state: .running, vcpus: 1, memoryMiB: 512)])
    }
    func rawDefinition(instanceID: String) async throws -> String { "<domain/>" }
    func events() -> AsyncStream<BackendEvent> { AsyncStream { $0.finish() } }
    var capabilities: Capabilities {
        Capabilities(supported: Set(ActionKind.allCases.flatMap { action in
            ResourceKind.allCases.map { Capability($0, action) }
        }))
    }
    /// Requests whose first target is "broken" fail, as a real backend would.
    func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        performed.withLock { $0.append(request) }
        if request.targets.first == "broken" {
            throw BackendError.remote(what: "Deleting broken", status: 409, reason: "it is in use", requestID: "req-9")
        }
        return ActionOutcome(message: "done", requestIDs: ["req-1"])
    }
}

final class ReadOnlyBackendTests: XCTestCase {
    func testEveryActionIsRefusedBeforeReachingTheBackend() async throws {
        let base = CountingBackend()
        let readOnly = ReadOnlyBackend(wrapping: base)
        for action in ActionKind.allCases {
            for kind in ResourceKind.allCases {
                do {
                    _ = try await readOnly.perform(ActionRequest(action: action, kind: kind, targets: ["web-01"]))
                    XCTFail("\(action) \(kind) was not refused")
                } catch let error as BackendError {
                    guard case .readOnly = error else { return XCTFail("unexpected \(error)") }
                    XCTAssertTrue(error.message.hasPrefix("Refused to \(action.word) \(kind.noun) web-01"), error.message)
                    XCTAssertTrue(error.message.contains("without --readonly"))
                }
            }
        }
        XCTAssertEqual(base.performed.withLock { $0.count }, 0)
        // The same actions do reach the backend without the wrapper, so the count above can fail.
        _ = try await base.perform(ActionRequest(action: .delete, kind: .instance, targets: ["web-01"]))
        XCTAssertEqual(base.performed.withLock { $0.count }, 1)
    }

    func testReadOnlyOffersNoActionsButReadsPassThrough() async throws {
        let base = CountingBackend()
        let readOnly = ReadOnlyBackend(wrapping: base)
        XCTAssertTrue(readOnly.capabilities.supported.isEmpty)
        XCTAssertEqual(readOnly.capabilitiesWhenWritable, base.capabilities)
        XCTAssertFalse(base.capabilities.supported.isEmpty)
        let snapshot = try await readOnly.snapshot()
        XCTAssertEqual(snapshot.instances.map(\.name), ["vm"])
        XCTAssertEqual(base.reads.withLock { $0 }, 1)
        let xml = try await readOnly.rawDefinition(instanceID: "1")
        XCTAssertEqual(xml, "<domain/>")
    }

    func testResourceKindAliasesMatchTheOpenStackCLI() {
        XCTAssertEqual(ResourceKind.named("server"), .instance)
        XCTAssertEqual(ResourceKind.named("VM"), .instance)
        XCTAssertEqual(ResourceKind.named("sg"), .securityGroup)
        XCTAssertEqual(ResourceKind.named("fip"), .floatingIP)
        XCTAssertNil(ResourceKind.named("toaster"))
        XCTAssertEqual(ActionKind.named("shutdown"), .stop)
        XCTAssertEqual(ActionKind.named("hard-reboot"), .hardReboot)
        XCTAssertNil(ActionKind.named("explode"))
    }

    func testQuotaUsageFractions() {
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 9, limit: 10).fraction, 0.9)
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 3, limit: -1).remaining, nil)
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 12, limit: 10).remaining, 0)
    }
}

import XCTest
import StacktopModel
@testable import StacktopServices
import StacktopTestSupport

final class ReadOnlyBackendTests: XCTestCase {
    /// A backend that can do everything and counts what reaches it, holding one instance.
    private func countingBackend() -> InMemoryBackend {
        InMemoryBackend(snapshot: CloudSnapshot(instances: [Instance(id: "1", name: "vm", state: .running, vcpus: 1,
                                                                     memoryMiB: 512)]),
                        rawDefinitions: ["1": "<domain><name>vm</name></domain>"])
    }

    func testEveryActionIsRefusedBeforeReachingTheBackend() async throws {
        let base = countingBackend()
        let readOnly = ReadOnlyBackend(wrapping: base)
        for action in ActionKind.allCases {
            for kind in ResourceKind.allCases {
                let request = ActionRequest(action: action, kind: kind, targets: ["web-01"])
                let refused = await backendError { try await readOnly.perform(request) }
                XCTAssertEqual(refused, .readOnly(action: request.summary), "\(action) \(kind)")
            }
        }
        XCTAssertEqual(base.performed.count, 0)
        // The same actions do reach the backend without the wrapper, so the count above can fail.
        _ = try await base.perform(ActionRequest(action: .delete, kind: .instance, targets: ["web-01"]))
        XCTAssertEqual(base.performed.count, 1)
    }

    func testReadOnlyOffersNoActionsButReadsPassThrough() async throws {
        let base = countingBackend()
        let readOnly = ReadOnlyBackend(wrapping: base)
        XCTAssertTrue(readOnly.capabilities.supported.isEmpty)
        XCTAssertEqual(readOnly.capabilitiesWhenWritable, base.capabilities)
        XCTAssertFalse(base.capabilities.supported.isEmpty)
        let snapshot = try await readOnly.snapshot()
        XCTAssertEqual(snapshot.instances.map(\.name), ["vm"])
        XCTAssertEqual(base.reads, 1)
        let xml = try await readOnly.rawDefinition(instanceID: "1")
        XCTAssertEqual(xml, "<domain><name>vm</name></domain>")
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
}

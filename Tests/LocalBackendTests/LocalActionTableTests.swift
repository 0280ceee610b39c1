import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices

/// One table says which part of the backend carries out each action; what the backend offers is that table,
/// and every entry reaches a handler that knows it (a request naming nothing that exists is refused or not
/// found by the handler, never "not supported").
final class LocalActionTableTests: XCTestCase {
    func testTheCapabilitiesAreTheTable() {
        XCTAssertEqual(LocalCapabilities.all.supported, Set(LocalActionTable.handlers.keys))
        XCTAssertFalse(LocalCapabilities.all.supports(.create, on: .floatingIP))
    }

    func testEveryEntryReachesAHandlerThatKnowsIt() async throws {
        let (backend, _) = try openDemoBackend(self)
        for capability in LocalActionTable.handlers.keys.sorted(by: { "\($0.kind)\($0.action)" < "\($1.kind)\($1.action)" }) {
            let request = ActionRequest(action: capability.action, kind: capability.kind, targets: ["no-such-thing"])
            do {
                _ = try await backend.perform(request)
            } catch let error as BackendError {
                if case .unsupported = error {
                    XCTFail("\(capability.kind.rawValue) \(capability.action.word) is offered but no handler takes it")
                }
            }
        }
        let unknown = ActionRequest(action: .associate, kind: .floatingIP, targets: ["x"])
        do {
            _ = try await backend.perform(unknown)
            XCTFail("a floating IP on libvirt was performed")
        } catch {}
    }
}

import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// Floating IP and router actions from the keyboard: what the API needs besides a name comes from a form.
final class NetworkingFormTests: XCTestCase {
    private func state(panel: Panel) -> AppState {
        let capabilities = Capabilities(supported: [
            Capability(.floatingIP, .create), Capability(.floatingIP, .associate), Capability(.router, .create),
            Capability(.router, .detachInterface),
        ])
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "testcloud",
                                                             currentProject: SampleCloud.snapshot.instances.first?.project),
                             readOnly: false, capabilities: capabilities, size: Size(width: 120, height: 40),
                             now: SampleCloud.now, panel: panel)
        var cloud = NetworkingPanelTests.cloud
        cloud.networks = [Network(id: "n1", name: "public", external: true), Network(id: "n2", name: "private")]
        _ = state.handle(.snapshotLoaded(cloud, origin: .live))
        return state
    }

    private func submit(_ state: inout AppState) -> [Effect] {
        state.handle(.key(.enter))
    }

    func testAssociateAsksForTheServerAndSendsIt() throws {
        var state = state(panel: .floatingIPs)
        let address = try XCTUnwrap(state.tables[.floatingIPs]?.selectedID)
        _ = state.handle(.key(.character("A")))
        guard case .form(let form)? = state.topOverlay else { return XCTFail("no form: \(String(describing: state.status))") }
        XCTAssertTrue(form.title.hasPrefix("Associate"), form.title)
        let effects = submit(&state)
        guard case .perform(let request)? = effects.first else { return XCTFail("no request: \(effects) \(String(describing: state.status)) \(String(describing: state.topOverlay))") }
        XCTAssertEqual(request.action, .associate)
        XCTAssertEqual(request.kind, .floatingIP)
        XCTAssertFalse(request.targets.isEmpty, "the selected floating IP \(address)")
        XCTAssertEqual(request[.server], SampleCloud.snapshot.instances.first?.name)
        XCTAssertNil(request.options[.fixedIP], "an empty field is not sent")
    }

    func testAllocatingOffersOnlyExternalNetworks() throws {
        var state = state(panel: .floatingIPs)
        _ = state.handle(.key(.character("c")))
        guard case .form(let form)? = state.topOverlay else { return XCTFail("no form") }
        guard case .choice(let options, let selected) = form.fields[0].value else { return XCTFail("not a choice") }
        XCTAssertEqual(options, [FormField.none, "public"], "external networks only, or Neutron's choice")
        XCTAssertEqual(options[selected], "public", "the first external network is preselected")
    }

    func testDetachingASubnetOffersTheRoutersOwn() throws {
        var state = state(panel: .routers)
        let effects = state.runCommandLine("router detach-interface edge")
        XCTAssertEqual(effects, [])
        guard case .form(let form)? = state.topOverlay else { return XCTFail("no form: \(String(describing: state.status))") }
        guard case .choice(let options, _) = form.fields[0].value else { return XCTFail("not a choice") }
        XCTAssertEqual(options, ["private-subnet", "db-subnet"])
    }
}

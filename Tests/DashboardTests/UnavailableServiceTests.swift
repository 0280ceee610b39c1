import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// A cloud without Glance (or one that forbids it) has no images to show: the panel says why rather
/// than "No images yet.", and nothing about it is stale.
final class UnavailableServiceTests: XCTestCase {
    func testThePanelOfAServiceTheCloudDoesNotOfferShowsWhy() {
        var snapshot = SampleCloud.snapshot
        snapshot.images = []
        let why = "Listing images failed (HTTP 403): you are not authorized; ask a cloud administrator for a role that allows it."
        snapshot.unavailableParts = [StalePart(what: "images", reason: why)]
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "peer"), readOnly: false,
                             size: Size(width: 160, height: 24), now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        state.panel = .images
        let screen = DashboardView.render(state).text
        XCTAssertTrue(screen.contains(why), screen)
        XCTAssertFalse(screen.contains("No images yet."), screen)
        XCTAssertFalse(screen.contains("STALE"), "a service that is not there is not stale:\n\(screen)")
    }
}

/// The details view shows what a backend adds, whatever the backend: the UI knows no libvirt.
final class BackendDetailBlocksTests: XCTestCase {
    func testABackendsExtraSectionIsShownAndNoOtherIsInvented() throws {
        var snapshot = SampleCloud.snapshot
        let group = SecurityGroup(id: "g1", name: "web", project: "engineering",
                                  rules: [SecurityGroupRule(id: "r1", direction: .ingress)])
        snapshot.securityGroups = [group]
        snapshot.extraDetails = [DetailBlock.key(kind: "secgroup", id: group.id):
                                    [DetailBlock(title: "As enforced by the backend", lines: ["rule one", "rule two"])]]
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "peer"), readOnly: false,
                             size: Size(width: 120, height: 40), now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        state.panel = .securityGroups
        _ = state.perform(.openDetails)
        let screen = DashboardView.render(state).text
        XCTAssertTrue(screen.contains("As enforced by the backend") && screen.contains("rule two"), screen)

        snapshot.extraDetails = [:]
        var local = AppState(backend: BackendDescription(kind: .local, endpoint: "host"), readOnly: false,
                             size: Size(width: 120, height: 40), now: SampleCloud.now)
        _ = local.handle(.snapshotLoaded(snapshot, origin: .live))
        local.panel = .securityGroups
        _ = local.perform(.openDetails)
        XCTAssertFalse(DashboardView.render(local).text.contains("network filter"), "the UI adds no libvirt of its own")
    }
}

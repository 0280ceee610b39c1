import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// Every panel of the demo cloud as text, at fixed sizes. Run with STACKTOP_RECORD_SNAPSHOTS=1 to rewrite
/// the files after a deliberate change, then read the diff.
final class ScreenSnapshotTests: XCTestCase {
    static let snapshotDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots")

    private func demoState(size: Size, glyphs: Glyphs = .unicode) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: false, theme: .builtIn, glyphs: glyphs,
                             size: size, now: demo.snapshot.takenAt)
        _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
        return state
    }

    func testEveryPanelAtBothSizes() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            for panel in Panel.allCases {
                state.panel = panel
                try assertScreenSnapshot(state, named: "\(panel.word)-\(size)")
            }
        }
    }

    /// The tab bar on its own: every panel's tab, the active one marked, scrolled so the active tab shows.
    func testTabBarAtBothSizes() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            for panel in [Panel.overview, .instances, .volumeSnapshots, .hypervisors] {
                state.panel = panel
                try assertTabBarSnapshot(state, named: "tabs-\(panel.word)-\(size)")
            }
        }
    }

    func testDetailsHelpAndFilterScreens() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40))
        state.panel = .instances
        _ = state.perform(.openDetails)
        try assertScreenSnapshot(state, named: "instance-details-120x40")
        state.overlays.removeAll()
        _ = state.perform(.help)
        try assertScreenSnapshot(state, named: "help-instances-120x40")
        state.overlays.removeAll()
        for key in "/web" { _ = state.handle(.key(.character(key))) }
        try assertScreenSnapshot(state, named: "instances-filtered-120x40")
        state = try await demoState(size: Size(width: 120, height: 40))
        state.panel = .securityGroups
        _ = state.handle(.key(.character("j")))
        _ = state.perform(.openDetails)
        try assertScreenSnapshot(state, named: "secgroup-details-120x40")
        state = try await demoState(size: Size(width: 80, height: 24))
        state.panel = .networks
        _ = state.perform(.openDetails)
        try assertScreenSnapshot(state, named: "network-details-80x24")
    }

    func testConfirmationDialogsAndAuditLog() async throws {
        let capabilities = Capabilities(supported: [Capability(.instance, .stop), Capability(.instance, .delete),
                                                    Capability(.instance, .reboot)])
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            state.capabilities = capabilities
            state.panel = .instances
            _ = state.handle(.key(.character("O")))
            try assertScreenSnapshot(state, named: "confirm-stop-\(size)")
            _ = state.handle(.key(.escape))
            _ = state.handle(.key(.character("D")))
            for key in "backup" { _ = state.handle(.key(.character(key))) }
            try assertScreenSnapshot(state, named: "confirm-delete-\(size)")
        }
        var wizard = try await demoState(size: Size(width: 120, height: 40))
        wizard.capabilities = Capabilities(supported: [Capability(.instance, .create)])
        wizard.panel = .instances
        _ = wizard.handle(.key(.character("c")))
        for key in "web-04" { _ = wizard.handle(.key(.character(key))) }
        try assertScreenSnapshot(wizard, named: "launch-wizard-120x40")
        var small = wizard
        small.size = Size(width: 80, height: 24)
        try assertScreenSnapshot(small, named: "launch-wizard-80x24")

        var state = try await demoState(size: Size(width: 120, height: 40))
        _ = state.runCommandLine("audit")
        let time = state.now
        _ = state.handle(.auditLoaded([
            AuditRecord(time: time, project: "engineering", action: "delete server", target: "tiny-test",
                        result: .failed, error: "tiny-test is locked: unlock it first."),
            AuditRecord(time: time.addingTimeInterval(-60), project: "engineering", action: "reboot server",
                        target: "web-01, web-02", result: .succeeded, requestIDs: ["req-7f3a"]),
        ]))
        try assertScreenSnapshot(state, named: "audit-120x40")
    }

    func testTopologyShowsEveryNetworkWithItsInstances() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40))
        _ = state.runCommandLine("topology")
        try assertScreenSnapshot(state, named: "topology-120x40")
        let text = DashboardView.render(state).text
        for network in state.snapshot?.networks ?? [] { XCTAssertTrue(text.contains(network.name + "  ["), network.name) }
    }

    func testASCIIFallback() async throws {
        var state = try await demoState(size: Size(width: 80, height: 24), glyphs: .ascii)
        state.panel = .instances
        try assertScreenSnapshot(state, named: "instances-ascii-80x24")
        state.panel = .overview
        try assertScreenSnapshot(state, named: "overview-ascii-80x24")
        let text = DashboardView.render(state).text
        XCTAssertFalse(text.unicodeScalars.contains { $0.value >= 0x2500 && $0.value < 0x2600 }, "box drawing in ASCII mode")
    }

    func testReadOnlyAndCachedBadges() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40))
        state.readOnly = true
        state.origin = .cached
        let firstLine = DashboardView.render(state).text.split(separator: "\n")[0]
        XCTAssertTrue(firstLine.contains("READ-ONLY") && firstLine.contains("CACHED") && firstLine.contains("DEMO"),
                      String(firstLine))
    }
}

/// The demo cloud (`DemoCloud`: what `stacktop --demo` first shows, as a value) read through the in-memory
/// backend, as the runner reads a backend. A fresh backend per test.
enum DemoCloudFixture {
    struct Opened { var description: BackendDescription; var snapshot: CloudSnapshot }

    /// Screens show ages and dates; a fixed clock keeps the snapshots stable from day to day.
    static let now = DemoCloud.now

    static func open() async throws -> Opened {
        let backend = DemoCloud.backend()
        return Opened(description: backend.description, snapshot: try await backend.snapshot())
    }
}

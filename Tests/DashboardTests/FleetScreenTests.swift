import XCTest
import Foundation
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// The fleet view's screens and keys over the demo cloud read twice (lab-a live, lab-b stale: same names and
/// ids on both, as two hosts made from one template) and a lab-c that never answered.
final class FleetScreenTests: XCTestCase {
    private static let actions = Capabilities(supported: Set([ActionKind.stop, .start, .reboot].map { Capability(.instance, $0) }))

    private func fleetState(size: Size, members count: Int = 3) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var members = [FleetMember(context: "lab-a", snapshot: demo.snapshot, health: .up),
                       FleetMember(context: "lab-b", snapshot: demo.snapshot,
                                   health: .stale(reason: "Could not connect to lab-b: the host went away.")),
                       FleetMember(context: "lab-c", snapshot: CloudSnapshot(takenAt: Date(timeIntervalSince1970: 0)),
                                   health: .down(reason: "lab-c did not open within 30 s; stacktop tries again on its own."))]
        members = Array(members.prefix(count))
        let snapshot = CloudSnapshot.merging(members, takenAt: demo.snapshot.takenAt)
        var state = AppState(backend: BackendDescription(kind: .fleet, endpoint: "fleet lab-a,lab-b,lab-c"), readOnly: false,
                             capabilities: Self.actions, theme: .builtIn, glyphs: .unicode, size: size,
                             now: demo.snapshot.takenAt)
        state.refresh.clock = demo.snapshot.takenAt
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        return state
    }

    private func press(_ keys: [Key], _ state: inout AppState) {
        for key in keys { _ = state.handle(.key(key)) }
    }

    func testInstancesAndOverviewScreens() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await fleetState(size: size)
            state.panel = .instances
            try assertScreenSnapshot(state, named: "fleet-instances-\(size)")
            state.panel = .overview
            try assertScreenSnapshot(state, named: "fleet-overview-\(size)")
        }
        let state = try await fleetState(size: Size(width: 120, height: 40))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("fleet of 3: 1 up, 1 stale, 1 down"), text)
        XCTAssertTrue(text.contains("lab-b is stale (last read"), text)
        XCTAssertTrue(text.contains("lab-c is down: lab-c did not open"), text)
    }

    func testRowsAreQualifiedAndEveryKindReadsItsOwnContext() async throws {
        let state = try await fleetState(size: Size(width: 120, height: 40))
        let snapshot = try XCTUnwrap(state.snapshot)
        let demoCount = try XCTUnwrap(snapshot.fleet?[0].snapshot.volumes.count)
        let volumes = try XCTUnwrap(KindSpec.of(.volume)).rows(snapshot)
        XCTAssertEqual(volumes.count, 2 * demoCount, "lab-c has none")
        XCTAssertEqual(Set(volumes.map(\.id)).count, volumes.count, "the same volume on two hosts is two rows")
        XCTAssertTrue(volumes.allSatisfy { $0.values.last == .text(String(FleetID.context(of: $0.id)!)) },
                      "the Context column holds each row's context")
        let table = try XCTUnwrap(KindSpec.of(.volume))
        XCTAssertEqual(table.columns(for: snapshot).first { $0.leading }?.title, "Context")
        // A volume's details name what it is attached to within its own host.
        let attached = try XCTUnwrap(snapshot.fleet?[1].snapshot.volumes.first { !$0.attachedTo.isEmpty })
        let id = FleetID.qualified(attached.id, context: "lab-b")
        XCTAssertEqual(table.name(snapshot, id), attached.name + "@lab-b")
        XCTAssertNotNil(table.details(snapshot, id))
        XCTAssertTrue(table.holds(snapshot, attached.name + "@lab-b"))
        XCTAssertFalse(table.holds(snapshot, attached.name + "@lab-c"))
        XCTAssertTrue(table.names(snapshot).contains(attached.name + "@lab-a"))

        // One context: no Context column, names still qualified (actions need the context).
        let single = try await fleetState(size: Size(width: 120, height: 40), members: 1)
        XCTAssertEqual(table.columns(for: single.snapshot).count, table.columns.count)
        XCTAssertEqual(table.name(try XCTUnwrap(single.snapshot), FleetID.qualified(attached.id, context: "lab-a")),
                       attached.name + "@lab-a")
    }

    func testFilterByContextAndActOnRowsOfTwoContexts() async throws {
        var state = try await fleetState(size: Size(width: 120, height: 40))
        state.panel = .instances
        let all = try XCTUnwrap(state.tables[.instances]).count
        state.tables[.instances]?.setFilter("@lab-b")
        let onlyB = try XCTUnwrap(state.tables[.instances])
        XCTAssertEqual(onlyB.count * 2, all)
        XCTAssertTrue(onlyB.visible.allSatisfy { onlyB.rows[$0].id.hasSuffix("@lab-b") })
        state.tables[.instances]?.setFilter("@lab-b web")
        let narrowed = try XCTUnwrap(state.tables[.instances])
        XCTAssertTrue(narrowed.count > 0 && narrowed.count < onlyB.count, "\(narrowed.count) of \(onlyB.count)")
        XCTAssertTrue(narrowed.visible.allSatisfy { narrowed.rows[$0].searchText.contains("web") })
        state.tables[.instances]?.setFilter("@lab")
        XCTAssertEqual(state.tables[.instances]?.count, all, "a prefix keeps both")

        // Mark one running row of each context: the question names both, with their contexts.
        state.tables[.instances]?.setFilter("")
        let model = try XCTUnwrap(state.tables[.instances])
        let running = try XCTUnwrap(state.snapshot?.instances.first { $0.state == .running })
        let local = String(running.id.prefix { $0 != "@" })
        for context in ["lab-a", "lab-b"] {
            let position = try XCTUnwrap(model.visible.firstIndex { model.rows[$0].id == FleetID.qualified(local, context: context) })
            state.tables[.instances]?.setCursor(position)
            state.tables[.instances]?.toggleMark()
        }
        XCTAssertEqual(state.tables[.instances]?.marked.count, 2, "\(model.marked)")
        press([.character("O")], &state)
        guard case .confirm(let pending)? = state.topOverlay else { return XCTFail("no question: \(String(describing: state.status))") }
        XCTAssertEqual(pending.request.targets, [running.name + "@lab-a", running.name + "@lab-b"])
    }

    func testFleetCommandAsksTheRunnerAndRefusesUnknownNames() async throws {
        var state = try await fleetState(size: Size(width: 80, height: 24))
        state.contexts = ContextList([StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "test:///a.xml"),
                                      StacktopContext(name: "lab-b", kind: .libvirt, endpoint: "test:///b.xml")])
        XCTAssertEqual(state.runCommandLine("fleet lab-a,nosuch"), [])
        XCTAssertEqual(state.status?.text, "There is no context named \"nosuch\"; the known ones are lab-a, lab-b.")
        XCTAssertEqual(state.runCommandLine("fleet lab-b"),
                       [.switchContext(StacktopContext(name: "fleet", kind: .fleet, endpoint: "lab-b"))])
        XCTAssertEqual(state.runCommandLine("fleet"), [.switchContext(StacktopContext(name: "fleet", kind: .fleet, endpoint: ""))])
    }
}

/// The messages screen gives times in the local time zone the runner's clock reports.
final class MessageTimesTests: XCTestCase {
    func testMessageTimesAreLocalWhenTheClockSaysSo() {
        var state = AppState(backend: BackendDescription(kind: .demo, endpoint: "demo"), readOnly: false, theme: .builtIn,
                             glyphs: .unicode, size: Size(width: 80, height: 24), now: Date(timeIntervalSince1970: 3600))
        _ = state.handle(.clock(Date(timeIntervalSince1970: 3600), utcOffsetSeconds: 5400))
        state.status = StatusMessage("Shut off web-01.")
        _ = state.runCommandLine("messages")
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("local times (UTC+01:30)"), text)
        XCTAssertTrue(text.contains("02:30:00  Shut off web-01."), "01:00 UTC is 02:30 here: \(text)")
        XCTAssertEqual(Format.utcOffset(-18000), "UTC-05:00")
    }
}

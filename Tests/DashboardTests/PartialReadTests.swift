import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// A large cloud's first read arrives in pieces (names first, details page by page): rows show as they
/// come, honestly marked while their details load, with a progress figure; and what the dashboard
/// tells the backend about each read (the kinds on screen, `r` for everything).
final class PartialReadTests: XCTestCase {
    private let lifecycle = Capabilities(supported: Set([ActionKind.start, .stop].map { Capability(.instance, $0) }))

    private func state(panel: Panel = .instances) -> AppState {
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "cloud", currentProject: "admin"),
                             readOnly: false, capabilities: lifecycle, size: Size(width: 120, height: 40),
                             now: SampleCloud.now, panel: panel)
        state.refresh.refreshSeconds = 2
        return state
    }

    private static func loading(_ id: String, _ name: String) -> Instance {
        Instance(id: id, name: name, state: .loading, vcpus: 0, memoryMiB: 0)
    }

    private static func detailed(_ id: String, _ name: String) -> Instance {
        Instance(id: id, name: name, state: .running, vcpus: 4, memoryMiB: 8192)
    }

    func testPiecesShowAsTheyArriveWithProgressAndTheWholeReadEndsIt() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotPartial(PartialSnapshot(instances: [Self.detailed("a", "alpha")], loaded: 1, total: nil)))
        XCTAssertEqual(state.snapshot?.instances.map(\.name), ["alpha"])
        XCTAssertEqual(state.status?.text, "Loading servers 1/?…")
        XCTAssertEqual(state.origin, .live, "rows from the cloud itself, not the cache")

        _ = state.handle(.snapshotPartial(PartialSnapshot(
            instances: [Self.detailed("a", "alpha"), Self.loading("b", "bravo"), Self.loading("c", "charlie")],
            loaded: 1, total: 3)))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("Loading servers 1/3…"), text)
        let bravo = text.split(separator: "\n").first { $0.contains("bravo") }.map(String.init) ?? ""
        XCTAssertTrue(bravo.contains("Loading…"), "a row without its details says so: \(bravo)")
        XCTAssertFalse(bravo.contains(" 0 "), "no size is invented for it: \(bravo)")

        var whole = CloudSnapshot(takenAt: SampleCloud.now)
        whole.instances = [Self.detailed("a", "alpha"), Self.detailed("b", "bravo"), Self.detailed("c", "charlie")]
        _ = state.handle(.snapshotLoaded(whole, origin: .live))
        XCTAssertNil(state.status, "the progress figure leaves with its read")
        XCTAssertNil(state.loadProgress)
        XCTAssertFalse(DashboardView.render(state).text.contains("Loading"))
    }

    /// Pieces come in any order (a fleet's contexts finish as they do): a cursor nobody moved stays on the
    /// first row instead of following the row that came first down the list; one the user moved follows its row;
    /// the whole read keeps what is selected.
    func testPiecesLeaveAnUntouchedCursorOnTheFirstRowAndAMovedOneOnItsRow() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotPartial(PartialSnapshot(instances: [Self.detailed("m", "mike")], loaded: 1, total: 3)))
        XCTAssertEqual(state.tables[.instances]?.selectedRow?.id, "m")
        _ = state.handle(.snapshotPartial(PartialSnapshot(
            instances: [Self.detailed("m", "mike"), Self.detailed("a", "alpha")], loaded: 2, total: 3)))
        XCTAssertEqual(state.tables[.instances]?.selectedRow?.id, "a", "alpha sorts first, and the cursor was never moved")
        XCTAssertEqual(state.tables[.instances]?.cursor, 0)

        _ = state.handle(.key(.down))
        XCTAssertEqual(state.tables[.instances]?.selectedRow?.id, "m")
        _ = state.handle(.snapshotPartial(PartialSnapshot(
            instances: [Self.detailed("m", "mike"), Self.detailed("a", "alpha"), Self.detailed("b", "bravo")],
            loaded: 3, total: 3)))
        XCTAssertEqual(state.tables[.instances]?.selectedRow?.id, "m", "the row the user went to stays selected")

        var whole = CloudSnapshot(takenAt: SampleCloud.now)
        whole.instances = [Self.detailed("m", "mike"), Self.detailed("a", "alpha"), Self.detailed("b", "bravo"),
                           Self.detailed("0", "0-first")]
        _ = state.handle(.snapshotLoaded(whole, origin: .live))
        XCTAssertEqual(state.tables[.instances]?.selectedRow?.id, "m")
    }

    func testARowStillLoadingKeepsWhatTheScreenShowedForIt() {
        var state = state()
        var cached = CloudSnapshot(takenAt: SampleCloud.now)
        cached.instances = [Self.detailed("b", "bravo")]
        cached.volumes = SampleCloud.snapshot.volumes
        _ = state.handle(.snapshotLoaded(cached, origin: .cached))
        _ = state.handle(.started)
        _ = state.handle(.snapshotPartial(PartialSnapshot(
            instances: [Self.detailed("a", "alpha"), Self.loading("b", "bravo"), Self.loading("c", "charlie")],
            loaded: 1, total: 3)))
        XCTAssertEqual(state.snapshot?.instances.map(\.state), [.running, .running, .loading])
        XCTAssertEqual(state.origin, .cached, "still marked CACHED until the read is done")
        XCTAssertEqual(state.snapshot?.volumes, cached.volumes, "other kinds stay as they were")
    }

    func testAPieceAfterItsReadFinishedIsDropped() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        _ = state.handle(.snapshotPartial(PartialSnapshot(instances: [Self.loading("x", "late")], loaded: 0, total: 1)))
        XCTAssertEqual(state.snapshot, SampleCloud.snapshot)
        XCTAssertNil(state.loadProgress)
    }

    func testAFailedReadTakesItsProgressAway() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotPartial(PartialSnapshot(instances: [Self.loading("x", "x")], loaded: 0, total: 1)))
        _ = state.handle(.loadFailed(message: "Nova went away."))
        XCTAssertNil(state.loadProgress)
        XCTAssertNotEqual(state.status?.text, "Loading servers 0/1…")
    }

    func testAnActionOnARowStillLoadingGoesByItsName() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotPartial(PartialSnapshot(instances: [Self.loading("b", "bravo")], loaded: 0, total: 1)))
        let effects = state.handle(.key(.character("S")))
        XCTAssertEqual(effects, [.perform(ActionRequest(action: .start, kind: .instance, targets: ["bravo"],
                                                        project: "admin"))])
    }

    func testEachReadSaysWhichKindsAreOnScreen() {
        var overview = state(panel: .overview)
        _ = overview.handle(.started)
        XCTAssertEqual(overview.refresh.request, ReadRequest(kindsInView: [.instance], full: false))

        var volumes = state(panel: .volumes)
        _ = volumes.handle(.started)
        XCTAssertEqual(volumes.refresh.request.kindsInView, [.instance, .volume])
    }

    func testRAsksForAFullReadOnceEvenWhenItWaitsBehindAnother() {
        var state = state()
        _ = state.handle(.started)
        XCTAssertFalse(state.refresh.request.full, "the first read is an ordinary one")
        _ = state.handle(.key(.character("r")))   // queued behind the read on its way
        let effects = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertTrue(effects.contains(.refresh))
        XCTAssertTrue(state.refresh.request.full, "the queued read is the full one r asked for")
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        _ = state.handle(.clock(SampleCloud.now.addingTimeInterval(10)))
        XCTAssertTrue(state.refresh.loading)
        XCTAssertFalse(state.refresh.request.full, "the timer's reads after it are ordinary again")
    }
}

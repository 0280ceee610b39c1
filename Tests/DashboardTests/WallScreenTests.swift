import XCTest
import Foundation
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// The wall screen as text at the three sizes it is made for, plus what it writes while idle.
/// Record with STACKTOP_RECORD_SNAPSHOTS=1 after a deliberate change, then read the diff.
final class WallScreenTests: XCTestCase {
    /// The demo cloud on a wall that has run for an hour: the host's load rose and fell, two
    /// instances changed state, one was deleted.
    static func hourOnTheWall(size: Size, settings: WallSettings = WallSettings()) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        let start = DemoCloudFixture.now.addingTimeInterval(-3600)
        var state = AppState(backend: demo.description, readOnly: false, theme: .builtIn, glyphs: .unicode,
                             size: size, now: start)
        state.enterWall(settings)
        for minute in 0...60 {
            var snapshot = demo.snapshot
            let time = start.addingTimeInterval(Double(minute * 60))
            snapshot.takenAt = time
            for index in snapshot.hypervisors.indices {
                // A deterministic daily-looking curve: busy in the middle of the hour.
                let phase = Double(minute) / 60
                snapshot.hypervisors[index].cpuUtilization = 0.15 + 0.7 * phase * (1 - phase) * 4 * 0.9
                snapshot.hypervisors[index].memoryUsedMiB = Int(Double(snapshot.hypervisors[index].memoryMiB ?? 0)
                                                                * (0.4 + 0.3 * phase))
            }
            if minute >= 20, let web = snapshot.instances.firstIndex(where: { $0.state == .running }) {
                snapshot.instances[web].state = .shutoff
            }
            if minute >= 45 { snapshot.instances.removeLast() }
            if minute >= 50, let crashed = snapshot.instances.firstIndex(where: { $0.state == .crashed }) {
                snapshot.instances[crashed].state = .running
            }
            _ = state.handle(.tick(time))
            _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        }
        return state
    }

    func testWallOverviewAtThreeSizes() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40), Size(width: 240, height: 67)] {
            let state = try await Self.hourOnTheWall(size: size)
            let text = DashboardView.render(state).text
            XCTAssertTrue(text.contains("READ-ONLY"), "the wall says it is read-only at \(size)")
            XCTAssertTrue(text.contains("deleted"), "the deletion is among the recent events at \(size)")
            XCTAssertFalse(text.contains("? help"), "no keyboard chrome on the wall at \(size)")
            try assertScreenSnapshot(state, named: "wall-overview-\(size)")
        }
    }

    func testStaleWallSaysWhatIsWrongAndKeepsTheData() async throws {
        var state = try await Self.hourOnTheWall(size: Size(width: 80, height: 24))
        let failedAt = state.now.addingTimeInterval(5)
        _ = state.handle(.tick(failedAt))
        let message = "The libvirt daemon at test:///demo cannot be reached: connection refused; stacktop retries by itself."
        _ = state.handle(.loadFailed(message: message))
        _ = state.handle(.tick(failedAt.addingTimeInterval(40)))
        _ = state.handle(.loadFailed(message: message))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("STALE for 40 s"), text)
        XCTAssertTrue(text.contains("2 tries so far"), text)
        XCTAssertTrue(text.contains("Instances · 15"), "the last good data stays on screen")
        try assertScreenSnapshot(state, named: "wall-stale-80x24")

        // Recovery by itself: the next good load clears the banner and says so among the events.
        var snapshot = try XCTUnwrap(state.snapshot)
        snapshot.takenAt = failedAt.addingTimeInterval(45)
        _ = state.handle(.tick(failedAt.addingTimeInterval(45)))
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        let recovered = DashboardView.render(state).text
        XCTAssertFalse(recovered.contains("STALE"), recovered)
        XCTAssertTrue(recovered.contains("Data is live again after 45 s stale"), recovered)
    }

    func testAnIdleWallWritesOnlyItsClockAndNothingWithoutIt() async throws {
        let encoder = ANSIDiffEncoder()
        for hideClock in [false, true] {
            var state = try await Self.hourOnTheWall(size: Size(width: 120, height: 40),
                                                     settings: WallSettings(hideClock: hideClock))
            let snapshot = try XCTUnwrap(state.snapshot)
            var before = DashboardView.render(state)
            var total = 0
            // Ten refreshes two seconds apart with nothing changed.
            for step in 1...10 {
                let time = state.now.addingTimeInterval(2)
                var same = snapshot
                same.takenAt = time
                _ = state.handle(.tick(time))
                _ = state.handle(.snapshotLoaded(same, origin: .live))
                let after = DashboardView.render(state)
                let changed = after.changes(since: before)
                if hideClock {
                    XCTAssertEqual(changed.count, 0, "refresh \(step) with --no-clock changed \(changed.count) cells")
                } else {
                    // Only the header row (clock and age) may change.
                    XCTAssertTrue(changed.allSatisfy { $0.y == 0 }, "refresh \(step) changed cells below the header")
                }
                total += encoder.bytes(from: before, to: after).count
                before = after
            }
            if hideClock { XCTAssertEqual(total, 0) } else { XCTAssertGreaterThan(total, 0, "the clock moves") }
        }
    }

    func testAnASCIIWallDrawsNoTypographyOrBoxCharacters() async throws {
        var state = try await Self.hourOnTheWall(size: Size(width: 80, height: 24))
        state.glyphs = .ascii
        let text = DashboardView.render(state).text
        let unicodeChrome = Set("·→∞─│┌┐└┘█░▁▂▃▄▅▆▇")
        XCTAssertFalse(text.contains { unicodeChrome.contains($0) }, text)
        XCTAssertTrue(text.contains("Instances - 15"), text)
        XCTAssertTrue(text.contains("running > shut off"), text)
    }

    func testRotatedListPanelHasNoCursorAndTheHeaderCountsPanels() async throws {
        var state = try await Self.hourOnTheWall(size: Size(width: 80, height: 24),
                                                 settings: WallSettings(panels: [.overview, .volumes], rotateSeconds: 10))
        _ = state.handle(.key(.tab))
        XCTAssertEqual(state.panel, .volumes)
        let buffer = DashboardView.render(state)
        XCTAssertTrue(buffer.text.contains("2/2 Volumes"))
        let selection = state.theme[.selection]
        XCTAssertFalse((0..<buffer.size.height).contains { y in buffer[0, y].style == selection || buffer[5, y].style == selection },
                       "no row is highlighted as selected on a wall")
    }
}

import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// The console-log pane and the VNC-over-SSH instructions as text at 80x24 and 120x40, recorded
/// like `ScreenSnapshotTests` (STACKTOP_RECORD_SNAPSHOTS=1 rewrites them).
final class ConsoleSnapshotTests: XCTestCase {
    private func demoState(size: Size) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: false, theme: .builtIn, glyphs: .unicode,
                             size: size, now: demo.snapshot.takenAt)
        _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
        state.panel = .instances
        return state
    }

    func testConsoleLogPane() async throws {
        // The text the real tail reader gives for a guest's log (LocalBackendTests checks it does).
        let log = ConsoleFixture.guestLog
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            let effects = state.handle(.key(.character("T")))
            guard case .loadConsoleLog(let id)? = effects.first else { return XCTFail("T asks for the log: \(effects)") }
            _ = state.handle(.consoleLogLoaded(instanceID: id, text: log))
            try assertScreenSnapshot(state, named: "console-log-\(size)")
            for key in "/uname" { _ = state.handle(.key(.character(key))) }
            _ = state.handle(.key(.enter))
            try assertScreenSnapshot(state, named: "console-log-search-\(size)")
        }
    }

    func testVNCInstructionsOverSSH() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            let effects = state.handle(.key(.character("V")))
            guard case .openVNC(_, let name)? = effects.first else { return XCTFail("V asks for the display: \(effects)") }
            // What the real VNC plan says for this instance over SSH (LocalBackendTests checks it does).
            XCTAssertEqual(name, ConsoleFixture.vncInstance)
            _ = state.handle(.vncResult(instanceName: name, lines: ConsoleFixture.vncLinesOverSSH, failed: false))
            let screen = DashboardView.render(state).text
            XCTAssertTrue(screen.contains("ssh -L 5900:127.0.0.1:5900 alice@198.51.100.7"), screen)
            try assertScreenSnapshot(state, named: "vnc-ssh-\(size)")
        }
    }
}

import XCTest
import Foundation
import StacktopModel
import StacktopServices
import TerminalUI
import LocalBackend
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

    /// A serial log as a guest writes it: kernel lines, a banner, a prompt; read back through the real tail reader.
    private func guestLog() throws -> String {
        // The pane shows the selected demo instance's name in its title; the log's own text is fixed.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("console-snapshot-\(getpid()).log").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var lines = (0..<60).map { String(format: "[%8.6f] ", Double($0) * 0.0731) + "serial8250: ttyS0 probe step \($0)" }
        lines += ["*** web-01 READY ***", "", "web-01 login: root", "web-01# uname -r", "6.1.0-27-cloud-amd64", "web-01# "]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        return try SerialLog.tail(path: path, maxBytes: 64 * 1024, instanceName: "web-01")
    }

    func testConsoleLogPane() async throws {
        let log = try guestLog()
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
        let display = GraphicsDisplay(type: "vnc", endpoint: .tcp(host: "127.0.0.1", port: 5900))
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            let effects = state.handle(.key(.character("V")))
            guard case .openVNC(_, let name)? = effects.first else { return XCTFail("V asks for the display: \(effects)") }
            let plan = VNCPlan.decide(display: display, instanceName: name,
                                      environment: ["SSH_CONNECTION": "192.0.2.50 51234 198.51.100.7 22", "USER": "alice"],
                                      showPassword: false, findExecutable: { _ in nil })
            guard case .explain(let lines) = plan else { return XCTFail("over SSH nothing is launched: \(plan)") }
            _ = state.handle(.vncResult(instanceName: name, lines: lines, failed: false))
            let screen = DashboardView.render(state).text
            XCTAssertTrue(screen.contains("ssh -L 5900:127.0.0.1:5900 alice@198.51.100.7"), screen)
            try assertScreenSnapshot(state, named: "vnc-ssh-\(size)")
        }
    }
}

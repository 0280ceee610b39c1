import XCTest
import SystemTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `stacktop --wall` driven in tmux on the demo: rotation, pause, keys that must do nothing, the
/// quit confirmation, a restored terminal, and the bytes an idle wall writes to its terminal.
final class WallEndToEndTests: XCTestCase {
    func testWallRotatesIgnoresKeysAndQuitsOnlyWhenConfirmed() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(command: "\(TmuxHarness.binary.path) --demo --wall --panels overview,instances --rotate 2 --confirm-quit")
        var screen = tmux.waitFor(text: "Hosts · CPU and memory")
        XCTAssertTrue(screen.contains("READ-ONLY"), screen)
        XCTAssertTrue(screen.contains("1/2 Overview"), screen)
        XCTAssertFalse(screen.contains("? help") || screen.contains("q quit"), "no keyboard chrome on a wall:\n\(screen)")

        screen = tmux.waitFor(text: "2/2 Instances", timeout: 6)
        XCTAssertTrue(screen.contains("Name"), screen)
        try tmux.send("Space")
        screen = tmux.waitFor(text: "PAUSED")

        // Keys that act in the dashboard: stop, delete, launch, command line, console. None may do anything.
        for key in ["S", "O", "D", "c", "C", "n", "Enter", ":", "i", "/", "x", "Escape", "Enter"] {
            try tmux.send(key)
        }
        usleep(400_000)
        screen = tmux.screen()
        XCTAssertTrue(screen.contains("2/2 Instances") && screen.contains("PAUSED"), screen)
        XCTAssertFalse(screen.contains("Type") || screen.contains("confirm") || screen.contains("Launch"),
                       "no dialog or form opened on the wall:\n\(screen)")
        usleep(2_500_000)
        XCTAssertTrue(tmux.screen().contains("2/2 Instances"), "paused: no rotation")

        try tmux.send("q")
        tmux.waitFor(text: "Press q again to quit")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "the terminal settings are restored")
    }

    /// What reaches the terminal, counted by tmux itself: nothing at all for an idle wall without
    /// its clock, and only the clock's few cells with it.
    func testAnIdleWallWritesNothingWithoutItsClock() throws {
        try TmuxHarness.require()
        for hideClock in [true, false] {
            let flags = "--demo --wall --panels instances --refresh 0.5" + (hideClock ? " --no-clock" : "")
            let tmux = try TmuxHarness(width: 100, height: 30, command: "\(TmuxHarness.binary.path) \(flags)")
            tmux.waitFor(text: "Instances (")
            usleep(1_500_000)  // the first live load has replaced the cached frame
            let capture = tmux.workDirectory.appendingPathComponent("output.bin").path
            try tmux.tmux(["pipe-pane", "-o", "-t", tmux.session, "cat >> \(capture)"])
            usleep(6_000_000)  // about twelve refreshes
            try tmux.tmux(["pipe-pane", "-t", tmux.session])
            let bytes = (try? FileManager.default.attributesOfItem(atPath: capture)[.size] as? Int) ?? 0
            if hideClock {
                XCTAssertEqual(bytes, 0, "an idle wall with --no-clock wrote \(bytes) bytes in 6 s")
            } else {
                XCTAssertGreaterThan(bytes, 0, "the clock moves")
                XCTAssertLessThan(bytes, 6 * 120, "only the clock and the age counter change: \(bytes) bytes in 6 s")
            }
            print("idle wall \(hideClock ? "without" : "with") clock: \(bytes) bytes in 6 s")
            try tmux.send("q")
            XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        }
    }

    /// The wall's high-contrast theme is a file beside the sources; a binary installed elsewhere (no themes
    /// folder above it) must still open its wall, in the built-in theme, rather than exit.
    func testAWallOpensFromABinaryCopiedAwayFromItsThemes() throws {
        try TmuxHarness.require()
        let directory = try makeTemporaryDirectory(self)
        let copy = directory + "/stacktop"
        try FileManager.default.copyItem(atPath: TmuxHarness.binary.path, toPath: copy)
        let tmux = try TmuxHarness(command: "\(copy) --demo --wall --panels instances")
        let screen = tmux.waitFor(text: "Instances (")
        XCTAssertTrue(screen.contains("READ-ONLY"), screen)
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }
}

import XCTest
import SystemTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A wall on the real libvirtd while the daemon dies and comes back: the data stays on screen
/// marked stale with the reason, then the wall recovers by itself, without a restart.
/// Runs with STACKTOP_QEMU=1 (root, after `swift build`), as .ci/run does.
final class QEMUWallTests: XCTestCase {
    static let pidFile = "/tmp/vmpeer/libvirtd.pid"

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_QEMU"] == "1" else {
            throw XCTSkip("Real-guest wall tests run with STACKTOP_QEMU=1 (root, after `swift build`), as .ci/run does.")
        }
        try TmuxHarness.require()
        try QEMUConsoleTests.ensureGuestRunning()
    }

    func testWallShowsStaleDataWhileLibvirtdIsDownAndRecoversByItself() throws {
        let tmux = try TmuxHarness(command: "\(TmuxHarness.binary.path) --connect \(QEMUConsoleTests.uri) --wall --refresh 1 "
                                   + "--state \(FileManager.default.temporaryDirectory.path)/stacktop-wall-\(getpid()).sqlite3")
        var screen = tmux.waitFor(text: "Hosts · CPU and memory", timeout: 15)
        screen = tmux.waitFor("live data") { !$0.contains("Loading") && !$0.contains("last known data") }
        XCTAssertFalse(screen.contains("STALE"), screen)
        XCTAssertTrue(screen.contains("Running"), "the running guest is counted:\n\(screen)")

        defer { _ = Self.startLibvirtd() }
        try Self.stopLibvirtd()
        screen = tmux.waitFor(text: "STALE for", timeout: 15)
        XCTAssertTrue(screen.contains("qemu:///system"), "the banner names what cannot be reached:\n\(screen)")
        XCTAssertTrue(screen.contains("Running"), "the last good data stays on screen:\n\(screen)")

        XCTAssertTrue(Self.startLibvirtd(), "libvirtd came back")
        // Backoff is 1, 2, 4, 8 s…: the wall must be live again well within half a minute.
        screen = tmux.waitFor("the wall to recover", timeout: 40) { !$0.contains("STALE") }
        XCTAssertTrue(screen.contains("Data is live again after"), screen)
        XCTAssertTrue(try QEMUConsoleTests.virsh("domstate", QEMUConsoleTests.guest).output.contains("running"),
                      "a daemon restart leaves the guest running")

        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// After a reboot the wall may start before libvirtd: it must not exit, nor show the demo, but wait.
    func testAWallStartedBeforeLibvirtdWaitsForIt() throws {
        defer { _ = Self.startLibvirtd() }
        try Self.stopLibvirtd()
        let tmux = try TmuxHarness(command: "\(TmuxHarness.binary.path) --wall --refresh 1 "
                                   + "--state \(FileManager.default.temporaryDirectory.path)/stacktop-wall-early-\(getpid()).sqlite3")
        var screen = tmux.waitFor(text: "STALE for", timeout: 15)
        XCTAssertTrue(screen.contains("qemu:///system"), "with no URI a wall watches the local libvirt:\n\(screen)")
        XCTAssertFalse(screen.contains("DEMO"), "never the demo on a wall:\n\(screen)")

        XCTAssertTrue(Self.startLibvirtd(), "libvirtd came back")
        screen = tmux.waitFor("the wall to show the host", timeout: 40) { $0.contains("Running") && !$0.contains("STALE") }
        XCTAssertTrue(screen.contains("Hosts · CPU and memory"), screen)
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    private static func stopLibvirtd() throws {
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try XCTUnwrap(pid_t(text), "no pid in \(pidFile)")
        XCTAssertEqual(kill(pid, SIGTERM), 0, "libvirtd (pid \(pid)) takes SIGTERM")
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            // This machine's init reaps slowly: a zombie counts as gone.
            let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
            if kill(pid, 0) != 0 || stat.contains(") Z ") { return }
            usleep(50_000)
        }
        XCTFail("libvirtd (pid \(pid)) did not exit within 30 s of SIGTERM")
    }

    /// Starts libvirtd as setup.sh does (ChildProcess gives it a clean signal mask) and waits until it answers.
    private static func startLibvirtd() -> Bool {
        if (try? QEMUConsoleTests.virsh("version"))?.status == 0 { return true }
        _ = try? ChildProcess.run(["libvirtd", "-d", "-p", pidFile], timeout: 30)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            if (try? QEMUConsoleTests.virsh("version"))?.status == 0 { return true }
            usleep(100_000)
        }
        return false
    }
}

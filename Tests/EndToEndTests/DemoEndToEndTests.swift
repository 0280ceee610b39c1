import XCTest
import SystemTestSupport
import Foundation

/// The demo behaves like a cloud from the shell: the README's commands work on it as written, and it keeps
/// what they did until `--demo --reset`. Each test has its own XDG_STATE_HOME and TMPDIR.
final class DemoEndToEndTests: XCTestCase {
    private var home = ""
    private var temporary = ""

    override func setUpWithError() throws {
        try TmuxHarness.require()
        let base = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacktop-demo-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        home = base + "/state"
        temporary = base + "/tmp"
        try FileManager.default.createDirectory(atPath: temporary, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: base) }
    }

    private func stacktop(_ arguments: String...) throws -> (status: Int32, output: String) {
        try stacktop(arguments)
    }

    private func stacktop(_ arguments: [String]) throws -> (status: Int32, output: String) {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = home
        environment["TMPDIR"] = temporary
        let result = try ChildProcess.run([TmuxHarness.binary.path] + arguments, environment: environment, timeout: 60)
        XCTAssertFalse(result.timedOut, "stacktop \(arguments.joined(separator: " ")) did not finish within 60 s")
        return (result.status, result.output)
    }

    /// `KIND list -f json` as name → row.
    private func list(_ kind: String) throws -> [String: [String: Any]] {
        let result = try stacktop("--demo", kind, "list", "-f", "json")
        XCTAssertEqual(result.status, 0, result.output)
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]],
                                 result.output)
        return Dictionary(rows.compactMap { row in (row["name"] as? String).map { ($0, row) } }) { first, _ in first }
    }

    func testTheDemoKeepsWhatCommandsDidUntilItIsReset() throws {
        let commands: [[String]] = [
            ["server", "stop", "web-01", "--yes"],
            ["server", "create", "web-04", "--image", "debian-12", "--flavor", "m1.small", "--networks", "default",
             "--security-groups", "default,web", "--keypair", "alice-laptop"],
            ["server", "snapshot", "staging-api", "--image-name", "golden"],
            ["volume", "create", "data-05", "--size", "1", "--image", "debian-12"],
            ["server", "delete", "web-02", "--yes"],
        ]
        for command in commands {
            let result = try stacktop(["--demo"] + command)
            XCTAssertEqual(result.status, 0, "stacktop --demo \(command.joined(separator: " ")): \(result.output)")
        }

        let servers = try list("server")
        XCTAssertNotNil(servers["web-04"], "\(servers.keys.sorted())")
        XCTAssertNil(servers["web-02"], "\(servers.keys.sorted())")
        XCTAssertEqual(servers["web-01"]?["status"] as? String, "shutoff", "\(servers["web-01"] ?? [:])")
        XCTAssertNotNil(try list("image")["golden"])
        XCTAssertTrue(try list("volume").keys.contains { $0.hasPrefix("data-05") })

        let reset = try stacktop("--demo", "--reset", "server", "list", "-f", "value", "-c", "name")
        XCTAssertEqual(reset.status, 0, reset.output)
        XCTAssertTrue(reset.output.contains("stacktop: The demo cloud starts afresh"), reset.output)
        let afterReset = try list("server")
        XCTAssertNotNil(afterReset["web-02"])
        XCTAssertNil(afterReset["web-04"])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [], "nothing temporary is left")
    }

    /// Horizon's Volume Snapshots on the demo: the seeded one listed, one taken, listed with its volume, and
    /// deleted, from the shell; and the panel in the dashboard.
    func testVolumeSnapshotsAreListedTakenAndDeleted() throws {
        XCTAssertEqual(try list("volume-snapshot")["logs-büro-weekly"]?["volume"] as? String, "logs-büro")
        // The seeded volume's guest is paused, holding the file: refused, and nothing recorded.
        let held = try stacktop("--demo", "volume-snapshot", "create", "held", "--volume", "logs-büro")
        XCTAssertNotEqual(held.status, 0, held.output)
        XCTAssertTrue(held.output.contains("shut it off or detach the volume first"), held.output)
        XCTAssertNil(try list("volume-snapshot")["held"])

        let created = try stacktop("--demo", "volume", "create", "e2e-vol", "--size", "1")
        XCTAssertEqual(created.status, 0, created.output)
        let volume = try XCTUnwrap(try list("volume").keys.first { $0.hasPrefix("e2e-vol") })
        let taken = try stacktop("--demo", "volume-snapshot", "create", "e2e-snap", "--volume", volume,
                                 "--description", "from the e2e test")
        XCTAssertEqual(taken.status, 0, taken.output)
        let row = try XCTUnwrap(try list("volume-snapshot")["e2e-snap"], "the new snapshot is listed")
        XCTAssertEqual(row["volume"] as? String, volume)
        XCTAssertEqual(row["description"] as? String, "from the e2e test")
        let refused = try stacktop("--demo", "volume", "delete", volume, "--yes")
        XCTAssertNotEqual(refused.status, 0, "a volume with snapshots is not deleted: \(refused.output)")
        XCTAssertTrue(refused.output.contains("e2e-snap"), refused.output)
        let deleted = try stacktop("--demo", "volume-snapshot", "delete", "e2e-snap", "--yes")
        XCTAssertEqual(deleted.status, 0, deleted.output)
        XCTAssertNil(try list("volume-snapshot")["e2e-snap"])
        let volumeDeleted = try stacktop("--demo", "volume", "delete", volume, "--yes")
        XCTAssertEqual(volumeDeleted.status, 0, "without its snapshot the volume goes: \(volumeDeleted.output)")

        let tmux = try TmuxHarness(command: "XDG_STATE_HOME=\(home) \(TmuxHarness.binary.path) --demo")
        tmux.waitFor(text: "Limit Summary")
        try tmux.send(":", "v", "s", "n", "a", "p", "s", "Enter")
        tmux.waitFor(text: "Volume Snapshots (1)")
        tmux.waitFor(text: "logs-büro-wee")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testWhatTheDashboardDidIsThereNextTime() throws {
        let tmux = try TmuxHarness.demoOnInstances()
        try tmux.send("j", "O")  // the second row, bastion, is running
        tmux.waitFor(text: "Shut off server bastion? (y/N)")
        try tmux.send("y")
        tmux.waitForRow("bastion", "Shut off")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        home = tmux.workDirectory.path + "/state"  // the dashboard's state directory
        XCTAssertEqual(try list("server")["bastion"]?["status"] as? String, "shutoff")
    }

    func testAClosedPipeLeavesNoTemporaryDirectory() throws {
        let result = try ChildProcess.run(
            ["sh", "-c", "'\(TmuxHarness.binary.path)' --demo server list | head -1"],
            environment: ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": home, "TMPDIR": temporary]) { $1 })
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.hasPrefix("+"), result.output)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: temporary), [])
        // SQLite's own -wal and -shm files stay when the pipe's close ends the process while the store is open
        // (they belong to the store, which reopens them); nothing else may be left.
        let left = try FileManager.default.contentsOfDirectory(atPath: home + "/stacktop/demo")
            .filter { !$0.hasSuffix(".sqlite3-wal") && !$0.hasSuffix(".sqlite3-shm") }
        XCTAssertEqual(left.sorted(), ["host.xml", "state.sqlite3"].sorted())
    }

    func testReadOnlyNeverWritesTheDemo() throws {
        XCTAssertEqual(try stacktop("--demo", "server", "list").status, 0)
        let node = home + "/stacktop/demo/host.xml"
        let before = try Data(contentsOf: URL(fileURLWithPath: node))
        let refused = try stacktop("--demo", "--readonly", "server", "delete", "web-01", "--yes")
        XCTAssertEqual(refused.status, 1, refused.output)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: node)), before)
        let reset = try stacktop("--demo", "--readonly", "--reset", "server", "list")
        XCTAssertEqual(reset.status, 2, reset.output)
        XCTAssertTrue(FileManager.default.fileExists(atPath: node))
    }
}

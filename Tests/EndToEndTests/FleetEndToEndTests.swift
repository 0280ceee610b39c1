import XCTest
import SystemTestSupport
import Foundation

/// The fleet view as an operator meets it, on the release binary in tmux: config.yaml names two libvirt
/// test-driver hosts and a third that cannot be opened; `--fleet` shows both hosts' instances in one table
/// with a Context column, `@lab-b` filters by context, one bulk stop reaches a guest on each host, and on the
/// next start a host that went away shows its cached rows as stale while the other is live.
final class FleetEndToEndTests: XCTestCase {
    private func fleetConfig() throws -> (root: String, environment: String) {
        let root = try makeTemporaryDirectory(self)
        for (host, guest) in [("a", "alpha-vm"), ("b", "bravo-vm")] {
            try TestDriverNode.write("\(root)/lab-\(host).xml", guests: [(guest, nil), ("shared-vm", nil)])
        }
        try FileManager.default.createDirectory(atPath: root + "/config/stacktop", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        try """
            hosts:
              lab-a: test://\(root)/lab-a.xml
              lab-b: test://\(root)/lab-b.xml
              lab-c: test://\(root)/never-there.xml
            """.write(toFile: root + "/config/stacktop/config.yaml", atomically: true, encoding: .utf8)
        let environment = "env -u OS_CLOUD -u OS_AUTH_URL -u LIBVIRT_DEFAULT_URI HOME=\(root)/home XDG_CONFIG_HOME=\(root)/config"
        return (root, environment)
    }

    func testOneTableOfEveryHostABulkActionOnTwoHostsAndAHostGoneStale() throws {
        try TmuxHarness.require()
        let (root, environment) = try fleetConfig()
        let store = root + "/state.sqlite3"
        var tmux = try TmuxHarness(command: "\(environment) \(TmuxHarness.binary.path) --fleet --state \(store)")
        tmux.waitFor(text: "fleet of 3: 2 up, 1 down")
        try tmux.send("2")
        tmux.waitForRow("lab-a", "alpha-vm", "Running")
        var screen = tmux.waitForRow("lab-b", "bravo-vm", "Running")
        XCTAssertTrue(screen.contains("Instances (4)"), screen)
        XCTAssertTrue(screen.contains("│ Context "), "the Context column comes first: \(screen)")
        XCTAssertTrue(screen.contains("lab-c is down: Could not connect to test://"), screen)

        // `@lab-b` keeps lab-b's rows.
        try tmux.filter("@lab-b")
        screen = tmux.waitFor(text: "Instances (2 of 4) filter: @lab-b")
        XCTAssertFalse(screen.contains("alpha-vm"), screen)
        try tmux.send("Escape")
        tmux.waitFor(text: "Instances (4)")

        // shared-vm is on both hosts: mark both rows, one stop, one question naming both contexts.
        try tmux.filter("shared")
        tmux.waitFor(text: "Instances (2 of 4) filter: shared")
        try tmux.send("g", "Space", "j", "Space")
        tmux.waitFor(text: "2 marked")
        try tmux.send("O")
        tmux.waitFor(text: "shared-vm@lab-a, shared-vm@lab-b")
        try tmux.type("2")
        try tmux.send("Enter")
        tmux.waitForRow("lab-a", "shared-vm", "Shut off")
        tmux.waitForRow("lab-b", "shared-vm", "Shut off")
        try tmux.send("Escape")
        screen = tmux.waitForRow("lab-a", "alpha-vm", "Running")
        XCTAssertTrue(screen.split(separator: "\n").contains { $0.contains("bravo-vm") && $0.contains("Running") },
                      "never what was not marked: \(screen)")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")

        // lab-b goes away: its last rows (shared-vm shut off, as it was last read) show as stale; lab-a is live.
        try FileManager.default.moveItem(atPath: root + "/lab-b.xml", toPath: root + "/lab-b.gone")
        tmux = try TmuxHarness(command: "\(environment) \(TmuxHarness.binary.path) --fleet --state \(store)")
        try tmux.send("2")
        screen = tmux.waitFor(text: "fleet of 3: 1 up, 1 stale, 1 down")
        tmux.waitForRow("lab-b", "bravo-vm", "Running")
        screen = tmux.waitForRow("lab-b", "shared-vm", "Shut off")
        XCTAssertTrue(screen.contains("lab-b is stale (last read"), screen)
        XCTAssertTrue(screen.contains("PARTLY STALE"), screen)
        // lab-a's node file is read afresh by each connection, so its shared-vm runs again: live, not cached.
        tmux.waitForRow("lab-a", "shared-vm", "Running")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// `:fleet A,B` from a single context, and `:ctx NAME` back to one.
    func testFleetFromInsideTheDashboardAndBack() throws {
        try TmuxHarness.require()
        let (_, environment) = try fleetConfig()
        let tmux = try TmuxHarness(command: "\(environment) \(TmuxHarness.binary.path) --context lab-a")
        tmux.waitFor(text: "ctx lab-a")
        try tmux.send("2")
        tmux.waitForRow("alpha-vm", "Running")
        try tmux.typeLine(":fleet lab-a,lab-b")
        tmux.waitFor(text: "fleet of 2: 2 up")
        var screen = tmux.waitForRow("lab-b", "bravo-vm", "Running")
        XCTAssertTrue(screen.contains("Instances (4)"), screen)
        try tmux.typeLine(":ctx lab-b")
        screen = tmux.waitForRow("bravo-vm", "Running")
        tmux.waitFor(text: "ctx lab-b")
        XCTAssertFalse(screen.contains("alpha-vm"), screen)
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testFleetNamesAndItsRefusals() throws {
        try TmuxHarness.require()
        let (_, environment) = try fleetConfig()
        let unknown = try ChildProcess.run(["sh", "-c", "\(environment) \(TmuxHarness.binary.path) --fleet lab-a,nosuch"])
        XCTAssertEqual(unknown.status, 2, unknown.output)
        XCTAssertEqual(unknown.output, "stacktop: There is no context named \"nosuch\"; the known ones are lab-a, lab-b, lab-c.\n")
        let mixed = try ChildProcess.run(["sh", "-c", "\(environment) \(TmuxHarness.binary.path) --fleet --context lab-a"])
        XCTAssertEqual(mixed.status, 2, mixed.output)
        XCTAssertTrue(mixed.output.contains("--fleet opens the contexts of config.yaml and clouds.yaml"), mixed.output)
    }
}

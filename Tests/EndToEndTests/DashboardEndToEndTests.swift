import XCTest
import SystemTestSupport
import Foundation

/// The built binary in tmux: start the demo, move, filter, open details, switch panels and themes,
/// resize, quit; the terminal must be exactly as it was.
final class DashboardEndToEndTests: XCTestCase {
    func testBrowseTheDemoAndQuitCleanly() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(command: "\(TmuxHarness.binary.path) --demo")
        var screen = tmux.waitFor(text: "Limit Summary")
        XCTAssertTrue(screen.contains("DEMO"), screen)
        XCTAssertTrue(screen.contains("Instances by state"), screen)
        XCTAssertTrue(tmux.alternateScreenOn())

        try tmux.send("2")
        screen = tmux.waitFor(text: "Instances (")
        XCTAssertTrue(screen.contains("Name"), screen)
        XCTAssertTrue(screen.contains("Running"), screen)

        // Details of the second row, then back.
        try tmux.send("j", "Enter")
        screen = tmux.waitFor(text: "Instance ")
        XCTAssertTrue(screen.contains("Specs") && screen.contains("Interfaces"), screen)
        try tmux.send("y")
        screen = tmux.waitFor(text: "<domain")
        XCTAssertTrue(screen.contains("libvirt XML"), screen)
        try tmux.send("Escape")
        try tmux.send("Escape")
        tmux.waitFor(text: "Instances (")

        // Filter, then clear it.
        try tmux.typeLine("/web")
        screen = tmux.waitFor(text: "filter: web")
        XCTAssertTrue(screen.contains("rows match \"web\""), screen)
        try tmux.send("Escape")
        tmux.waitFor("the filter to clear") { !$0.contains("filter: web") }

        // Command mode and number keys switch panels.
        try tmux.typeLine(":net")
        screen = tmux.waitFor(text: "Networks (3)")
        try tmux.send("6")
        tmux.waitFor(text: "Security Groups (4)")
        try tmux.send("7")
        tmux.waitFor(text: "Quotas (")

        // Themes switch live; a bad one is refused and says why.
        try tmux.typeLine(":theme light")
        tmux.waitFor(text: "Theme light applied.")
        try tmux.typeLine(":theme no-such-theme")
        tmux.waitFor(text: "no-such-theme")

        // Help lists the keys of the screen.
        try tmux.send("?")
        tmux.waitFor(text: "Keys · ")
        try tmux.send("Escape")

        // Resize: redraws at the new size, says when too small, recovers.
        try tmux.resize(width: 100, height: 30)
        tmux.waitFor("a 100-column frame") { screen in
            screen.split(separator: "\n").contains { $0.hasPrefix("└") && $0.count == 100 }
        }
        try tmux.resize(width: 60, height: 20)
        tmux.waitFor(text: "Terminal too small: 60x20.")
        try tmux.resize(width: 120, height: 40)
        tmux.waitFor(text: "Quotas (")

        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "terminal settings changed")
        XCTAssertFalse(tmux.alternateScreenOn())
    }

    /// Actions as a user meets them: a key, the confirmation, the row changing, the audit log.
    func testActionsGoThroughTheGateAndTheAuditLog() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoOnInstances()
        try tmux.send("j", "O")  // the second row, bastion, is running
        tmux.waitFor(text: "Shut off server bastion? (y/N)")
        try tmux.send("n")
        tmux.waitFor(text: "Cancelled: nothing was changed.")
        try tmux.send("O")
        tmux.waitFor(text: "Shut off server bastion? (y/N)")
        try tmux.send("y")
        tmux.waitForRow("bastion", "Shut off")
        try tmux.send("D")
        tmux.waitFor(text: "Confirm · Delete")
        try tmux.typeLine("bastion")
        tmux.waitFor(text: "Instances (15)")
        try tmux.typeLine(":audit")
        let audit = tmux.waitFor(text: "Audit log (2)")
        XCTAssertTrue(audit.contains("delete server") && audit.contains("stop server"), audit)
        try tmux.send("Escape", "q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// The launch wizard as a user meets it: c, a name, the defaults, Enter; the new instance runs.
    func testLaunchWizardLaunchesAnInstance() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoOnInstances()
        try tmux.send("c")
        tmux.waitFor(text: "Launch instance")
        XCTAssertTrue(tmux.screen().contains("Quota left in engineering: Instances 1 of 12"))
        try tmux.typeLine("e2e-vm")
        tmux.waitFor(text: "Launched e2e-vm from image")
        let screen = tmux.waitFor(text: "Instances (17)")
        XCTAssertTrue(screen.split(separator: "\n").contains { $0.contains("e2e-vm") && $0.contains("Running") }, screen)
        // The quota is now full: a second launch is refused before anything is made, with the numbers.
        try tmux.send("c")
        tmux.waitFor(text: "Launch instance")
        try tmux.typeLine("e2e-vm2")
        tmux.waitFor(text: "Quota exceeded for Instances in project engineering: 12 of 12 in use")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testReadOnlyAndScriptsCannotSlipAMutationThrough() throws {
        try TmuxHarness.require()
        let noTerminal = try run([TmuxHarness.binary.path, "--demo", "server", "stop", "web-01"])
        XCTAssertEqual(noTerminal.status, 1)
        XCTAssertTrue(noTerminal.output.contains("Refusing to stop server web-01 without confirmation: stdin is not a terminal. "
                                                 + "Add --yes to confirm in a script."), noTerminal.output)
        let confirmed = try run([TmuxHarness.binary.path, "--demo", "server", "stop", "web-01", "--yes"])
        XCTAssertEqual(confirmed.status, 0, confirmed.output)
        XCTAssertTrue(confirmed.output.contains("web-01"), confirmed.output)
        let readOnly = try run([TmuxHarness.binary.path, "--demo", "--readonly", "server", "delete", "web-01", "--yes"])
        XCTAssertEqual(readOnly.status, 1)
        XCTAssertTrue(readOnly.output.contains("Refused to delete server web-01: stacktop is read-only"), readOnly.output)

        let tmux = try TmuxHarness(command: "\(TmuxHarness.binary.path) --demo --readonly")
        tmux.waitFor(text: "READ-ONLY")
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)")
        try tmux.send("D")
        tmux.waitFor(text: "stacktop is read-only")
        XCTAssertFalse(tmux.screen().contains("Type its name"), "no confirmation for what cannot run")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testTerminalIsRestoredAfterSIGTERMAndCtrlC() throws {
        try TmuxHarness.require()
        for (name, stop) in [("SIGTERM", "term"), ("Ctrl-C", "ctrl-c"), ("SIGHUP", "hup")] {
            // exec keeps the terminal as stdin (a backgrounded job would get /dev/null) and the recorded pid.
            let tmux = try TmuxHarness(command: "sh -c \"echo \\$\\$ > pid.txt; exec \(TmuxHarness.binary.path) --demo\"")
            tmux.waitFor(text: "Limit Summary")
            switch stop {
            case "ctrl-c": try tmux.send("C-c")
            default:
                let pid = try XCTUnwrap(tmux.file("pid.txt")?.trimmingCharacters(in: .whitespacesAndNewlines))
                kill(pid_t(pid)!, stop == "term" ? SIGTERM : SIGHUP)
            }
            XCTAssertNotNil(tmux.waitForExit(), name)
            XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "terminal settings changed after \(name)")
            XCTAssertFalse(tmux.alternateScreenOn(), name)
        }
    }

    func testPlainTextWhenNotATerminalAndClearErrors() throws {
        try TmuxHarness.require()
        let piped = try run([TmuxHarness.binary.path, "--demo"], environment: ["TERM": "xterm"])
        XCTAssertEqual(piped.status, 0)
        XCTAssertTrue(piped.output.contains("no full-screen terminal (stdout is not a terminal)"), piped.output)
        XCTAssertTrue(piped.output.contains("| Name"), piped.output)

        let unreachable = try run([TmuxHarness.binary.path, "--connect", "test:///no/such/node.xml", "server", "list"])
        XCTAssertEqual(unreachable.status, 1)
        XCTAssertTrue(unreachable.output.hasPrefix("stacktop: Could not connect to test:///no/such/node.xml"), unreachable.output)

        let json = try run([TmuxHarness.binary.path, "--demo", "server", "list", "-f", "json", "-c", "name", "-c", "state"])
        XCTAssertEqual(json.status, 0)
        // `-c state` (the column's name before it became Horizon's Status) still picks it, under its new key.
        let decoded = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        XCTAssertGreaterThanOrEqual(decoded?.count ?? 0, 12, json.output)
        XCTAssertEqual(Set(decoded?.first?.keys.map { $0 } ?? []), ["name", "status"])
    }

    /// `KIND show NAME` as the `openstack` CLI has it: every field, by name or id; a name that is not there is a
    /// sentence and exit status 1.
    func testShowPrintsEveryFieldOfOneInstance() throws {
        try TmuxHarness.require()
        let json = try run([TmuxHarness.binary.path, "--demo", "server", "show", "db primary", "-f", "json"])
        XCTAssertEqual(json.status, 0, json.output)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any], json.output)
        XCTAssertEqual(object["name"] as? String, "db primary")
        XCTAssertEqual(object["id"] as? String, "9d85e82d-619a-4896-a40a-31aba154920f")
        XCTAssertEqual(object["locked"] as? Bool, true)
        XCTAssertEqual(object["power_state"] as? String, "Running")
        for key in ["key_name", "availability_zone", "task_state", "created", "addresses", "flavor", "image"] {
            XCTAssertTrue(object.keys.contains(key), "\(key) in \(object.keys.sorted())")
        }
        let table = try run([TmuxHarness.binary.path, "--demo", "server", "show", "9d85e82d-619a-4896-a40a-31aba154920f"])
        XCTAssertEqual(table.status, 0, table.output)
        XCTAssertTrue(table.output.contains("| name ") && table.output.contains("db primary"), table.output)
        let missing = try run([TmuxHarness.binary.path, "--demo", "server", "show", "nosuch"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.output, "stacktop: No server named \"nosuch\" exists; check the name with `stacktop server list`.\n")
        let listed = try run([TmuxHarness.binary.path, "--demo", "server", "list", "-f", "json"])
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(listed.output.utf8)) as? [[String: Any]], listed.output)
        for key in ["id", "key_name", "availability_zone", "task_state", "power_state", "locked", "created"] {
            XCTAssertTrue(rows.first?.keys.contains(key) ?? false, "\(key) in server list -f json")
        }
    }

    func testCorruptStoreAndBadThemeGiveSentences() throws {
        try TmuxHarness.require()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-bad-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = directory.appendingPathComponent("state.sqlite3")
        try Data(repeating: 0x5A, count: 4096).write(to: store)
        let node = directory.appendingPathComponent("node.xml")
        try "<node><domain type='test'><name>a</name><memory>1024</memory><os><type>hvm</type></os></domain></node>"
            .write(to: node, atomically: true, encoding: .utf8)
        let corrupt = try run([TmuxHarness.binary.path, "--connect", "test://" + node.path, "--state", store.path,
                               "server", "list"])
        XCTAssertEqual(corrupt.status, 1)
        XCTAssertTrue(corrupt.output.contains(store.path) && corrupt.output.contains("--state PATH"), corrupt.output)

        let theme = directory.appendingPathComponent("broken.yaml")
        try "name: broken\nroles:\n  text: { fg: bluish }\n".write(to: theme, atomically: true, encoding: .utf8)
        let bad = try run([TmuxHarness.binary.path, "--demo", "--theme", theme.path, "render", "overview"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.output.contains(theme.path) && bad.output.contains("line 3"), bad.output)
    }

    /// This test's own state directory: the demo keeps its changes there, so no two tests may share one.
    private lazy var stateHome: String = {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacktop-e2e-state-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }()

    private func run(_ argv: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = stateHome
        for (key, value) in environment { env[key] = value }
        let result = try ChildProcess.run(argv, environment: env, timeout: 30)
        XCTAssertFalse(result.timedOut, "\(argv.joined(separator: " ")) did not finish within 30 s")
        return (result.status, result.output)
    }
}

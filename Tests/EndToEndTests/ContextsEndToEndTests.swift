import XCTest
import SystemTestSupport
import Foundation

/// Contexts as an operator meets them, on the release binary in tmux: two libvirt test-driver hosts named in
/// config.yaml, `--context lab-a` opens the first, `:ctx` lists both, `:ctx lab-b` switches at runtime to the
/// second (read-only by its entry), and the `:` history survives a restart.
final class ContextsEndToEndTests: XCTestCase {
    /// A config directory with two hosts, each a node file with one guest of its own.
    private func labConfig() throws -> (config: String, home: String) {
        let root = try makeTemporaryDirectory(self)
        for (host, guest, uuid) in [("a", "alpha-vm", "6695eb01-f6a4-8304-79aa-97f2502e1a01"),
                                    ("b", "bravo-vm", "6695eb01-f6a4-8304-79aa-97f2502e1b02")] {
            try TestDriverNode.write("\(root)/lab-\(host).xml", guests: [(guest, uuid)])
        }
        try FileManager.default.createDirectory(atPath: root + "/config/stacktop", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/home", withIntermediateDirectories: true)
        try """
            hosts:
              lab-a: test://\(root)/lab-a.xml
              lab-b:
                uri: test://\(root)/lab-b.xml
                readonly: true
            """.write(toFile: root + "/config/stacktop/config.yaml", atomically: true, encoding: .utf8)
        return (root + "/config", root + "/home")
    }

    func testContextFlagListAndSwitchAtRuntime() throws {
        try TmuxHarness.require()
        let (config, home) = try labConfig()
        let environment = "env -u OS_CLOUD -u OS_AUTH_URL -u LIBVIRT_DEFAULT_URI HOME=\(home) XDG_CONFIG_HOME=\(config)"
        let command = "\(environment) \(TmuxHarness.binary.path) --context lab-a"
        var tmux = try TmuxHarness(command: command)
        var screen = tmux.waitFor(text: "ctx lab-a · libvirt test://")
        try tmux.send("2")
        screen = tmux.waitForRow("alpha-vm", "Running")
        XCTAssertFalse(screen.contains("bravo-vm"), screen)
        XCTAssertFalse(screen.contains("READ-ONLY"), screen)

        // :ctx lists both, the current one marked.
        try tmux.typeLine(":ctx")
        screen = tmux.waitFor(text: "Contexts (2)")
        XCTAssertTrue(screen.split(separator: "\n").contains { $0.contains("* lab-a") && $0.contains("libvirt") && $0.contains("no") },
                      screen)
        XCTAssertTrue(screen.split(separator: "\n").contains { $0.contains("lab-b") && $0.contains("lab-b.xml") && $0.contains("yes") },
                      screen)
        try tmux.send("Escape")

        // :ctx lab-b switches without a restart, completed with Tab; read-only from its entry.
        try tmux.type(":ctx lab-")
        try tmux.send("Tab")
        tmux.waitFor(text: ":ctx lab-a")
        try tmux.send("Tab")
        tmux.waitFor(text: ":ctx lab-b")
        try tmux.send("Enter")
        screen = tmux.waitForRow("bravo-vm", "Running")
        XCTAssertTrue(screen.contains("ctx lab-b"), screen)
        XCTAssertTrue(screen.contains("READ-ONLY"), screen)
        XCTAssertFalse(screen.contains("alpha-vm"), screen)
        XCTAssertTrue(screen.contains("Instances (1)"), "the panel stays the one the user was on: \(screen)")
        try tmux.typeLine(":server stop bravo-vm")
        tmux.waitFor(text: "stacktop is read-only")

        // And back; the list now marks lab-b.
        try tmux.typeLine(":ctx")
        screen = tmux.waitFor(text: "* lab-b")
        try tmux.send("g", "Enter")
        tmux.waitForRow("alpha-vm", "Running")
        tmux.waitFor(text: "ctx lab-a")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "terminal settings changed")
        let history = tmux.file("state/stacktop/command-history") ?? ""
        XCTAssertEqual(history, "ctx\nctx lab-b\nserver stop bravo-vm\nctx\n", "newest last, a repeat only when not in a row")

        // The history survives a restart: Up on an empty line gives the last command. (A new harness, the same
        // state directory: the old one's directory is passed as --state.)
        let kept = try makeTemporaryDirectory(self)
        try FileManager.default.copyItem(atPath: tmux.workDirectory.appendingPathComponent("state/stacktop").path,
                                         toPath: kept + "/stacktop")
        tmux = try TmuxHarness(command: "\(environment) \(TmuxHarness.binary.path) --context lab-a --state \(kept)/stacktop/state.sqlite3")
        tmux.waitFor(text: "ctx lab-a")
        try tmux.send(":")
        try tmux.send("Up")
        // ":ctx" and the cursor mark right after it.
        tmux.waitFor("the last command, :ctx") { $0.split(separator: "\n").last?.hasPrefix(":ctx_") == true }
        try tmux.send("Up")
        tmux.waitFor(text: ":server stop bravo-vm")
        try tmux.send("Up")
        tmux.waitFor(text: ":ctx lab-b")
        try tmux.send("Escape", "q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// A host that cannot be opened leaves a sentence on screen, and the user goes elsewhere; a read-only
    /// context's mark stays with it (the user started in read-only lab-b, and lab-a is writable).
    func testAFailedSwitchSaysWhyAndTheUserSwitchesBack() throws {
        try TmuxHarness.require()
        let (config, home) = try labConfig()
        let file = config + "/stacktop/config.yaml"
        try (String(contentsOfFile: file, encoding: .utf8) + "\n  lab-c: test://\(home)/no-such-node.xml\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        let environment = "env -u OS_CLOUD -u OS_AUTH_URL -u LIBVIRT_DEFAULT_URI HOME=\(home) XDG_CONFIG_HOME=\(config)"
        let tmux = try TmuxHarness(width: 250, command: "\(environment) \(TmuxHarness.binary.path) --context lab-b")
        tmux.waitFor(text: "ctx lab-b")
        try tmux.send("2")
        var screen = tmux.waitForRow("bravo-vm", "Running")
        XCTAssertTrue(screen.contains("READ-ONLY"), screen)
        try tmux.typeLine(":ctx lab-c")
        screen = tmux.waitFor(text: "Context lab-c could not be opened: Could not connect to test://")
        // The rest of the sentence ("…; r tries again, :ctx lab-a goes to another.") is past 250 columns with
        // these long temporary paths; ContextsTests holds its words.
        XCTAssertTrue(screen.contains("ctx lab-c"), screen)
        XCTAssertFalse(screen.contains("bravo-vm"), "lab-b's rows are not shown as lab-c's: \(screen)")
        try tmux.typeLine(":ctx lab-a")
        screen = tmux.waitForRow("alpha-vm", "Running")
        XCTAssertFalse(screen.contains("READ-ONLY"), "lab-b's read-only mark stayed behind: \(screen)")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// The service layer refuses a read-only context's changes (the one-shot shell has no dashboard gate), and
    /// an unknown name lists the known ones.
    func testReadOnlyContextsAndUnknownNamesFromTheShell() throws {
        try TmuxHarness.require()
        let (config, home) = try labConfig()
        let state = try makeTemporaryDirectory(self)
        var env = ProcessInfo.processInfo.environment
        for key in ["OS_CLOUD", "OS_AUTH_URL", "LIBVIRT_DEFAULT_URI"] { env[key] = nil }
        env["HOME"] = home
        env["XDG_CONFIG_HOME"] = config
        env["XDG_STATE_HOME"] = state
        // lab-a, writable, makes the state store that read-only lab-b then reads.
        let first = try ChildProcess.run([TmuxHarness.binary.path, "--context", "lab-a", "server", "list", "-f", "value", "-c", "name"],
                                         environment: env)
        XCTAssertEqual(first.output, "alpha-vm\n")
        let list = try ChildProcess.run([TmuxHarness.binary.path, "--context", "lab-b", "server", "list", "-f", "value", "-c", "name"],
                                        environment: env)
        XCTAssertEqual(list.status, 0, list.output)
        XCTAssertEqual(list.output, "bravo-vm\n")
        let stop = try ChildProcess.run([TmuxHarness.binary.path, "--context", "lab-b", "server", "stop", "bravo-vm", "--yes"],
                                        environment: env)
        XCTAssertEqual(stop.status, 1, stop.output)
        XCTAssertTrue(stop.output.contains("Refused to stop server bravo-vm: stacktop is read-only"), stop.output)
        let unknown = try ChildProcess.run([TmuxHarness.binary.path, "--context", "lab-c"], environment: env)
        XCTAssertEqual(unknown.status, 2, unknown.output)
        XCTAssertEqual(unknown.output, "stacktop: There is no context named \"lab-c\"; the known ones are lab-a, lab-b.\n")

        try "hosts:\n  lab-a: test:///x.xml\n  lab-a: test:///y.xml\n"
            .write(toFile: config + "/stacktop/config.yaml", atomically: true, encoding: .utf8)
        let bad = try ChildProcess.run([TmuxHarness.binary.path, "--context", "lab-a"], environment: env)
        XCTAssertEqual(bad.status, 1, bad.output)
        XCTAssertTrue(bad.output.hasPrefix("stacktop: \(config)/stacktop/config.yaml, line 3, is not valid YAML"),
                      bad.output)
    }
}

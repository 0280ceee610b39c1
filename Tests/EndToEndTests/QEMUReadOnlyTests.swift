import XCTest
import SystemTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `--readonly` and `--wall` against a real libvirtd + QEMU guest: every mutating key on every panel
/// and every `:KIND ACTION NAME` command, answered `y` and with names typed where a confirmation could
/// appear, leave the guests, the pool volumes and the state store's bytes exactly as they were, and
/// stacktop still running with READ-ONLY on screen. Runs with STACKTOP_QEMU=1 STACKTOP_E2E=1 (root,
/// after `swift build`). STACKTOP_RO_BINARY runs another build (e.g. an older one, to see it fail).
final class QEMUReadOnlyTests: XCTestCase {
    private var fixture: QEMUReadOnlyFixture!

    private static var binary: String {
        ProcessInfo.processInfo.environment["STACKTOP_RO_BINARY"] ?? TmuxHarness.binary.path
    }

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_QEMU"] == "1" else {
            throw XCTSkip("Real-guest read-only tests run with STACKTOP_QEMU=1 STACKTOP_E2E=1 (root, after `swift build`).")
        }
        try TmuxHarness.require()
        if try QEMUReadOnlyFixture.virsh("version").status != 0 {
            let setup = try ChildProcess.run(["bash", QEMUConsoleTests.tools + "/setup.sh"], timeout: 600)
            guard setup.status == 0 else { throw XCTSkip("setup.sh failed:\n\(setup.output.suffix(2000))") }
        }
        let fixture = try QEMUReadOnlyFixture()
        addTeardownBlock { fixture.remove() }
        try fixture.create()
        self.fixture = fixture
        // A store of the current schema, written by a normal (writable) run, as an operator's would be.
        let made = try ChildProcess.run([Self.binary, "--connect", QEMUConsoleTests.uri, "--state", fixture.storePath,
                                         "instance", "list"])
        XCTAssertEqual(made.status, 0, made.output)
        XCTAssertTrue(made.output.contains(fixture.guest), made.output)
    }

    func testReadOnlyChangesNothing() throws {
        try runEverything(arguments: ["--readonly"], commandLine: true)
    }

    func testWallChangesNothing() throws {
        // The wall may take no `:` at all, and `q` quits it: commands with a q are not typed there.
        try runEverything(arguments: ["--wall"], commandLine: false)
    }

    // MARK: - The walk

    /// Keys that mutate somewhere (the action keys, console, console log, VNC).
    private static let mutatingKeys = ["S", "O", "P", "R", "H", "p", "u", "z", "Z", "L", "U", "n", "F", "N", "A", "X",
                                       "x", "c", "D", "e", "C", "T", "V"]
    /// Dialog texts that must never show: the confirmation gate and the action forms.
    private static let gateMarkers = ["(y/N)", "to confirm.", "y confirms", "Enter confirms", "Esc cancel"]

    private func runEverything(arguments: [String], commandLine: Bool) throws {
        let daemon = Self.libvirtdPID()
        let before = try fixture.hostState()
        XCTAssertTrue(before.contains { $0.contains("state \(fixture.guest): running") }, before.joined(separator: "\n"))
        XCTAssertTrue(before.contains { $0.contains("state \(fixture.offGuest): shut off") })
        XCTAssertTrue(before.contains { $0.hasPrefix("store sha256 ") && !$0.hasSuffix("missing") })

        let command = ([Self.binary, "--connect", QEMUConsoleTests.uri, "--state", fixture.storePath] + arguments)
            .joined(separator: " ")
        let tmux = try TmuxHarness(command: command)
        tmux.waitFor(text: "READ-ONLY", timeout: 20)
        let started = Date()
        var sent = 0

        // Every panel, filtered to this fixture's rows, then every mutating key with the answers a gate takes.
        for digit in ["2", "3", "4", "5", "6", "7", "8", "9", "0", "1"] {
            try tmux.send(digit)
            try filter(tmux)
            for key in Self.mutatingKeys {
                try tmux.send(key)
                try tmux.send("y")
                try tmux.type(fixture.guest)
                try tmux.send("Enter", "Escape")
                usleep(60_000)  // longer than ncurses' ESCDELAY, so the next key is not read as Alt-key
                try filter(tmux)
                sent += 1
            }
            // Marked rows (bulk): the count is what a bulk delete asks to type.
            for key in ["D", "O", "R", "P"] {
                try tmux.send("Space", key, "y")
                try tmux.type("1")
                try tmux.send("Enter", "Escape")
                usleep(60_000)
                try filter(tmux)
                sent += 1
            }
            let screen = tmux.screen()
            for marker in Self.gateMarkers {
                XCTAssertFalse(screen.contains(marker), "panel \(digit): a confirmation or form is open:\n\(screen)")
            }
        }

        // Every KIND ACTION the grammar knows, on this fixture's names (or names nothing has).
        for text in commands() where commandLine || !text.lowercased().contains("q") {
            try tmux.type(":" + text)
            try tmux.send("Enter", "y")
            try tmux.send("Escape")
            usleep(60_000)
            sent += 1
        }
        if commandLine {
            try tmux.typeLine(":instance stop \(fixture.guest)")
            tmux.waitFor(text: "Refused to stop server \(fixture.guest): stacktop is read-only")
        }
        print("\(arguments.joined()): \(sent) attempts in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")

        // Give anything that got through time to reach libvirt, then compare.
        sleep(3)
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("READ-ONLY"), "READ-ONLY is not on screen:\n\(screen)")
        XCTAssertNil(tmux.file("exit.txt"), "stacktop exited:\n\(screen)")
        let after = try fixture.hostState()
        // A read-only connection cannot restart the daemon; other suites' setup/teardown scripts can.
        XCTAssertEqual(Self.libvirtdPID(), daemon, "libvirtd was restarted during the test by something else "
                       + "(a teardown.sh?), which also removes vmpeer-* guests: rerun when the host is quiet")
        let gone = before.filter { !after.contains($0) }, new = after.filter { !before.contains($0) }
        XCTAssertTrue(after == before, "the host or the store changed:\nbefore: " + gone.joined(separator: "\nbefore: ")
                      + "\nafter:  " + new.joined(separator: "\nafter:  "))

        try tmux.send("q")
        if tmux.waitForExit(timeout: 3) == nil {
            try tmux.send("y")  // --confirm-quit style question
        }
        XCTAssertEqual(tmux.waitForExit(timeout: 10), "EXIT=0", tmux.screen())
        XCTAssertEqual(fixture.storeState(), before.suffix(2).map { $0 }, "the store changed while quitting")
    }

    private static func libvirtdPID() -> String {
        ((try? String(contentsOfFile: "/tmp/vmpeer/libvirtd.pid", encoding: .utf8)) ?? "")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Enter the filter for this fixture's rows (so a key acts on them, or on nothing).
    private func filter(_ tmux: TmuxHarness) throws {
        try tmux.typeLine("/" + fixture.prefix)
    }

    /// `:KIND ACTION NAME` for every kind and action, with and without --yes, plus the console commands.
    private func commands() -> [String] {
        let kinds = ["instance", "image", "volume", "volume-snapshot", "network", "subnet", "router", "port", "floating-ip",
                     "secgroup", "secgroup-rule", "quota", "flavor", "keypair", "project", "hypervisor"]
        let actions = ["create", "update", "start", "stop", "poweroff", "reboot", "hard-reboot", "pause", "unpause",
                       "suspend", "resume", "lock", "unlock", "rename", "resize", "confirm-resize", "revert-resize",
                       "snapshot", "attach-volume", "detach-volume", "attach-interface", "detach-interface",
                       "add-security-group", "remove-security-group", "extend", "upload", "associate",
                       "disassociate", "delete"]
        var texts: [String] = []
        for kind in kinds {
            let name: String
            switch kind {
            case "instance": name = fixture.guest
            case "volume": name = fixture.volume
            default: name = fixture.prefix + "-new"
            }
            for action in actions {
                texts.append("\(kind) \(action) \(name) --yes")
            }
        }
        for action in ["start", "stop", "delete", "rename", "snapshot", "detach-volume"] {
            texts.append("instance \(action) \(fixture.guest)")
            texts.append("instance \(action) \(fixture.offGuest) --yes")
        }
        texts += ["instance delete \(fixture.guest) \(fixture.offGuest) --yes",
                  "instance rename \(fixture.guest) --name \(fixture.prefix)-renamed --yes",
                  "instance resize \(fixture.guest) --flavor m1.tiny --yes",
                  "instance detach-volume \(fixture.guest) --volume \(fixture.volume) --yes",
                  "volume delete \(fixture.volume)", "volume extend \(fixture.volume) --size 1 --yes",
                  "instance create \(fixture.prefix)-new --flavor m1.tiny --image debian --yes",
                  "console \(fixture.guest)", "console", "vnc \(fixture.guest)", "log \(fixture.guest)"]
        return texts
    }
}

import XCTest
import SystemTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Serial console, VNC address and console errors against a real libvirtd + QEMU (TCG) guest, the
/// one the shared scripts boot (a busybox shell on ttyS0, VNC on 127.0.0.1). Runs with
/// STACKTOP_QEMU=1 as root after `swift build`; brings libvirtd and the guest up when they are not.
final class QEMUConsoleTests: XCTestCase {
    static let uri = "qemu:///system"
    static var guest: String { ProcessInfo.processInfo.environment["STACKTOP_QEMU_GUEST"] ?? "vmpeer-guest" }
    /// capture-pane drops trailing blanks, so no space after the #.
    static let prompt = "vmpeer#"

    static var tools: String {
        if let given = ProcessInfo.processInfo.environment["STACKTOP_QEMU_TOOLS"] { return given }
        let beside = TmuxHarness.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/tools/qemu-guest").path
        return FileManager.default.fileExists(atPath: beside) ? beside : "/work/shared/tools/qemu-guest"
    }

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_QEMU"] == "1" else {
            throw XCTSkip("Real-guest console tests run with STACKTOP_QEMU=1 (root, after `swift build`), as .ci/run does.")
        }
        guard FileManager.default.isExecutableFile(atPath: TmuxHarness.binary.path) else {
            XCTFail("\(TmuxHarness.binary.path) is missing: run `swift build` first.")
            throw XCTSkip("no binary")
        }
        try Self.ensureGuestRunning()
    }

    // MARK: - The guest

    @discardableResult
    static func virsh(_ arguments: String...) throws -> ChildProcess.Result {
        try ChildProcess.run(["virsh", "-c", uri] + arguments, timeout: 60)
    }

    static func ensureGuestRunning() throws {
        let started = Date()
        if try virsh("version").status != 0 {
            let setup = try ChildProcess.run(["bash", tools + "/setup.sh"], timeout: 600)
            guard setup.status == 0 else { throw XCTSkip("setup.sh failed (\(setup.status)):\n\(setup.output.suffix(2000))") }
        }
        let state = try virsh("domstate", guest)
        if state.status != 0 {
            let boot = try ChildProcess.run(["bash", tools + "/boot-guest.sh", guest], timeout: 600)
            guard boot.status == 0 else { throw XCTSkip("boot-guest.sh failed (\(boot.status)):\n\(boot.output.suffix(2000))") }
        } else if !state.output.contains("running") {
            try virsh("start", guest)
        }
        let took = Date().timeIntervalSince(started)
        if took > 0.5 { print("QEMU guest \(guest) brought up in \(String(format: "%.1f", took)) s") }
    }

    /// The console harness: `stacktop ARGS` in tmux at 120x40.
    private func harness(_ arguments: String) throws -> TmuxHarness {
        try TmuxHarness(command: "\(TmuxHarness.binary.path) --connect \(Self.uri) \(arguments)")
    }

    /// Presses Enter until the guest's shell prompt shows (the guest may still be booting), then runs a
    /// command whose answer differs from what was typed, and waits for the answer.
    private func runCommand(in tmux: TmuxHarness, file: StaticString = #filePath, line: UInt = #line) throws {
        let deadline = Date().addingTimeInterval(60)
        while !tmux.screen().contains(Self.prompt) && Date() < deadline {
            try tmux.send("Enter")
            usleep(700_000)
        }
        let number = Int.random(in: 1000...9999)
        let started = Date()
        try tmux.typeLine("echo stacktop-$((\(number) + 1))")
        tmux.waitFor(text: "stacktop-\(number + 1)", timeout: 15, file: file, line: line)
        print("console answered in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }

    /// The dashboard's Instances panel filtered to `name`, once its row says `state`.
    private func showRow(of name: String, _ state: String, in tmux: TmuxHarness,
                         file: StaticString = #filePath, line: UInt = #line) throws {
        tmux.waitFor(text: "Limit Summary", timeout: 20, file: file, line: line)
        try tmux.send("2")
        try tmux.typeLine("/\(name)")
        tmux.waitFor("the row of \(name)", file: file, line: line) { $0.contains(name) && $0.contains(state) }
    }

    private func assertTerminalSane(_ tmux: TmuxHarness, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(tmux.waitForExit(timeout: 15), "EXIT=0", tmux.screen(), file: file, line: line)
        // The window size is the only setting a test may change (by resizing).
        func settings(_ name: String) -> String? {
            tmux.file(name)?.replacingOccurrences(of: #"rows \d+; columns \d+; "#, with: "", options: .regularExpression)
        }
        XCTAssertEqual(settings("before.txt"), settings("after.txt"), "stty -a differs after stacktop", file: file, line: line)
    }

    // MARK: - Tests

    func testDashboardOpensTheConsoleAndComesBack() throws {
        let started = Date()
        let tmux = try harness("")
        try showRow(of: Self.guest, "Running", in: tmux)
        try tmux.send("C")
        tmux.waitFor(text: "Connected to \(Self.guest)'s serial console; Ctrl-] returns.")
        XCTAssertFalse(tmux.alternateScreenOn(), "the console runs on the normal screen")
        try runCommand(in: tmux)
        // A resize while the guest has the terminal: the console carries on, the dashboard comes back at the new size.
        try tmux.resize(width: 90, height: 26)
        try runCommand(in: tmux)
        let back = Date()
        try tmux.send("C-]")
        let screen = tmux.waitFor(text: "Left the serial console of \(Self.guest).")
        let frame = screen.split(separator: "\n").first { $0.hasPrefix("┌─ Instances") }.map(String.init) ?? ""
        XCTAssertEqual(frame.count, 90, "the table frame spans the new width:\n\(screen)")
        XCTAssertTrue(frame.hasSuffix("┐"), frame)
        print("Ctrl-] back to the dashboard in \(String(format: "%.2f", Date().timeIntervalSince(back))) s")
        XCTAssertTrue(tmux.alternateScreenOn())
        XCTAssertTrue(screen.contains("Instances (") && screen.contains("Running"), screen)
        XCTAssertFalse(screen.contains("stacktop-"), "the dashboard is redrawn over the console:\n\(screen)")
        try tmux.send("q")
        assertTerminalSane(tmux)
        print("dashboard console round trip: \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }

    func testDashboardOffersFWhenBusy() throws {
        let holder = try harness("console \(Self.guest)")
        holder.waitFor(text: "Connected to \(Self.guest)'s serial console")
        let tmux = try harness("")
        try showRow(of: Self.guest, "Running", in: tmux)
        try tmux.send("C")
        tmux.waitFor(text: "The serial console of \(Self.guest) is in use by another session; press F to take it over.")
        try tmux.send("F")
        tmux.waitFor(text: "Connected to \(Self.guest)'s serial console; Ctrl-] returns.")
        holder.waitFor(text: "closed while the guest kept running, most likely taken over")
        try runCommand(in: tmux)
        try tmux.send("C-]")
        tmux.waitFor(text: "Left the serial console of \(Self.guest).")
        try tmux.send("q")
        assertTerminalSane(tmux)
    }

    func testCommandLineConsoleAndBusyConsole() throws {
        let tmux = try harness("console \(Self.guest)")
        tmux.waitFor(text: "Connected to \(Self.guest)'s serial console; Ctrl-] returns.")
        try runCommand(in: tmux)

        let second = try ChildProcess.run([TmuxHarness.binary.path, "--connect", Self.uri, "console", Self.guest])
        XCTAssertEqual(second.status, 1)
        XCTAssertTrue(second.output.contains("The serial console of \(Self.guest) is in use by another session; "
                                             + "add --force to take it over."), second.output)

        try tmux.send("C-]")
        tmux.waitFor(text: "Left the serial console of \(Self.guest).")
        assertTerminalSane(tmux)
    }

    func testForceTakesTheConsoleOver() throws {
        let holder = try harness("console \(Self.guest)")
        holder.waitFor(text: "Connected to \(Self.guest)'s serial console")
        let taker = try harness("console \(Self.guest) --force")
        taker.waitFor(text: "Connected to \(Self.guest)'s serial console")
        holder.waitFor(text: "closed while the guest kept running, most likely taken over")
        XCTAssertEqual(holder.waitForExit(timeout: 10), "EXIT=1")
        XCTAssertEqual(holder.file("before.txt"), holder.file("after.txt"))
        try runCommand(in: taker)
        try taker.send("C-]")
        assertTerminalSane(taker)
    }

    func testVNCAddressIsVirshsAndSpeaksRFB() throws {
        let virsh = try Self.virsh("domdisplay", Self.guest).output.trimmingCharacters(in: .whitespacesAndNewlines)
        XCTAssertTrue(virsh.hasPrefix("vnc://"), virsh)
        var environment = ProcessInfo.processInfo.environment
        environment["DISPLAY"] = nil
        environment["WAYLAND_DISPLAY"] = nil
        environment["SSH_CONNECTION"] = "192.0.2.50 51234 127.0.0.1 22"
        environment["USER"] = "operator"
        let result = try ChildProcess.run([TmuxHarness.binary.path, "--connect", Self.uri, "vnc", Self.guest],
                                          environment: environment)
        XCTAssertEqual(result.status, 0, result.output)
        let first = result.output.split(separator: "\n").first.map(String.init) ?? ""
        XCTAssertTrue(first.contains(" is \(virsh) ("), "stacktop: \(first); virsh: \(virsh)")

        let display = try XCTUnwrap(Int(virsh.split(separator: ":").last ?? ""))
        let port = 5900 + display
        XCTAssertTrue(result.output.contains("ssh -L \(port):127.0.0.1:\(port) operator@127.0.0.1"), result.output)
        XCTAssertTrue(result.output.contains("vnc://localhost:\(port)"), result.output)
        let started = Date()
        XCTAssertEqual(try Self.greeting(port: UInt16(port), timeout: 2).prefix(4), "RFB ")
        print("RFB greeting in \(String(format: "%.3f", Date().timeIntervalSince(started))) s")
    }

    func testDashboardStartsTheViewerDetachedOnADesktop() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-viewer-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let viewer = directory.appendingPathComponent("viewer.sh")
        let record = directory.appendingPathComponent("viewer.out")
        try "#!/bin/sh\necho \"$* $$ $(ps -o sid= -p $$)\" > \(record.path)\nsleep 2\n".write(to: viewer, atomically: true, encoding: .utf8)
        chmod(viewer.path, 0o755)
        let virsh = try Self.virsh("domdisplay", Self.guest).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = 5900 + (Int(virsh.split(separator: ":").last ?? "") ?? -1)

        let tmux = try TmuxHarness(command: "DISPLAY=:99 STACKTOP_VNC_VIEWER=\(viewer.path) "
                                   + "\(TmuxHarness.binary.path) --connect \(Self.uri)")
        try showRow(of: Self.guest, "Running", in: tmux)
        try tmux.send("V")
        tmux.waitFor(text: "Started \(viewer.path) for it")
        let deadline = Date().addingTimeInterval(5)
        while (try? String(contentsOf: record, encoding: .utf8)) == nil && Date() < deadline { usleep(50_000) }
        let line = try String(contentsOf: record, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
        XCTAssertEqual(line.count, 3, "\(line)")
        XCTAssertEqual(line.first, "127.0.0.1::\(port)")
        // A session of its own (setsid): the viewer does not die with the dashboard's terminal, nor take its signals.
        XCTAssertEqual(line.dropFirst().first, line.last, "the viewer leads its own session")
        try tmux.send("Escape")
        try tmux.send("q")
        assertTerminalSane(tmux)
    }

    func testShutOffGuestSaysNotRunning() throws {
        let name = "stacktop-e2e-off-\(getpid())"
        let xml = FileManager.default.temporaryDirectory.appendingPathComponent(name + ".xml")
        try """
            <domain type='qemu'><name>\(name)</name><memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os>
              <devices><serial type='pty'/><console type='pty'/></devices></domain>
            """.write(to: xml, atomically: true, encoding: .utf8)
        XCTAssertEqual(try Self.virsh("define", xml.path).status, 0)
        defer { _ = try? Self.virsh("undefine", name); try? FileManager.default.removeItem(at: xml) }
        let result = try ChildProcess.run([TmuxHarness.binary.path, "--connect", Self.uri, "console", name])
        XCTAssertEqual(result.status, 1)
        let notRunning = "\(name) is not running (shutoff), so its serial console cannot open; start it first."
        XCTAssertTrue(result.output.contains(notRunning), result.output)

        // The same in the dashboard, and the console log of a guest without a serial <log>.
        let tmux = try harness("")
        try showRow(of: name, "Shut", in: tmux)
        try tmux.send("C")
        tmux.waitFor(text: notRunning)
        try tmux.send("T")
        tmux.waitFor(text: "\(name) has no serial log: its <serial> has no <log file=…/>")
        try tmux.send("q")
        assertTerminalSane(tmux)
    }

    /// Last (tests run in name order): the guest stops under an open console, which must end the session; it is
    /// started again with a serial <log>, whose pane (T) must show the boot and follow what the console types.
    func testZGuestStoppingEndsTheConsoleAndTheLogFollows() throws {
        let tmux = try harness("console \(Self.guest)")
        tmux.waitFor(text: "Connected to \(Self.guest)'s serial console")
        try runCommand(in: tmux)
        let started = Date()
        try Self.virsh("destroy", Self.guest)
        tmux.waitFor(text: "The serial console of \(Self.guest) closed because the guest stopped.", timeout: 15)
        print("console ended \(String(format: "%.2f", Date().timeIntervalSince(started))) s after the guest stopped")
        assertTerminalSane(tmux)
        // Started again with a serial <log>, the console-log pane (T) shows the boot and follows new output.
        let log = "/var/log/libvirt/qemu/\(Self.guest)-serial.log"
        let definition = try Self.virsh("dumpxml", "--inactive", Self.guest).output
        if !definition.contains("<log file=") {
            let xml = FileManager.default.temporaryDirectory.appendingPathComponent("\(Self.guest)-with-log.xml")
            try definition.replacingOccurrences(of: "<serial type='pty'>",
                                                with: "<serial type='pty'><log file='\(log)' append='off'/>")
                .write(to: xml, atomically: true, encoding: .utf8)
            XCTAssertEqual(try Self.virsh("define", xml.path).status, 0)
            try? FileManager.default.removeItem(at: xml)
        }
        let restarted = Date()
        try Self.virsh("start", Self.guest)
        print("guest started again in \(String(format: "%.2f", Date().timeIntervalSince(restarted))) s")

        let dashboard = try harness("")
        try showRow(of: Self.guest, "Running", in: dashboard)
        try dashboard.send("T")
        dashboard.waitFor(text: "VMPEER GUEST READY", timeout: 30)
        print("banner in the console log \(String(format: "%.1f", Date().timeIntervalSince(restarted))) s after start")
        let console = try harness("console \(Self.guest)")
        console.waitFor(text: "Connected to \(Self.guest)'s serial console")
        let number = Int.random(in: 1000...9999)
        try runCommand(in: console)
        try console.typeLine("echo log-\(number)-$((1 + 1))")
        let typed = Date()
        dashboard.waitFor(text: "log-\(number)-2", timeout: 5)
        print("console log followed new output in \(String(format: "%.2f", Date().timeIntervalSince(typed))) s")
        try console.send("C-]")
        try dashboard.send("Escape")
        try dashboard.send("q")
        assertTerminalSane(dashboard)
    }

    /// The first bytes a TCP server at 127.0.0.1:`port` sends within `timeout` seconds.
    static func greeting(port: UInt16, timeout: Int32) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return "connect failed: \(String(cString: strerror(errno)))" }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, timeout * 1000) == 1 else { return "no greeting within \(timeout) s" }
        var buffer = [UInt8](repeating: 0, count: 12)
        let got = read(fd, &buffer, buffer.count)
        return String(decoding: buffer.prefix(max(0, got)), as: UTF8.self)
    }
}

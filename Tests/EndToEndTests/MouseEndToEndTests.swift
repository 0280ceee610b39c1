import XCTest
import SystemTestSupport
import Foundation

/// Issue 15's mouse on the release binary. tmux sends mouse events only from a real client, so the SGR
/// reports are written into the pane as literal input (`send-keys -l`), as a terminal would send them.
final class MouseEndToEndTests: XCTestCase {
    /// The pane's output from the start, and what tmux thinks of the pane's mouse modes.
    private func recorded(_ flags: String, size: (Int, Int) = (80, 24), showing: String = "Limit Summary") throws -> TmuxHarness {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(width: size.0, height: size.1, command: "sleep 1; \(TmuxHarness.binary.path) --demo\(flags)")
        try tmux.tmux(["pipe-pane", "-o", "-t", tmux.session, "cat >> \(tmux.workDirectory.path)/output.raw"])
        tmux.waitFor(text: showing)
        return tmux
    }

    private func mouseModes(_ tmux: TmuxHarness) throws -> String {
        try tmux.tmux(["display-message", "-p", "-t", tmux.session, "#{mouse_sgr_flag}#{mouse_any_flag}"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func output(_ tmux: TmuxHarness) -> String {
        guard let data = FileManager.default.contents(atPath: tmux.workDirectory.appendingPathComponent("output.raw").path)
        else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    /// A left click at the 0-based cell, press and release.
    private func click(_ tmux: TmuxHarness, x: Int, y: Int, button: Int = 0) throws {
        try tmux.type("\u{1B}[<\(button);\(x + 1);\(y + 1)M\u{1B}[<\(button);\(x + 1);\(y + 1)m")
    }

    func testMouseIsOnByDefaultAndClicksRowsTabsAndTheWheel() throws {
        let tmux = try recorded("")
        XCTAssertEqual(try mouseModes(tmux), "11", "SGR reporting is on")
        XCTAssertTrue(output(tmux).contains("\u{1B}[?1006h"), "the output enables SGR reporting")
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)")

        // Rows from y=4: backup-agent, bastion, cache-01, ci runner 3, ci runner 4 …; a click moves the cursor.
        try click(tmux, x: 10, y: 6)
        try tmux.send("Enter")
        var screen = tmux.waitFor(text: "cache-01 ")
        XCTAssertTrue(screen.contains("Esc back"), "Enter opened the clicked row's details:\n\(screen)")
        try tmux.send("Escape")
        tmux.waitFor(text: "Instances (16)")

        // A double click opens details at once.
        try click(tmux, x: 10, y: 5)
        try click(tmux, x: 10, y: 5)
        screen = tmux.waitFor(text: "Esc back")
        XCTAssertTrue(screen.contains("bastion"), screen)
        try tmux.send("Escape")
        tmux.waitFor(text: "Instances (16)")

        // One wheel notch down moves three rows: from bastion to ci runner 4.
        try tmux.type("\u{1B}[<65;10;10M")
        try tmux.send("Enter")
        screen = tmux.waitFor(text: "Esc back")
        XCTAssertTrue(screen.contains("ci runner 4"), screen)
        try tmux.send("Escape")

        // A right click opens the row's action menu; Esc closes it.
        try click(tmux, x: 10, y: 5, button: 2)
        screen = tmux.waitFor(text: "┌─ bastion ─")
        XCTAssertTrue(screen.contains("O Shut off") && !screen.contains("S Start"), "only what a running row allows:\n\(screen)")
        try tmux.send("Escape")
        tmux.waitFor("the menu to close") { !$0.contains("┌─ bastion ─") }

        // A click on a tab: the tab bar is row 1, "Overview" its first tab.
        try click(tmux, x: 4, y: 1)
        tmux.waitFor(text: "Limit Summary")

        // Reports while typing a filter, whole or broken, never reach the filter.
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)")
        try tmux.type("/")
        try click(tmux, x: 10, y: 6)
        try tmux.type("\u{1B}[<0;12;99999999999999M\u{1B}[<0;1\u{1B}[M !!")
        try tmux.type("bas")
        screen = tmux.waitFor(text: "filter: bas")
        // (How many rows "bas" keeps depends on the columns searched, key pairs such as ops-bastion among them.)
        XCTAssertTrue(screen.contains(" of 16) filter: bas ─"), screen)
        XCTAssertTrue(screen.contains("\n/bas_ "), "the filter line holds what was typed and nothing else:\n\(screen)")
        try tmux.send("Escape")

        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        XCTAssertEqual(try mouseModes(tmux), "00", "reporting is off again after exit")
        XCTAssertTrue(output(tmux).contains("\u{1B}[?1006l\u{1B}[?1000l"), "the output turns reporting off")
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"))
    }

    func testNoMouseLeavesReportingOff() throws {
        let tmux = try recorded(" --no-mouse")
        XCTAssertEqual(try mouseModes(tmux), "00")
        XCTAssertFalse(output(tmux).contains("\u{1B}[?1006h"))
        XCTAssertFalse(output(tmux).contains("\u{1B}[?1000h"))
        // A report arriving anyway (a terminal that sends them regardless) is dropped, not typed.
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)")
        try tmux.type("/")
        try click(tmux, x: 10, y: 6)
        try tmux.type("web")
        let screen = tmux.waitFor(text: "filter: web")
        XCTAssertTrue(screen.contains("Instances (3 of 16) filter: web ─") && screen.contains("\n/web_ "), screen)
        try tmux.send("Escape")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testTheWallTurnsNoReportingOn() throws {
        let tmux = try recorded(" --wall", size: (120, 40), showing: "Hosts · CPU and memory")
        XCTAssertEqual(try mouseModes(tmux), "00")
        XCTAssertFalse(output(tmux).contains("\u{1B}[?1006h"))
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// Ctrl-Z hands the shell a terminal that reports no clicks; `fg` turns reporting on again.
    func testCtrlZTurnsReportingOffUntilFg() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoInInteractiveShell()
        XCTAssertEqual(try mouseModes(tmux), "11")
        try tmux.send("C-z")
        tmux.waitFor(text: "Stopped")
        XCTAssertEqual(try mouseModes(tmux), "00", "no reporting while stopped")
        try tmux.typeLine("fg")
        tmux.waitFor(text: "Limit Summary")
        XCTAssertEqual(try mouseModes(tmux), "11", "reporting back after fg")
        try tmux.send("q")
        // The echo's quotes keep the typed line from matching what is waited for.
        try tmux.typeLine("echo do''ne")
        tmux.waitFor(text: "\ndone")
        XCTAssertEqual(try mouseModes(tmux), "00", "off after exit")
    }

    /// The crash handler turns reporting off with the rest of the terminal (SIGILL: a Swift trap).
    func testACrashTurnsReportingOff() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(width: 80, height: 24,
                                   command: "sh -c \"echo \\$\\$ > pid.txt; exec \(TmuxHarness.binary.path) --demo\"")
        tmux.waitFor(text: "Limit Summary")
        XCTAssertEqual(try mouseModes(tmux), "11")
        let pid = try XCTUnwrap(tmux.file("pid.txt").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        kill(pid, SIGILL)
        XCTAssertEqual(tmux.waitForExit(timeout: 15), "EXIT=132")
        XCTAssertEqual(try mouseModes(tmux), "00", "no reporting left on after a crash")
    }
}

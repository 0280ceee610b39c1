import XCTest
import SystemTestSupport
import Foundation

/// Issue 15's checks on the release binary: help scrolls to its last entry at 80x24, the cursor row is
/// reverse video under NO_COLOR, and Ctrl-Z gives the shell back (terminal sane) until `fg` redraws.
final class OperatorUXEndToEndTests: XCTestCase {
    func testHelpScrollsToItsLastEntryAt80x24() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoOnInstances(width: 80, height: 24)
        try tmux.send("?")
        var screen = tmux.waitFor(text: "Keys · Instances")
        XCTAssertFalse(screen.contains(":q "), "the last entry is not on the first page:\n\(screen)")
        try tmux.send("PageDown")
        screen = tmux.waitFor(text: "18-35/")  // a page is the help's 18 lines, one kept
        XCTAssertFalse(screen.contains("does nothing here"), screen)
        try tmux.send("G")
        screen = tmux.waitFor(text: ":q ")
        XCTAssertTrue(screen.contains("quit"), screen)
        try tmux.send("g")
        tmux.waitFor(text: "Actions on servers")
        // `/` filters the keys.
        try tmux.type("/suspend")
        screen = tmux.waitFor(text: "/suspend_")
        XCTAssertTrue(screen.contains("Ctrl-Z"), screen)
        XCTAssertFalse(screen.contains("move down"), screen)
        try tmux.send("Enter")
        try tmux.send("Escape")
        tmux.waitFor(text: "Instances (16)")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    func testCursorRowIsReverseVideoUnderNoColor() throws {
        try TmuxHarness.require()
        for flag in ["NO_COLOR=1 ", ""] {
            let command = flag + "stacktop --demo" + (flag.isEmpty ? " --no-color" : "")
            let tmux = try TmuxHarness.demoOnInstances(width: 80, height: 24, prefix: flag, flags: flag.isEmpty ? " --no-color" : "")
            let styled = try tmux.tmux(["capture-pane", "-e", "-p", "-t", tmux.session])
            let rows = styled.split(separator: "\n", omittingEmptySubsequences: false)
            // Row 4 is the cursor row: reverse video (SGR 7) and no colour at all anywhere.
            XCTAssertTrue(rows.count > 5 && rows[4].contains("\u{1B}[7m") && rows[4].contains("backup-agent"),
                          "\(command): the cursor row carries SGR 7:\n\(rows.prefix(6).joined(separator: "\n"))")
            XCTAssertFalse(rows[5].contains("\u{1B}[7m"), "\(command): only the cursor row is reversed")
            XCTAssertFalse(styled.contains("\u{1B}[3") && styled.range(of: "\u{1B}\\[3[0-7]", options: .regularExpression) != nil,
                           "\(command): no foreground colour")
            // The active tab is reverse video too.
            XCTAssertTrue(rows[1].contains("\u{1B}[1m\u{1B}[7m") || rows[1].contains("\u{1B}[1;7m") || rows[1].contains("\u{1B}[7m"),
                          "\(command): the active tab: \(rows[1])")
            try tmux.send("q")
            XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
        }
    }

    /// In an interactive shell with job control (dash -i, which leaves the terminal as the job left it):
    /// Ctrl-Z stops stacktop with the terminal restored, `fg` brings the dashboard back redrawn.
    func testCtrlZSuspendsAndFgRedraws() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoInInteractiveShell(before: "stty -a > sane.txt; ")
        XCTAssertTrue(tmux.alternateScreenOn())
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)")

        try tmux.send("C-z")
        var screen = tmux.waitFor(text: "Stopped")
        XCTAssertFalse(tmux.alternateScreenOn(), "the normal screen is back:\n\(screen)")
        // The echo's quotes keep the typed line from matching what is waited for.
        try tmux.typeLine("stty -a > stopped.txt; echo sa''ved")
        tmux.waitFor(text: "\nsaved")
        XCTAssertEqual(tmux.file("stopped.txt"), tmux.file("sane.txt"), "the terminal is as it was before stacktop")

        try tmux.typeLine("fg")
        screen = tmux.waitFor(text: "Instances (16)")
        XCTAssertTrue(tmux.alternateScreenOn())
        XCTAssertTrue(screen.contains("backup-agent") && screen.contains("DEMO"), "redrawn whole:\n\(screen)")
        // It answers keys again.
        try tmux.send("3")
        tmux.waitFor(text: "Images (")
        try tmux.send("q")
        XCTAssertNotNil(tmux.waitFor("the dashboard to end") { _ in !tmux.alternateScreenOn() })
        try tmux.typeLine("stty -a > after-quit.txt; echo do''ne")
        tmux.waitFor(text: "\ndone")
        XCTAssertEqual(tmux.file("after-quit.txt"), tmux.file("sane.txt"))
        try tmux.typeLine("exit")
    }
}

import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// The `:` line: fuzzy matching as k9s does it, where candidates come from, the list Tab opens, and history.
final class CommandPaletteTests: XCTestCase {
    private func loadedState() -> AppState {
        var state = AppState(backend: BackendDescription(kind: .demo, endpoint: "demo"), readOnly: false,
                             capabilities: Capabilities(supported: [Capability(.instance, .stop), Capability(.instance, .start),
                                                                    Capability(.instance, .create)]),
                             size: Size(width: 80, height: 24), now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        state.contexts = ContextList([StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "test:///a.xml"),
                                      StacktopContext(name: "lab-b", kind: .libvirt, endpoint: "test:///b.xml"),
                                      StacktopContext(name: "prod", kind: .openstack, endpoint: "https://k:5000/v3")])
        return state
    }

    private func type(_ text: String, into state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        for character in text { effects += state.handle(.key(.character(character))) }
        return effects
    }

    private var line: (AppState) -> String? {
        { if case .command(let text) = $0.input { text } else { nil } }
    }

    // MARK: matching

    func testSubsequencesMatchAndPrefixesComeFirst() {
        XCTAssertNotNil(FuzzyMatch.score("flavors", "fla"))
        XCTAssertNotNil(FuzzyMatch.score("floating-ips", "fip"))
        XCTAssertNotNil(FuzzyMatch.score("Flavors", "FLA"), "case is ignored")
        XCTAssertNil(FuzzyMatch.score("flavors", "fal"), "the letters must come in order")
        XCTAssertNil(FuzzyMatch.score("fl", "fla"))
        XCTAssertEqual(FuzzyMatch.rank(["floating-ips", "afla", "flavors"], "fla"), ["flavors", "afla", "floating-ips"],
                       "a prefix first, then the tightest match, then one with a gap")
        XCTAssertEqual(FuzzyMatch.rank(["b-web", "web-10", "web-01", "xwxexb"], "web"), ["web-10", "web-01", "b-web", "xwxexb"],
                       "prefix matches keep the source's order; an earlier start beats a later one")
        XCTAssertEqual(FuzzyMatch.rank(["a", "b", "a"], ""), ["a", "b"], "an empty word matches everything, once")
        XCTAssertEqual(FuzzyMatch.rank(["Ünïcødé-büild", "web"], "ünï"), ["Ünïcødé-büild"])
    }

    // MARK: sources

    func testFirstWordsArePanelsCommandsAndKinds() {
        let state = loadedState()
        XCTAssertEqual(CommandCompletion.complete("fla", in: state).candidates.first, "flavors")
        XCTAssertEqual(CommandCompletion.complete("flip", in: state).candidates.first, "floating-ip")
        XCTAssertEqual(CommandCompletion.complete("ser", in: state).candidates.first, "server")
        XCTAssertEqual(CommandCompletion.complete("ct", in: state).candidates.first, "ctx")
        XCTAssertEqual(CommandCompletion.complete("", in: state).candidates.first, "overview")
    }

    func testLaterWordsComeFromTheSnapshotThemesProjectsAndContexts() {
        let state = loadedState()
        let (base, names) = CommandCompletion.complete("server stop w", in: state)
        XCTAssertEqual(base, "server stop ")
        XCTAssertEqual(names, ["web-01", "web-10", "web-2"])
        XCTAssertEqual(CommandCompletion.complete("server ", in: state).candidates, ["list", "create", "start", "stop"])
        XCTAssertEqual(CommandCompletion.complete("server st", in: state).candidates, ["start", "stop", "list"])
        XCTAssertEqual(CommandCompletion.complete("theme l", in: state).candidates, ["light", "default"])
        XCTAssertEqual(CommandCompletion.complete("project ", in: state).candidates.prefix(2), ["admin", "demo"])
        XCTAssertEqual(CommandCompletion.complete("ctx lab", in: state).candidates, ["lab-a", "lab-b"])
        XCTAssertEqual(CommandCompletion.complete("ctx ", in: state).candidates, ["lab-a", "lab-b", "prod"])
        XCTAssertEqual(CommandCompletion.complete("console db", in: state).candidates, ["db primary", "Ünïcødé-büild"])
        XCTAssertEqual(CommandCompletion.complete("server create x --fla", in: state).candidates, ["--flavor"])
        XCTAssertEqual(CommandCompletion.complete("server create x --flavor ", in: state).candidates, [],
                       "an option's value is not a server's name")
        XCTAssertEqual(CommandCompletion.complete("frobnicate x", in: state).candidates, [])
    }

    // MARK: the list

    func testTabOpensTheListAndCycles() {
        var state = loadedState()
        _ = state.handle(.key(.character(":")))
        _ = type("fla", into: &state)
        _ = state.handle(.key(.tab))
        XCTAssertTrue(state.palette.isOpen)
        XCTAssertEqual(line(state), "flavors")
        XCTAssertEqual(state.palette.selected, 0)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(line(state), "flavor")
        _ = state.handle(.key(.backTab))
        XCTAssertEqual(line(state), "flavors")
        _ = state.handle(.key(.up))
        XCTAssertEqual(state.palette.selected, state.palette.candidates.count - 1, "arrows cycle too, round the end")
        _ = state.handle(.key(.down))
        XCTAssertEqual(line(state), "flavors")
        let effects = state.handle(.key(.enter))
        XCTAssertEqual(effects, [.recordCommand("flavors")])
        XCTAssertEqual(state.panel, .flavors)
        XCTAssertFalse(state.palette.isOpen)
        XCTAssertEqual(state.input, .normal)
    }

    func testOneCandidateIsTakenAtOnceAndTypingClosesTheList() {
        var state = loadedState()
        _ = state.handle(.key(.character(":")))
        _ = type("theme lig", into: &state)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(line(state), "theme light ")
        XCTAssertFalse(state.palette.isOpen)
        _ = state.handle(.key(.ctrl("u")))
        _ = type("server stop w", into: &state)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(line(state), "server stop web-01")
        _ = type(" ", into: &state)
        XCTAssertFalse(state.palette.isOpen)
        XCTAssertEqual(line(state), "server stop web-01 ", "typing keeps the chosen candidate")
        _ = state.handle(.key(.tab))
        _ = state.handle(.key(.escape))
        XCTAssertFalse(state.palette.isOpen, "Esc closes the list first")
        XCTAssertNotNil(line(state))
        _ = state.handle(.key(.escape))
        XCTAssertEqual(state.input, .normal)
        _ = state.handle(.key(.character(":")))
        _ = type("zzz", into: &state)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(line(state), "zzz")
        XCTAssertEqual(state.status?.text, "Nothing to complete for \":zzz\"; press ? for the commands.")
    }

    /// The list is drawn over the bottom of the panel, just above the status line, the chosen one highlighted.
    func testTheListIsDrawnAboveTheLine() throws {
        var state = loadedState()
        _ = state.handle(.key(.character(":")))
        _ = type("server stop ", into: &state)
        _ = state.handle(.key(.tab))
        _ = state.handle(.key(.tab))
        let buffer = DashboardView.render(state)
        let rows = buffer.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertTrue(rows[23].hasPrefix(":server stop web-10_"), "the cursor mark right after what is typed: \(rows[23])")
        XCTAssertTrue(rows[16].contains("2/5"), rows.joined(separator: "\n"))
        XCTAssertTrue(rows[17].contains(" web-01 "), rows.joined(separator: "\n"))
        XCTAssertTrue(rows[18].contains(" web-10 "), rows.joined(separator: "\n"))
        XCTAssertTrue(rows[21].contains(" Ünïcødé-büild "), rows.joined(separator: "\n"))
        let x = try XCTUnwrap(rows[18].range(of: "web-10")).lowerBound.utf16Offset(in: rows[18])
        XCTAssertEqual(buffer[x, 18].style, state.theme[.selection], "the chosen one carries the selection's style")
        XCTAssertNotEqual(buffer[x, 17].style, state.theme[.selection])
    }

    // MARK: history

    func testUpAndDownRecallLikeAShell() {
        var state = loadedState()
        state.palette.history = CommandHistory(["vol", "theme light", "ctx lab-b"])
        _ = state.handle(.key(.character(":")))
        _ = state.handle(.key(.up))
        XCTAssertEqual(line(state), "ctx lab-b", "Up on an empty line gives the last command")
        _ = state.handle(.key(.up))
        _ = state.handle(.key(.up))
        XCTAssertEqual(line(state), "vol")
        _ = state.handle(.key(.up))
        XCTAssertEqual(line(state), "vol", "the oldest stays")
        _ = state.handle(.key(.down))
        XCTAssertEqual(line(state), "theme light")
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        XCTAssertEqual(line(state), "", "past the newest: the line that was being typed")
        _ = type("aud", into: &state)
        _ = state.handle(.key(.up))
        _ = state.handle(.key(.down))
        XCTAssertEqual(line(state), "aud")
    }

    func testRunLinesAreRecordedOnceAndTheHistoryIsCapped() {
        var state = loadedState()
        _ = state.handle(.key(.character(":")))
        _ = type("  vol ", into: &state)
        XCTAssertEqual(state.handle(.key(.enter)), [.recordCommand("vol")])
        _ = state.handle(.key(.character(":")))
        _ = type("vol", into: &state)
        XCTAssertEqual(state.handle(.key(.enter)), [], "the same line again is not kept twice")
        _ = state.handle(.key(.character(":")))
        XCTAssertEqual(state.handle(.key(.enter)), [], "an empty line is not kept")
        XCTAssertEqual(state.palette.history.entries, ["vol"])

        var history = CommandHistory()
        for n in 0..<(CommandHistory.capacity + 10) { history.add("cmd \(n)") }
        XCTAssertEqual(history.entries.count, CommandHistory.capacity)
        XCTAssertEqual(history.entries.first, "cmd 10")
        XCTAssertEqual(history.entries.last, "cmd \(CommandHistory.capacity + 9)")
        XCTAssertFalse(history.add("bad \u{1b}[2J"), "a control character is never kept")
        XCTAssertEqual(CommandHistory(["ok", "", "x\u{7}", String(repeating: "a", count: 2000)]).entries, ["ok"])
    }
}

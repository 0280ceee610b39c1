import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// Issue 15's items 1, 2, 9 and 10: help that scrolls and filters, selection without colour, the
/// messages screen, and the small ones (unknown names, hidden marks, ASCII, the large Overview, why a
/// panel is empty, Ctrl-Z).
final class OperatorUXTests: XCTestCase {
    static let themesDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("themes").path

    /// What a libvirt host offers for instances (the keys the help lists).
    static let instanceActions = Capabilities(
        supported: Set([ActionKind.create, .start, .stop, .powerOff, .reboot, .hardReboot, .pause, .unpause, .suspend,
                        .resume, .lock, .unlock, .delete].map { Capability(.instance, $0) }),
        unsupportedKinds: [.floatingIP: "A libvirt host has no floating IPs: guests on a NAT network reach out through the host."])

    private func demoState(size: Size, readOnly: Bool = false, theme: Theme = .builtIn,
                           glyphs: Glyphs = .unicode) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: readOnly, capabilities: Self.instanceActions,
                             theme: theme, glyphs: glyphs, size: size, now: demo.snapshot.takenAt)
        state.refresh.clock = demo.snapshot.takenAt
        _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
        state.panel = .instances
        return state
    }

    private func press(_ keys: [Key], _ state: inout AppState) {
        for key in keys { _ = state.handle(.key(key)) }
    }

    private func type(_ text: String, _ state: inout AppState) {
        press(text.map { Key.character($0) }, &state)
    }

    private func screen(_ state: AppState) -> String { DashboardView.render(state).text }

    // MARK: 1. help

    func testHelpScrollsToItsLastEntryAtBothSizes() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            press([.character("?")], &state)
            try assertScreenSnapshot(state, named: "help-\(size)")
            XCTAssertFalse(screen(state).contains("quit  "), "the last entry is below the first page at \(size)")
            press([.character("G")], &state)
            try assertScreenSnapshot(state, named: "help-end-\(size)")
            let end = screen(state)
            XCTAssertTrue(end.contains(":q "), "G shows the last entry (:q) at \(size):\n\(end)")
            // One step up from the end moves at once (the scroll does not run past the last line).
            let before = end
            press([.up], &state)
            XCTAssertNotEqual(screen(state), before)
            press([.character("g")], &state)
            XCTAssertTrue(screen(state).contains("Actions on servers"))
            press([.pageDown, .pageDown, .pageUp], &state)
            XCTAssertEqual(state.keyContext, .help)
            XCTAssertNil(state.status, "paging the help is not \"does nothing here\"")
            // A page is the help's own height, one line kept for context.
            press([.character("g"), .pageDown], &state)
            guard case .help(let pane)? = state.topOverlay else { return XCTFail("help closed") }
            XCTAssertEqual(pane.scroll, min(state.helpScrollLimit, HelpContent.visibleLines(for: size, pane: pane) - 1))
        }
    }

    func testHelpListsTheScreensKeysAndTheGlobalOnes() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40))
        press([.character("?")], &state)
        let lines = HelpContent.lines(state, pane: HelpPane(context: .list))
        let keys = Set(lines.filter { $0.kind == .key }.map(\.keys))
        for expected in ["S", "O", "D", "C", "V", "/", "q", ":", "1-9 0", "? F1", "Ctrl-Z", "M", "PgDn Ctrl-F", "End G", "Tab → l"] {
            XCTAssertTrue(keys.contains(expected), "help lists \(expected): \(keys.sorted())")
        }
        // Every binding of the screen is listed: the help is the key map.
        let bound = KeyMap.bindings(for: .list, actions: state.offeredActions, kind: .instance)
        let commandsStart = try XCTUnwrap(lines.firstIndex { $0.kind == .heading && $0.text.hasPrefix("Commands") })
        XCTAssertEqual(lines[..<commandsStart].filter { $0.kind == .key }.count, bound.count)
        // Every command the help names parses to something.
        for (words, _) in HelpContent.commands(glyphs: .unicode) {
            guard !words.contains("KIND") else { continue }
            for word in words.split(separator: " ") where word.hasPrefix(":") {
                if case .unknown = CommandLine.parse(String(word.dropFirst())) { XCTFail("help names \(word), which is unknown") }
            }
        }
    }

    func testHelpFiltersWithSlash() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            press([.character("?"), .character("/")], &state)
            type("console", &state)
            try assertScreenSnapshot(state, named: "help-filtered-\(size)")
            let text = screen(state)
            XCTAssertTrue(text.contains("serial console"), text)
            XCTAssertFalse(text.contains("move down"), text)
            press([.enter], &state)
            guard case .help(let pane)? = state.topOverlay else { return XCTFail("help stays open") }
            XCTAssertEqual(pane.filter, "console")
            XCTAssertFalse(pane.filtering)
            press([.escape], &state)
            XCTAssertNil(state.topOverlay, "Esc after the filter closes the help")
        }
        var state = try await demoState(size: Size(width: 80, height: 24))
        press([.character("?"), .character("/")], &state)
        type("zzz-nothing", &state)
        XCTAssertTrue(screen(state).contains("No key matches"))
        press([.escape], &state)
        XCTAssertTrue(screen(state).contains("Actions on servers"), "Esc while typing clears the filter")
    }

    func testReadOnlyHelpListsRefusedKeysGreyed() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size, readOnly: true)
            XCTAssertTrue(state.capabilities.supported.isEmpty)
            press([.character("?")], &state)
            try assertScreenSnapshot(state, named: "help-readonly-\(size)")
            let lines = HelpContent.lines(state, pane: HelpPane(context: .list))
            for key in ["S", "O", "D", "C", "V", "F"] {
                let line = lines.first { $0.kind == .key && $0.keys == key }
                XCTAssertEqual(line?.greyed, true, "\(key) greyed in read-only")
                XCTAssertTrue(line?.text.hasSuffix("(read-only)") == true || lines.contains { $0.kind == .more && $0.greyed },
                              "\(key) says read-only")
            }
            XCTAssertEqual(lines.first { $0.keys == "T" }?.greyed, false, "the console log is allowed in read-only")
            XCTAssertEqual(lines.first { $0.keys == "/" }?.greyed, false)
            // Greyed means the muted role, so the attribute snapshot under mono shows it too.
            let buffer = DashboardView.render(state)
            let row = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
                .firstIndex { $0.contains("shut off the marked") }
            let y = try XCTUnwrap(row)
            XCTAssertEqual(buffer[4, y].style, state.theme[.muted])
        }
    }

    // MARK: 2. selection without colour

    func testSelectionAndActiveTabAreReverseVideoWithoutColourInEveryTheme() async throws {
        var themes = [Theme.builtIn]
        for name in ["default", "light", "high-contrast", "mono"] {
            themes.append(try ThemeLoader.load(nameOrPath: name, searchDirectories: [Self.themesDirectory]))
        }
        for theme in themes {
            let state = try await demoState(size: Size(width: 80, height: 24), theme: theme.monochrome)
            let buffer = DashboardView.render(state)
            let attributes = CellBufferExport.attributes(buffer).split(separator: "\n", omittingEmptySubsequences: false)
            // Row 4 is the first body row of the Instances list: the cursor row, reversed from border to border.
            let cursorRow = attributes[4]
            XCTAssertTrue(cursorRow.dropFirst(1).prefix(78).allSatisfy { Int(String($0), radix: 16).map { $0 & 4 != 0 } ?? false },
                          "\(theme.name): the cursor row is reverse video without colour: \(cursorRow)")
            XCTAssertFalse(attributes[5].contains("4"), "\(theme.name): the next row is not reversed")
            // The active tab: reverse and bold (5).
            let tabs = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)[1]
            let start = try XCTUnwrap(tabs.range(of: " 2 ")).lowerBound
            let x = tabs.distance(from: tabs.startIndex, to: start)
            XCTAssertEqual(buffer[x + 1, 1].style.reverse && buffer[x + 1, 1].style.bold, true, "\(theme.name): active tab")
            XCTAssertFalse(buffer[0, 1].style.reverse, "\(theme.name): an inactive tab is plain")
        }
    }

    func testSelectionAttributeSnapshotUnderNoColor() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size, theme: Theme.builtIn.monochrome)
            press([.down, .down], &state)
            let buffer = DashboardView.render(state)
            try assertTextSnapshot(CellBufferExport.plainText(buffer) + "--- attributes (bold 1, underline 2, reverse 4, dim 8) ---\n"
                                   + CellBufferExport.attributes(buffer), named: "selection-attributes-no-color-\(size)")
        }
    }

    func testAFormsFocusedFieldShowsWithoutColour() async throws {
        let mono = try ThemeLoader.load(nameOrPath: "mono", searchDirectories: [Self.themesDirectory])
        for theme in [Theme.builtIn.monochrome, mono] {
            var state = try await demoState(size: Size(width: 120, height: 40), theme: theme)
            press([.character("c")], &state)
            guard case .form? = state.topOverlay else { return XCTFail("c opens the launch form") }
            type("web-09", &state)
            let buffer = DashboardView.render(state)
            let rows = buffer.text.split(separator: "\n", omittingEmptySubsequences: false)
            let y = try XCTUnwrap(rows.firstIndex { $0.contains("web-09") })
            let x = rows[y].distance(from: rows[y].startIndex, to: try XCTUnwrap(rows[y].range(of: "web-09")).lowerBound)
            let field = buffer[x, y].style, dialog = state.theme[.dialog]
            XCTAssertNotEqual(field.reverse, dialog.reverse, "\(theme.name): the focused field stands out of the dialog")
        }
    }

    // MARK: 9. messages

    func testMessagesScreenKeepsLongMessagesWhole() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            let long = "web-01 could not be shut off: the guest did not answer the ACPI request within 10 s, so it is still running; "
                + "press P to power it off, which is like pulling the plug, or try again once it has finished booting."
            state.refresh.clock = state.now.addingTimeInterval(5)
            _ = state.handle(.actionFinished(ActionRequest(action: .stop, kind: .instance, targets: ["web-01"]), message: long, failed: true))
            state.refresh.clock = state.now.addingTimeInterval(65)
            press([.character("s")], &state)
            XCTAssertTrue(screen(state).contains("Sorted by"))
            XCTAssertFalse(screen(state).contains("once it has finished booting."), "the status line cuts it")
            press([.character("M")], &state)
            try assertScreenSnapshot(state, named: "messages-\(size)")
            let text = screen(state)
            XCTAssertTrue(text.contains("booting."), "the whole message is on the messages screen:\n\(text)")
            XCTAssertLessThan(try XCTUnwrap(text.range(of: "Sorted by")).lowerBound, try XCTUnwrap(text.range(of: "web-01 could")).lowerBound,
                              "newest first")
            press([.escape], &state)
            XCTAssertNil(state.topOverlay)
            _ = state.runCommandLine("messages")
            XCTAssertEqual(state.topOverlay, .messages(scroll: 0))
        }
    }

    func testMessagesAreBoundedAndNotRepeated() {
        var log = MessageLog()
        for index in 0..<(MessageLog.capacity + 10) {
            log.add("message \(index)", isError: false, at: Date(timeIntervalSince1970: 0))
            log.add("message \(index)", isError: false, at: Date(timeIntervalSince1970: 0))
        }
        XCTAssertEqual(log.entries.count, MessageLog.capacity)
        XCTAssertEqual(log.entries.last?.text, "message \(MessageLog.capacity + 9)")
    }

    // MARK: 10. the small ones

    func testAnUnknownNameIsRefusedBeforeAnyQuestion() async throws {
        var state = try await demoState(size: Size(width: 80, height: 24))
        let effects = state.runCommandLine("server stop nosuch")
        XCTAssertEqual(effects, [])
        XCTAssertNil(state.topOverlay, "no question for a server that does not exist")
        XCTAssertTrue(state.status?.text.hasPrefix("No server named \"nosuch\"") == true, state.status?.text ?? "")
        XCTAssertEqual(state.status?.isError, true)
        // A real one still asks.
        _ = state.runCommandLine("server stop web-01")
        guard case .confirm? = state.topOverlay else { return XCTFail("web-01 exists: the question comes") }
        // Kinds the snapshot does not hold go to the backend: a quota's `default`.
        state.overlays.removeAll()
        XCTAssertNil(state.missingTargets(ActionRequest(action: .update, kind: .quota, targets: ["default"])))
        XCTAssertNil(state.missingTargets(ActionRequest(action: .create, kind: .instance, targets: ["new-one"])))
    }

    func testMarksHiddenByTheFilterAreNamedInTheQuestion() async throws {
        var state = try await demoState(size: Size(width: 80, height: 24))
        press([.character(" ")], &state)  // marks the first row
        let marked = try XCTUnwrap(state.tables[.instances]?.marked.first)
        let name = try XCTUnwrap(Panel.instances.name(of: marked, in: state.snapshot))
        press([.character("/")], &state)
        type("数据库", &state)
        press([.enter], &state)
        XCTAssertTrue(screen(state).contains("1 hidden by the filter"), screen(state))
        press([.character("O")], &state)
        guard case .confirm(let pending)? = state.topOverlay else {
            return XCTFail("a question, not \(state.status?.text ?? "nothing")")
        }
        XCTAssertEqual(pending.request.targets, [name])
        XCTAssertTrue(pending.confirmation.question?.contains("hidden by the filter: \(name)") == true,
                      pending.confirmation.question ?? "")
        // Even an action that asks nothing asks when its rows are out of sight.
        press([.escape, .character("S")], &state)
        guard case .confirm(let start)? = state.topOverlay, case .yes = start.confirmation else { return XCTFail("start asks") }
    }

    func testASCIIModeDrawsOnlyASCII() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40), glyphs: .ascii)
        let outside = Set((state.snapshot?.instances.map(\.name) ?? []).flatMap { $0.unicodeScalars.filter { !$0.isASCII } })
        func check(_ what: String) {
            let bad = DashboardView.render(state).text.unicodeScalars.filter { !$0.isASCII && !outside.contains($0) && $0 != "\0" }
            XCTAssertTrue(bad.isEmpty, "\(what): \(String(String.UnicodeScalarView(bad)))")
        }
        for panel in Panel.allCases {
            state.panel = panel
            check(panel.word)
        }
        state.panel = .instances
        press([.character("?")], &state); check("help")
        press([.escape, .character("M")], &state); check("messages")
        press([.escape, .character(" "), .character("O")], &state); check("confirm")
        press([.escape], &state)
        _ = state.runCommandLine("topology"); check("topology")
        state.overlays.removeAll()
        state.size = Size(width: 200, height: 60)
        state.panel = .overview
        check("overview 200x60")
    }

    func testTheLargeOverviewShowsHostsAndRecentEvents() async throws {
        var state = try await demoState(size: Size(width: 200, height: 60))
        state.panel = .overview
        var next = try XCTUnwrap(state.snapshot)
        next.instances[0].state = next.instances[0].state == .running ? .paused : .running
        next.takenAt = next.takenAt.addingTimeInterval(10)
        state.refresh.clock = next.takenAt
        _ = state.handle(.snapshotLoaded(next, origin: .live))
        try assertScreenSnapshot(state, named: "overview-200x60")
        let text = screen(state)
        XCTAssertTrue(text.contains("Hosts · CPU and memory"), text)
        XCTAssertTrue(text.contains("Recent events"), text)
        XCTAssertTrue(text.contains("\(next.instances[0].name): "), "the state change is listed:\n\(text)")
        state.size = Size(width: 120, height: 40)
        XCTAssertFalse(screen(state).contains("Recent events"), "120x40 keeps its layout")
    }

    func testAnEmptyPanelSaysWhyTheBackendHasNone() async throws {
        var state = try await demoState(size: Size(width: 80, height: 24))
        state.panel = .floatingIPs
        XCTAssertTrue(screen(state).contains("A libvirt host has no floating IPs"), screen(state))
        XCTAssertFalse(screen(state).contains("No floating ips yet."))
        state.readOnly = true
        state.capabilities = .none
        state.capabilitiesWhenWritable = Self.instanceActions
        XCTAssertTrue(screen(state).contains("A libvirt host has no floating IPs"), "read-only too")
    }

    func testCtrlZSuspends() async throws {
        var state = try await demoState(size: Size(width: 80, height: 24))
        XCTAssertEqual(state.handle(.key(.ctrl("z"))), [.suspend])
        state.panel = .overview
        XCTAssertEqual(state.handle(.key(.ctrl("z"))), [.suspend])
    }
}

import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// Issue 15's items 4 and 8: clicks, double clicks, the wheel and right clicks, hit-tested on the drawn
/// layout; the row action menu (`a`, a right click) with only what the row's state allows.
final class MouseAndMenuTests: XCTestCase {
    private func demoState(size: Size = Size(width: 80, height: 24), readOnly: Bool = false) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: readOnly, capabilities: OperatorUXTests.instanceActions,
                             theme: .builtIn, glyphs: .unicode, size: size, now: demo.snapshot.takenAt)
        state.refresh.clock = demo.snapshot.takenAt
        _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
        state.panel = .instances
        return state
    }

    private func click(_ target: HitTarget, _ state: inout AppState, button: MouseEvent.Button = .left,
                       count: Int = 1, file: StaticString = #filePath, line: UInt = #line) throws -> [Effect] {
        let rect = try XCTUnwrap(DashboardView.regions(state).rect(of: target), "\(target) is drawn", file: file, line: line)
        return state.handle(.mouse(MouseEvent(button: button, x: rect.x + 1, y: rect.y, clickCount: count)))
    }

    private func position(of name: String, in state: AppState) throws -> Int {
        let model = try XCTUnwrap(state.tables[.instances])
        return try XCTUnwrap(model.visible.firstIndex { model.rows[$0].values.contains { "\($0)".contains(name) } })
    }

    private func select(_ name: String, _ state: inout AppState) throws {
        let at = try position(of: name, in: state)
        let height = state.listBodyHeight
        state.tables[.instances]?.setCursor(at)
        state.tables[.instances]?.scrollToCursor(height: height)
    }

    private func selectedName(_ state: AppState) -> String? {
        state.tables[state.panel]?.selectedID.flatMap { id in state.snapshot?.instances.first { $0.id == id }?.name }
    }

    func testClickingATabSwitchesPanel() async throws {
        var state = try await demoState()
        _ = try click(.tab(.volumes), &state)
        XCTAssertEqual(state.panel, .volumes)
        _ = try click(.tab(.overview), &state)
        XCTAssertEqual(state.panel, .overview)
        // A release, or a click where nothing is, does nothing.
        _ = state.handle(.mouse(MouseEvent(button: .left, pressed: false, x: 20, y: 1)))
        _ = state.handle(.mouse(MouseEvent(button: .left, x: 79, y: 23)))
        XCTAssertEqual(state.panel, .overview)
        XCTAssertTrue(state.overlays.isEmpty)
    }

    func testClickMovesTheCursorAndDoubleClickOpensDetails() async throws {
        var state = try await demoState()
        let target = try position(of: "lb-edge", in: state)
        XCTAssertNotEqual(state.tables[.instances]?.cursor, target)
        XCTAssertEqual(try click(.row(position: target), &state), [])
        XCTAssertEqual(state.tables[.instances]?.cursor, target)
        XCTAssertEqual(selectedName(state), "lb-edge")
        XCTAssertTrue(state.overlays.isEmpty, "one click only selects")
        _ = try click(.row(position: target), &state, count: 2)
        guard case .details(.instances, let id, _)? = state.topOverlay else { return XCTFail("double click opens details") }
        XCTAssertEqual(state.snapshot?.instances.first { $0.id == id }?.name, "lb-edge")
        // The details screen has no rows: a click on the list's place does not move the hidden cursor.
        _ = state.handle(.mouse(MouseEvent(button: .left, x: 5, y: 4)))
        XCTAssertEqual(state.tables[.instances]?.cursor, target)
    }

    func testWheelMovesThreeRowsANotchAndScrollsOverlays() async throws {
        var state = try await demoState()
        _ = state.handle(.mouse(MouseEvent(button: .wheelDown, x: 10, y: 8)))
        XCTAssertEqual(state.tables[.instances]?.cursor, 3)
        _ = state.handle(.mouse(MouseEvent(button: .wheelDown, x: 10, y: 8)))
        _ = state.handle(.mouse(MouseEvent(button: .wheelUp, x: 10, y: 8)))
        XCTAssertEqual(state.tables[.instances]?.cursor, 3)
        _ = state.perform(.help)
        _ = state.handle(.mouse(MouseEvent(button: .wheelDown, x: 10, y: 8)))
        guard case .help(let pane)? = state.topOverlay else { return XCTFail("help stays open") }
        XCTAssertEqual(pane.scroll, 3)
    }

    func testMouseIsIgnoredOnTheWallAndWhileTyping() async throws {
        var state = try await demoState()
        _ = state.handle(.key(.character("/")))
        _ = try click(.tab(.volumes), &state)
        XCTAssertEqual(state.panel, .instances, "a click does not break off the filter being typed")
        XCTAssertEqual(state.input, .filter(""))
        var wall = try await demoState()
        wall.enterWall(WallSettings(panels: [.instances]))
        XCTAssertEqual(DashboardView.regions(wall), ScreenRegions())
        _ = wall.handle(.mouse(MouseEvent(button: .wheelDown, x: 10, y: 8)))
        XCTAssertEqual(wall.tables[.instances]?.cursor, 0)
    }

    func testConfirmationAndFormButtonsAnswerClicksAndNothingElseDoes() async throws {
        var state = try await demoState()
        let bastion = try position(of: "bastion", in: state)
        _ = try click(.row(position: bastion), &state)
        let volumesTab = try XCTUnwrap(DashboardView.regions(state).rect(of: .tab(.volumes)))
        _ = state.handle(.key(.character("R")))  // reboot asks y
        guard case .confirm? = state.topOverlay else { return XCTFail("reboot asks first") }
        // A click beside the dialog (on a tab) neither switches panel nor answers.
        _ = state.handle(.mouse(MouseEvent(button: .left, x: volumesTab.x + 1, y: volumesTab.y)))
        XCTAssertEqual(state.panel, .instances)
        guard case .confirm? = state.topOverlay else { return XCTFail("the question stays") }
        let effects = try click(.button(.character("y")), &state)
        XCTAssertEqual(effects.count, 1)
        guard case .perform(let request)? = effects.first else { return XCTFail("y confirms: \(effects)") }
        XCTAssertEqual(request.action, .reboot)
        XCTAssertEqual(request.targets, ["bastion"])

        _ = state.handle(.key(.character("R")))
        _ = try click(.button(.escape), &state)
        XCTAssertNil(state.topOverlay)
        XCTAssertEqual(state.status?.text, "Cancelled: nothing was changed.")
    }

    func testFormFooterWordsAreButtons() async throws {
        var state = try await demoState()
        _ = state.handle(.key(.character("c")))  // the launch form
        guard case .form(let form)? = state.topOverlay else { return XCTFail("c opens the launch form") }
        // "Tab next" moves the focus as Tab does; "* required" is only text.
        _ = try click(.button(.tab), &state)
        guard case .form(let moved)? = state.topOverlay else { return XCTFail("the form stays open") }
        XCTAssertEqual(moved.focus, form.focus + 1)
        XCTAssertFalse(DashboardView.regions(state).regions.contains { $0.target == .button(.character("*")) })
        _ = try click(.button(.escape), &state)
        XCTAssertNil(state.topOverlay)
        XCTAssertEqual(state.status?.text, "Cancelled: nothing was changed.")
    }

    // MARK: the row action menu

    func testMenuListsOnlyWhatTheRowsStateAllows() async throws {
        var state = try await demoState()
        func titles(_ name: String) throws -> [String] {
            try select(name, &state)
            _ = state.handle(.key(.character("a")))
            guard case .actionMenu(let menu)? = state.topOverlay else { XCTFail("a opens the menu on \(name)"); return [] }
            XCTAssertEqual(menu.title, name)
            _ = state.handle(.key(.escape))
            XCTAssertNil(state.topOverlay, "Esc closes the menu")
            return menu.items.map(\.title)
        }
        let running = try titles("bastion")
        XCTAssertEqual(running, ["Shut off", "Power off", "Reboot", "Hard reboot", "Pause", "Suspend", "Lock", "Delete",
                                 "Serial console", "Console log", "VNC display"])
        let off = try titles("backup-agent")
        XCTAssertEqual(off, ["Start", "Lock", "Delete", "Console log"])
        XCTAssertEqual(try titles("log collector"), ["Power off", "Hard reboot", "Unpause", "Suspend", "Lock", "Delete",
                                                     "Serial console", "Console log", "VNC display"])
        XCTAssertEqual(try titles("ci runner 3"), ["Resume", "Lock", "Delete", "Console log"])
        XCTAssertEqual(try titles("db primary"), ["Unlock", "Serial console", "Console log", "VNC display"],
                       "a locked instance can only be unlocked (and looked at)")
    }

    func testEnterRunsTheChosenActionThroughTheSameGateAsItsKey() async throws {
        var state = try await demoState()
        try select("backup-agent", &state)
        var byKey = state
        let keyEffects = byKey.handle(.key(.character("S")))
        _ = state.handle(.key(.character("a")))
        let menuEffects = state.handle(.key(.enter))  // Start is the first entry of a shut-off instance
        XCTAssertEqual(menuEffects, keyEffects)
        XCTAssertEqual(state.status, byKey.status)
        XCTAssertEqual(state.actionsInFlight, byKey.actionsInFlight)
        guard case .perform(let request)? = menuEffects.first else { return XCTFail("start runs: \(menuEffects)") }
        XCTAssertEqual(request.action, .start)

        // A destructive entry asks exactly as its key does; ↓ then Enter, or the entry's own key.
        try select("bastion", &state)
        _ = state.handle(.key(.character("a")))
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        XCTAssertEqual(state.handle(.key(.enter)), [])
        guard case .confirm(let pending)? = state.topOverlay else { return XCTFail("reboot asks y") }
        XCTAssertEqual(pending.request.action, .reboot)
        _ = state.handle(.key(.character("n")))
        _ = state.handle(.key(.character("a")))
        _ = state.handle(.key(.character("P")))
        guard case .confirm(let second)? = state.topOverlay else { return XCTFail("P in the menu asks too") }
        XCTAssertEqual(second.request.action, .powerOff)
    }

    /// `a` on an item's details opens that item's menu; an entry acts on it, and the details stay under it.
    func testTheMenuFromDetailsActsOnTheItemShown() async throws {
        var state = try await demoState()
        try select("backup-agent", &state)
        _ = state.handle(.key(.enter))
        guard case .details(_, let id, _)? = state.topOverlay else { return XCTFail("details open") }
        try select("bastion", &state)  // the list's cursor moves away: the menu is still the details' item's
        _ = state.handle(.key(.character("a")))
        guard case .actionMenu(let menu)? = state.topOverlay else { return XCTFail("no menu: \(String(describing: state.status))") }
        XCTAssertEqual(menu.title, "backup-agent")
        let effects = state.handle(.key(.enter))
        guard case .perform(let request)? = effects.first else { return XCTFail("start runs: \(effects)") }
        XCTAssertEqual(request.targets, ["backup-agent"])
        guard case .details(_, let still, _)? = state.topOverlay else { return XCTFail("the details closed") }
        XCTAssertEqual(still, id)
    }

    func testRightClickOpensTheMenuAtTheRowAndAClickRunsAnEntry() async throws {
        var state = try await demoState()
        let bastion = try position(of: "bastion", in: state)
        let rowRect = try XCTUnwrap(DashboardView.regions(state).rect(of: .row(position: bastion)))
        _ = state.handle(.mouse(MouseEvent(button: .right, x: 30, y: rowRect.y)))
        XCTAssertEqual(selectedName(state), "bastion", "a right click selects the row it is on")
        guard case .actionMenu(let menu)? = state.topOverlay else { return XCTFail("right click opens the menu") }
        XCTAssertEqual(menu.anchorY, rowRect.y)
        let entry = try XCTUnwrap(DashboardView.regions(state).rect(of: .menuItem(0)))
        XCTAssertEqual(entry.y, rowRect.y + 2, "the menu hangs below its row (its first entry under its top border)")
        // Wheel moves the menu's choice, a click on an entry runs it.
        _ = state.handle(.mouse(MouseEvent(button: .wheelDown, x: entry.x, y: entry.y)))
        guard case .actionMenu(let moved)? = state.topOverlay else { return XCTFail("the wheel keeps it open") }
        XCTAssertEqual(moved.cursor, 1)
        _ = try click(.menuItem(2), &state)  // Reboot
        guard case .confirm(let pending)? = state.topOverlay else { return XCTFail("reboot asks y") }
        XCTAssertEqual(pending.request.action, .reboot)
        XCTAssertEqual(pending.request.targets, ["bastion"])
        // A click outside an open menu closes it and does nothing else.
        _ = state.handle(.key(.escape))
        _ = state.handle(.key(.character("a")))
        _ = state.handle(.mouse(MouseEvent(button: .left, x: 0, y: 0)))
        XCTAssertNil(state.topOverlay)
    }

    func testReadOnlyListsTheActionsGreyedAndRefusesThemAsTheKeyDoes() async throws {
        var state = try await demoState(readOnly: true)
        try select("bastion", &state)
        _ = state.handle(.key(.character("a")))
        guard case .actionMenu(let menu)? = state.topOverlay else { return XCTFail("the menu opens read-only too") }
        XCTAssertEqual(menu.items.filter(\.refused).map(\.title),
                       ["Shut off", "Power off", "Reboot", "Hard reboot", "Pause", "Suspend", "Lock", "Delete",
                        "Serial console", "VNC display"])
        XCTAssertEqual(menu.items.filter { !$0.refused }.map(\.title), ["Console log"])
        XCTAssertTrue(DashboardView.render(state).text.contains("Shut off (read-only)"))
        var byKey = state
        byKey.overlays.removeAll()
        XCTAssertEqual(state.handle(.key(.enter)), byKey.handle(.key(.character("O"))))
        XCTAssertEqual(state.status, byKey.status)
        XCTAssertTrue(state.status?.isError == true)
    }

    func testMenuSnapshotsAtBothSizes() async throws {
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = try await demoState(size: size)
            try select("bastion", &state)
            _ = state.handle(.key(.character("a")))
            try assertScreenSnapshot(state, named: "row-menu-\(size)")
            // Near the bottom the menu opens above its row.
            state.overlays.removeAll()
            try select("monitoring", &state)
            _ = state.handle(.key(.character("a")))
            try assertScreenSnapshot(state, named: "row-menu-above-\(size)")
            var readOnly = try await demoState(size: size, readOnly: true)
            try select("bastion", &readOnly)
            _ = readOnly.handle(.key(.character("a")))
            try assertScreenSnapshot(readOnly, named: "row-menu-readonly-\(size)")
        }
    }
}

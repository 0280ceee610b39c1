import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

final class AppStateTests: XCTestCase {
    private func loadedState() -> AppState {
        var state = AppState(backend: BackendDescription(kind: .demo, endpoint: "demo"), readOnly: false,
                             size: Size(width: 80, height: 24), now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        return state
    }

    private func names(_ state: AppState, _ panel: Panel = .instances) -> [String] {
        let model = state.tables[panel]!
        let column = panel.table!.columns.firstIndex { $0.key == "name" }!
        return model.visible.map { index -> String in
            if case .text(let name) = model.rows[index].values[column] { return name }
            return "?"
        }
    }

    func testNamesSortNaturallyAndSortReverses() {
        var state = loadedState()
        _ = state.handle(.key(.character("2")))
        XCTAssertEqual(state.panel, .instances)
        XCTAssertEqual(names(state), ["db primary", "web-01", "web-2", "web-10", "Ünïcødé-büild"])
        _ = state.handle(.key(.character("I")))
        XCTAssertEqual(names(state).first, "Ünïcødé-büild")
    }

    func testSortByNextColumnOrdersStates() {
        var state = loadedState()
        state.panel = .instances
        let columns = KindSpec.instances.columns
        // `s` moves the sort one column on, from Name to the Status column.
        while columns[state.tables[.instances]!.sortColumn].key != "status" {
            _ = state.handle(.key(.character("s")))
        }
        XCTAssertEqual(names(state).prefix(2), ["web-01", "web-10"])
        XCTAssertEqual(state.status?.text, "Sorted by Status, ascending.")
    }

    func testFilterSubstringAndInvertedFilter() {
        var state = loadedState()
        state.panel = .instances
        for key in "/web" { _ = state.handle(.key(.character(key))) }
        XCTAssertEqual(state.input, .filter("web"))
        XCTAssertEqual(names(state), ["web-01", "web-2", "web-10"])
        _ = state.handle(.key(.enter))
        XCTAssertEqual(state.input, .normal)
        XCTAssertEqual(state.status?.text, "3 rows match \"web\".")
        _ = state.handle(.key(.character("/")))
        _ = state.handle(.key(.ctrl("u")))
        for key in "!web" { _ = state.handle(.key(.character(key))) }
        XCTAssertEqual(names(state), ["db primary", "Ünïcødé-büild"])
        _ = state.handle(.key(.escape))
        XCTAssertEqual(names(state).count, 5)
    }

    func testFilterMatchesStateAndNonASCII() {
        var state = loadedState()
        state.panel = .instances
        _ = state.runCommandLine("filter crashed")
        XCTAssertEqual(names(state), ["Ünïcødé-büild"])
        _ = state.runCommandLine("filter ÜNÏ")
        XCTAssertEqual(names(state), ["Ünïcødé-büild"])
    }

    func testMovementKeysAndBounds() {
        var state = loadedState()
        state.panel = .instances
        _ = state.handle(.key(.character("G")))
        XCTAssertEqual(state.tables[.instances]!.cursor, 4)
        _ = state.handle(.key(.down))
        XCTAssertEqual(state.tables[.instances]!.cursor, 4)
        _ = state.handle(.key(.character("k")))
        XCTAssertEqual(state.tables[.instances]!.cursor, 3)
        _ = state.handle(.key(.character("g")))
        XCTAssertEqual(state.tables[.instances]!.cursor, 0)
        _ = state.handle(.key(.pageDown))
        XCTAssertEqual(state.tables[.instances]!.cursor, 4)
    }

    func testSelectionSurvivesReloadInNewOrder() {
        var state = loadedState()
        state.panel = .instances
        _ = state.handle(.key(.character("j")))  // web-01
        XCTAssertEqual(state.tables[.instances]!.selectedID, "uuid-1")
        var changed = SampleCloud.snapshot
        changed.instances.insert(SampleCloud.instance(6, "aaa-first", .running), at: 0)
        _ = state.handle(.snapshotLoaded(changed, origin: .live))
        XCTAssertEqual(state.tables[.instances]!.selectedID, "uuid-1")
    }

    func testDetailsRawAndBack() {
        var state = loadedState()
        state.panel = .instances
        _ = state.handle(.key(.enter))
        XCTAssertEqual(state.topOverlay, .details(panel: .instances, id: "uuid-4", scroll: 0))
        let effects = state.handle(.key(.character("y")))
        XCTAssertEqual(effects, [.loadRawDefinition(id: "uuid-4")])
        _ = state.handle(.rawDefinitionLoaded(id: "uuid-4", text: "<domain/>"))
        XCTAssertEqual(state.topOverlay, .raw(id: "uuid-4", name: "db primary", text: "<domain/>", scroll: 0))
        _ = state.handle(.key(.escape))
        _ = state.handle(.key(.escape))
        XCTAssertNil(state.topOverlay)
    }

    func testCommandModeAliasesAndUnknownCommand() {
        var state = loadedState()
        for (command, panel) in [("vm", Panel.instances), ("images", .images), ("vol", .volumes), ("net", .networks),
                                 ("sg", .securityGroups), ("quota", .quotas), ("instances", .instances)] {
            _ = state.handle(.key(.character(":")))
            for c in command { _ = state.handle(.key(.character(c))) }
            _ = state.handle(.key(.enter))
            XCTAssertEqual(state.panel, panel, command)
        }
        XCTAssertEqual(state.runCommandLine("frobnicate"), [])
        XCTAssertEqual(state.status, StatusMessage("Unknown command \":frobnicate\"; press ? for the list of commands.", isError: true))
        XCTAssertEqual(state.runCommandLine("q"), [.quit])
        XCTAssertEqual(state.runCommandLine("theme light"), [.loadTheme(nameOrPath: "light")])
    }

    func testCommandCompletion() {
        let state = loadedState()
        XCTAssertEqual(CommandCompletion.complete("the", in: state).candidates, ["theme"])
        XCTAssertEqual(CommandCompletion.complete("secg", in: state).candidates.first, "secgroups")
        XCTAssertEqual(CommandCompletion.complete("flav", in: state).candidates.prefix(2), ["flavors", "flavor"])
        XCTAssertEqual(CommandCompletion.complete("zzz", in: state).candidates, [])
    }

    func testTabCyclesPanelsAndHelpListsKeysOfTheScreen() {
        var state = loadedState()
        _ = state.handle(.key(.tab))
        XCTAssertEqual(state.panel, .instances)
        _ = state.handle(.key(.backTab))
        _ = state.handle(.key(.backTab))
        XCTAssertEqual(state.panel, .hypervisors, "Shift-Tab from the first panel wraps to the last")
        state.panel = .instances
        _ = state.handle(.key(.character("?")))
        XCTAssertEqual(state.topOverlay, .help(HelpPane(context: .list)))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("filter rows"), text)
        XCTAssertTrue(text.contains("invert the sort order"))
    }

    func testFailedRefreshKeepsDataAndMarksItStale() {
        var state = loadedState()
        _ = state.handle(.loadFailed(message: "Could not connect to test:///x: gone."))
        XCTAssertEqual(state.snapshot, SampleCloud.snapshot)
        XCTAssertEqual(state.staleSince, SampleCloud.now)
        XCTAssertTrue(DashboardView.render(state).text.contains("STALE"))
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertNil(state.staleSince)
    }

    func testCachedSnapshotNeverReplacesLiveData() {
        var state = loadedState()
        var old = SampleCloud.snapshot
        old.instances.removeAll()
        _ = state.handle(.snapshotLoaded(old, origin: .cached))
        XCTAssertEqual(state.snapshot?.instances.count, 5)
    }

    func testLifecycleEventUpdatesRowWithoutReload() {
        var state = loadedState()
        let effects = state.handle(.backend(.instanceStateChanged(id: "uuid-4", name: "db primary", state: .running)))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(state.snapshot?.instances.first { $0.id == "uuid-4" }?.state, .running)
        XCTAssertEqual(state.handle(.backend(.instanceStateChanged(id: "new", name: "x", state: .running))), [.refresh])
    }

    func testTooSmallTerminalSaysSo() {
        var state = loadedState()
        _ = state.handle(.resize(Size(width: 60, height: 20)))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("Terminal too small: 60x20."), text)
        XCTAssertTrue(text.contains("at least 80x24"))
    }
}

import XCTest
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// `:ctx` as the state sees it: the list, switching (an effect the runner performs), the fresh start drawn
/// from the cache, the open that succeeds or fails, and the context list screen.
final class ContextsTests: XCTestCase {
    static let contexts = ContextList([
        StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "test:///srv/lab-a/node.xml",
                        file: "/home/op/.config/stacktop/config.yaml", line: 2),
        StacktopContext(name: "lab-b", kind: .libvirt, endpoint: "qemu+ssh://root@lab-b/system", readOnly: true,
                        file: "/home/op/.config/stacktop/config.yaml", line: 3),
        StacktopContext(name: "prod", kind: .openstack, endpoint: "https://keystone.example:5000/v3",
                        file: "/home/op/.config/openstack/clouds.yaml", line: 2),
        StacktopContext(name: "hostile\u{1b}[2J", kind: .openstack, endpoint: "http://\u{7}k/v3",
                        file: "/home/op/.config/openstack/clouds.yaml", line: 9),
    ], problems: ["Cloud \"lab-a\" of clouds.yaml:14 has the name of the host on config.yaml:2, so it is left out; rename one of them."])

    private func labA() -> AppState {
        var state = AppState(backend: BackendDescription(kind: .local, endpoint: "test:///srv/lab-a/node.xml"),
                             readOnly: false, theme: .builtIn, size: Size(width: 80, height: 24), now: SampleCloud.now,
                             panel: .instances)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        state.contexts = Self.contexts
        state.currentContext = "lab-a"
        state.palette.history = CommandHistory(["vol"])
        return state
    }

    func testCtxListsTheContextsWithTheCurrentOneUnderTheCursor() {
        var state = labA()
        state.currentContext = "lab-b"
        XCTAssertEqual(state.runCommandLine("ctx"), [])
        XCTAssertEqual(state.topOverlay, .contexts(cursor: 1))
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        _ = state.handle(.key(.down))
        XCTAssertEqual(state.topOverlay, .contexts(cursor: 3), "the cursor stops at the last row")
        _ = state.handle(.key(.character("g")))
        XCTAssertEqual(state.handle(.key(.enter)), [.switchContext(Self.contexts.contexts[0])])
        _ = state.handle(.key(.escape))
        XCTAssertNil(state.topOverlay)
    }

    func testCtxNameSwitchesAndAnUnknownNameListsTheKnownOnes() {
        var state = labA()
        XCTAssertEqual(state.runCommandLine("ctx lab-b"), [.switchContext(Self.contexts["lab-b"]!)])
        XCTAssertEqual(state.runCommandLine("ctx nosuch"), [])
        XCTAssertEqual(state.status, StatusMessage(
            "There is no context named \"nosuch\"; the known ones are lab-a, lab-b, prod, hostile␛[2J.", isError: true))
        XCTAssertEqual(state.runCommandLine("ctx lab-a"), [])
        XCTAssertEqual(state.status?.text, "Context lab-a is the one in use.")
    }

    /// The switch starts afresh for the new backend from its cached snapshot, keeping what is the user's.
    func testSwitchingStartsAfreshFromTheCacheThenGoesLive() {
        var state = labA()
        state.theme = state.theme.monochrome
        state.status = StatusMessage("Said in lab-a.")
        let target = Self.contexts["lab-b"]!
        let description = BackendDescription(kind: .local, endpoint: target.endpoint)
        var cached = SampleCloud.snapshot
        cached.instances = [cached.instances[3]]
        XCTAssertEqual(state.handle(.contextSwitching(target, description: description, readOnly: true, cached: cached)), [])
        XCTAssertEqual(state.currentContext, "lab-b")
        XCTAssertEqual(state.connectingTo, "lab-b")
        XCTAssertEqual(state.origin, .cached)
        XCTAssertEqual(state.snapshot?.instances.map(\.name), ["db primary"])
        XCTAssertEqual(state.panel, .instances)
        XCTAssertEqual(state.theme, AppState(backend: description, readOnly: true).theme.monochrome)
        XCTAssertEqual(state.palette.history.entries, ["vol"])
        XCTAssertTrue(state.messages.entries.contains { $0.text == "Said in lab-a." }, "the message log is the user's, kept")
        XCTAssertEqual(state.contexts, Self.contexts)
        XCTAssertTrue(state.readOnly)
        XCTAssertEqual(state.status?.text, "Connecting to context lab-b (libvirt qemu+ssh://root@lab-b/system)…")
        // No read of the old backend or the stand-in while the new one opens.
        XCTAssertEqual(state.handle(.clock(SampleCloud.now.addingTimeInterval(10))), [])

        let writable = Capabilities(supported: [Capability(.instance, .stop)])
        let effects = state.handle(.contextOpened(name: "lab-b", description: description, capabilities: writable,
                                                  writableCapabilities: writable, notice: nil))
        XCTAssertEqual(effects, [.adoptContext, .refresh, .subscribeEvents])
        XCTAssertEqual(state.capabilities, .none, "a read-only context offers nothing")
        XCTAssertEqual(state.capabilitiesWhenWritable, writable)
        XCTAssertNil(state.connectingTo)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertEqual(state.origin, .live)
    }

    func testAFailedOpenSaysSoAndRTriesAgain() {
        var state = labA()
        let target = Self.contexts["prod"]!
        let description = BackendDescription(kind: .openstack, endpoint: "prod")
        _ = state.handle(.contextSwitching(target, description: description, readOnly: false, cached: nil))
        XCTAssertEqual(state.handle(.contextFailed(name: "prod", message: "Could not reach keystone.example.")), [])
        XCTAssertEqual(state.lastError,
                       "Context prod could not be opened: Could not reach keystone.example; r tries again, :ctx lab-a goes to another.")
        XCTAssertNotNil(state.staleSince)
        XCTAssertEqual(state.handle(.clock(SampleCloud.now.addingTimeInterval(600))), [], "nothing retries by itself")
        XCTAssertEqual(state.handle(.key(.character("r"))), [.switchContext(target)])
        XCTAssertEqual(state.runCommandLine("ctx lab-a"), [.switchContext(Self.contexts["lab-a"]!)])
        // A late answer for a context no longer being opened changes nothing.
        XCTAssertEqual(state.handle(.contextOpened(name: "lab-b", description: description, capabilities: .none,
                                                   writableCapabilities: .none, notice: nil)), [])
    }

    func testTheContextListScreen() async throws {
        let demo = try await DemoCloudFixture.open()
        for size in [Size(width: 80, height: 24), Size(width: 120, height: 40)] {
            var state = AppState(backend: BackendDescription(kind: .local, endpoint: "test:///srv/lab-a/node.xml"),
                                 readOnly: false, theme: .builtIn, size: size, now: demo.snapshot.takenAt)
            _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
            state.contexts = Self.contexts
            state.currentContext = "lab-a"
            _ = state.runCommandLine("ctx")
            _ = state.handle(.key(.down))
            try assertScreenSnapshot(state, named: "contexts-\(size)")
            let text = DashboardView.render(state).text
            XCTAssertFalse(text.unicodeScalars.contains { $0.value == 0x1b || $0.value == 0x07 }, "raw control characters drawn")
        }
        var empty = AppState(backend: BackendDescription(kind: .demo, endpoint: "demo"), readOnly: false, theme: .builtIn,
                             size: Size(width: 80, height: 24), now: demo.snapshot.takenAt)
        _ = empty.runCommandLine("ctx")
        try assertScreenSnapshot(empty, named: "contexts-none-80x24")
    }
}

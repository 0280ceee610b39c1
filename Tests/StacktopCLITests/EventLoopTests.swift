import XCTest
import Synchronization
import StacktopModel
import StacktopServices
import TerminalUI
import Dashboard
import StacktopTestSupport
@testable import stacktop

/// The dashboard's event loop itself (DashboardRunner), run against an in-memory terminal and an in-memory
/// backend: the first frame from the cache, live data replacing it, keys, an action through the gate to the
/// backend and its answer on screen, and quitting. No libvirt, no ncurses, no tmux.
final class EventLoopTests: XCTestCase {
    @MainActor
    private func runner(_ backend: InMemoryBackend, cache: InMemoryStore, terminal: InMemoryTerminal,
                        arguments: [String] = []) throws -> DashboardRunner {
        let opened = OpenedBackend(backend: backend, cache: cache, auditLog: cache, writableCapabilities: backend.capabilities,
                                   cleanup: {})
        return DashboardRunner(opened: opened, options: try OptionParser.parse(arguments), wall: nil, theme: .builtIn,
                               glyphs: .unicode, themeDirectories: [], terminal: terminal)
    }

    @MainActor
    func testCachedFirstThenLiveThenAnActionReachesTheBackendAndTheLoopQuits() async throws {
        var older = DemoCloud.snapshot
        older.instances.removeAll { $0.name != "web-01" }
        let cache = InMemoryStore()
        let backend = InMemoryBackend(snapshot: DemoCloud.snapshot, description: DemoCloud.description)
        try cache.saveSnapshot(older, for: DemoCloud.description.endpoint)
        // The cache's only instance is selected first, and stays selected when live rows arrive.
        let victim = "web-01"
        let terminal = InMemoryTerminal(script: [
            .init(when: "\(DemoCloud.snapshot.instances.count) instances", input: .key(.character("2"))),
            .init(when: "Instances (\(DemoCloud.snapshot.instances.count))", input: .key(.character("p"))),
            // The read after the action can land after "done" is drawn and shows nothing new (the fake's data
            // does not change), so the script waits for the read itself before quitting.
            .init(whenTrue: { backend.reads >= 2 }, input: .key(.character("q"))),
        ])
        let runner = try runner(backend, cache: cache, terminal: terminal)
        runner.run()

        XCTAssertNil(terminal.gaveUp)
        XCTAssertTrue(terminal.frames.first?.contains("CACHED") == true, "the first frame is the cache's")
        XCTAssertTrue(terminal.frames.first?.contains("1 instances") == true || terminal.frames.first?.contains("Instances") == true)
        XCTAssertFalse(terminal.lastFrame.contains("CACHED"), "live data replaced it")
        XCTAssertEqual(backend.performed.map(\.summary), ["pause server \(victim)"], "p paused the selected row, nothing else")
        XCTAssertTrue(terminal.frames.contains { $0.contains("done") }, "the backend's answer was shown")
        XCTAssertTrue(runner.state.quitRequested)
        XCTAssertGreaterThanOrEqual(backend.reads, 2, "the first read, and the one after the action")
        XCTAssertNotNil(try cache.loadSnapshot(for: DemoCloud.description.endpoint).map { $0.instances.count == DemoCloud.snapshot.instances.count },
                        "the live snapshot was kept for the next start")
    }

    @MainActor
    func testAFailingBackendShowsStaleAndTheLoopStillAnswersKeys() async throws {
        let cache = InMemoryStore()
        try cache.saveSnapshot(DemoCloud.snapshot, for: "test:///down")
        let backend = FailingBackend(description: BackendDescription(kind: .local, endpoint: "test:///down"))
        let terminal = InMemoryTerminal(script: [
            .init(when: "Data is stale", input: .key(.character("2"))),
            .init(when: "Instances (", input: .key(.character("q"))),
        ])
        let opened = OpenedBackend(backend: backend, cache: cache, auditLog: cache, cleanup: {})
        let runner = DashboardRunner(opened: opened, options: try OptionParser.parse([]), wall: nil, theme: .builtIn,
                                     glyphs: .unicode, themeDirectories: [], terminal: terminal)
        runner.run()
        XCTAssertNil(terminal.gaveUp)
        XCTAssertTrue(terminal.lastFrame.contains("libvirt went away"), terminal.lastFrame)
        XCTAssertEqual(runner.state.failedRefreshes, backend.reads, "every failed read was counted once")
        XCTAssertGreaterThan(runner.state.refresh.nextRefresh, Date(), "the next try is backed off, not now")
    }
}

/// A backend whose every read fails, as a host that went away.
private final class FailingBackend: CloudReader, CloudMutator {
    let description: BackendDescription
    private let count = Mutex(0)
    init(description: BackendDescription) { self.description = description }
    var reads: Int { count.withLock { $0 } }
    var capabilities: Capabilities { .none }
    func snapshot() async throws -> CloudSnapshot {
        count.withLock { $0 += 1 }
        throw BackendError.unreachable(endpoint: description.endpoint, reason: "libvirt went away")
    }
    func rawDefinition(instanceID: String) async throws -> String { "" }
    func events() -> AsyncStream<BackendEvent> { AsyncStream { $0.finish() } }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome { throw BackendError.unsupported(action: request.summary) }
}

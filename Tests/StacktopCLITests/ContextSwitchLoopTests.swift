import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopStore
import TerminalUI
import Dashboard
import StacktopTestSupport
@testable import stacktop

/// `:ctx NAME` through the real event loop (an in-memory terminal, libvirt's test driver in this process): the
/// target's cached snapshot is drawn at once, marked CACHED, before its live data.
final class ContextSwitchLoopTests: XCTestCase {
    @MainActor
    func testTheTargetsCachedSnapshotIsDrawnFirstThenItsLiveData() async throws {
        let directory = NSTemporaryDirectory() + "stacktop-switch-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: directory) }
        for (host, guest, n) in [("a", "alpha-vm", 1), ("b", "bravo-vm", 2)] {
            try """
                <node><domain type='test'><name>\(guest)</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e1c0\(n)</uuid>
                <memory unit='MiB'>512</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain></node>
                """.write(toFile: "\(directory)/\(host).xml", atomically: true, encoding: .utf8)
        }
        let config = directory + "/config.yaml"
        let labA = StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "test://\(directory)/a.xml", file: config, line: 2)
        let labB = StacktopContext(name: "lab-b", kind: .libvirt, endpoint: "test://\(directory)/b.xml", file: config, line: 3)
        let statePath = directory + "/state.sqlite3"
        // What an earlier visit to lab-b left in the store.
        var cached = DemoCloud.snapshot
        cached.instances = [cached.instances[0]]
        cached.instances[0].name = "cached-bravo"
        try StateStore(path: statePath).saveSnapshot(cached, for: labB.endpoint)

        var base = Options()
        base.statePath = statePath
        let options = ContextCatalog.options(base, for: labA)
        let opened = try BackendFactory.open(options, environment: [:])
        let typed = ":ctx lab-b".map { InMemoryTerminal.Step(when: nil, input: .key(.character($0))) }
        let terminal = InMemoryTerminal(script: [InMemoryTerminal.Step(when: "1 instances", input: .key(.character("2")))]
            + [InMemoryTerminal.Step(when: "alpha-vm", input: .key(.character(":")))] + typed.dropFirst()
            + [InMemoryTerminal.Step(when: nil, input: .key(.enter)),
               InMemoryTerminal.Step(when: "bravo-vm", input: .key(.character("q")))])
        let runner = DashboardRunner(opened: opened, options: options, wall: nil, theme: .builtIn, glyphs: .unicode,
                                     themeDirectories: [], terminal: terminal, contexts: ContextList([labA, labB]),
                                     currentContext: "lab-a", environment: [:], contextBase: base)
        runner.run()

        XCTAssertNil(terminal.gaveUp, terminal.lastFrame)
        let cachedFrame = terminal.frames.firstIndex { $0.contains("cached-bravo") }
        let liveFrame = terminal.frames.firstIndex { $0.contains("bravo-vm") }
        XCTAssertNotNil(cachedFrame, "the cached snapshot was never drawn")
        XCTAssertNotNil(liveFrame)
        if let cachedFrame, let liveFrame {
            XCTAssertLessThan(cachedFrame, liveFrame, "the cache first, then live data")
            XCTAssertTrue(terminal.frames[cachedFrame].contains("CACHED"), terminal.frames[cachedFrame])
            XCTAssertTrue(terminal.frames[cachedFrame].contains("ctx lab-b"), terminal.frames[cachedFrame])
            XCTAssertFalse(terminal.frames[cachedFrame].contains("alpha-vm"), "lab-a's rows went with lab-a")
        }
        XCTAssertFalse(terminal.lastFrame.contains("CACHED"), terminal.lastFrame)
        XCTAssertEqual(runner.state.currentContext, "lab-b")
        XCTAssertEqual(runner.state.backend.endpoint, labB.endpoint)
    }
}

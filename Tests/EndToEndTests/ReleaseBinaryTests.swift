import Foundation
import XCTest
import SystemTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// What only the optimized binary can show: the constructs that broke it, and how it crashes.
final class ReleaseBinaryTests: XCTestCase {
    /// Swift 6.3's optimizer once specialized `TaskLocal.withValue` for a closure-typed value and asked the
    /// runtime for the metadata of the *lowered* function type, which it cannot build: every action crashed
    /// in the release binary only. Such a request shows in the binary as a demangling cache variable for a
    /// `@callee_guaranteed`/`@substituted` type; there must be none (DECISIONS.md).
    func testNoLoweredFunctionTypeIsAskedOfTheRuntime() throws {
        try TmuxHarness.require()
        let symbols = try ChildProcess.run(["nm", TmuxHarness.binary.path], timeout: 60)
        XCTAssertEqual(symbols.status, 0, symbols.output)
        let caches = symbols.output.split(separator: "\n").compactMap { line -> String? in
            guard let name = line.split(separator: " ").last, name.hasSuffix("MD") else { return nil }
            return String(name)
        }
        XCTAssertGreaterThan(caches.count, 10, "nm found no demangling cache variables at all; is this a Swift binary?")
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-md-\(getpid()).txt")
        try caches.joined(separator: "\n").write(to: input, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: input) }
        let demangled = try ChildProcess.run(["sh", "-c", "swift demangle < '\(input.path)'"], timeout: 60)
        XCTAssertEqual(demangled.status, 0, demangled.output)
        let lowered = demangled.output.split(separator: "\n").filter {
            $0.contains("@callee_") || $0.contains("@substituted")
        }
        XCTAssertEqual(lowered, [], "the runtime would be asked for lowered function types' metadata")
    }

    /// A crash restores the terminal at once, waits for no key, writes the whole backtrace to the crash
    /// log and prints one line naming it. SIGILL is what a Swift trap raises.
    func testACrashRestoresTheTerminalAndLeavesOneLineAndTheBacktraceInTheLog() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(command: "sh -c \"echo \\$\\$ > pid.txt; exec \(TmuxHarness.binary.path) --demo\"")
        tmux.waitFor(text: "Limit Summary")
        let pid = try XCTUnwrap(tmux.file("pid.txt").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        let started = Date()
        kill(pid, SIGILL)
        XCTAssertEqual(tmux.waitForExit(timeout: 15), "EXIT=132")
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "the crash must not wait for a key")
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "terminal settings changed by the crash")
        XCTAssertFalse(tmux.alternateScreenOn())
        let logPath = tmux.workDirectory.appendingPathComponent("state/stacktop/crash.log").path
        let screen = tmux.screen()
        XCTAssertTrue(screen.contains("stacktop crashed (SIGILL); the backtrace is in \(logPath)"), screen)
        XCTAssertFalse(screen.contains("Press space"), screen)
        XCTAssertFalse(screen.contains("Thread 0"), "the backtrace belongs in the log, not on the screen:\n\(screen)")
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        XCTAssertTrue(log.contains("=== stacktop crashed: SIGILL (signal 4), pid \(pid)"), log)
        XCTAssertTrue(log.contains("Thread 0"), log)
        XCTAssertTrue(log.contains("Backtrace took"), "the backtrace is whole:\n\(log)")
        XCTAssertFalse(log.contains("\u{1B}["), "no colour codes in the log")
        var status = stat()
        XCTAssertEqual(stat(logPath, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600)
    }

    /// The same from a shell command whose output is a file (no second exec happens there).
    func testACrashInACommandWritingToAFileWritesTheLogToo() throws {
        try TmuxHarness.require()
        // Listing a 20,000-domain test-driver host runs long enough (libvirt reads the node for seconds) to be
        // stopped, and says nothing on stderr before its answer.
        let node = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-crash-\(getpid())-node.xml")
        let domains = (0..<20_000).map { index in
            "<domain type='test'><name>crash-\(index)</name><memory>65536</memory><vcpu>1</vcpu><os><type>hvm</type></os></domain>"
        }
        try ("<node>" + domains.joined() + "</node>").write(to: node, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(at: node) }
        let tmux = try TmuxHarness(command: "sh -c \"echo \\$\\$ > pid.txt; exec \(TmuxHarness.binary.path) "
                                       + "-c test://\(node.path) instance list >out.txt 2>err.txt\"")
        let deadline = Date().addingTimeInterval(10)
        var pid: pid_t?
        while pid == nil, Date() < deadline {
            pid = tmux.file("pid.txt").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            usleep(50_000)
        }
        usleep(500_000)
        kill(try XCTUnwrap(pid), SIGABRT)
        XCTAssertNotNil(tmux.waitForExit(timeout: 15))
        let logPath = tmux.workDirectory.appendingPathComponent("state/stacktop/crash.log").path
        XCTAssertEqual(tmux.file("err.txt")?.trimmingCharacters(in: .whitespacesAndNewlines),
                       "stacktop crashed (SIGABRT); the backtrace is in \(logPath)")
        let log = try String(contentsOfFile: logPath, encoding: .utf8)
        XCTAssertTrue(log.contains("Backtrace took"), log)
        XCTAssertFalse(tmux.file("out.txt")?.contains("Thread 0") ?? true, "the backtrace went to stdout")
    }

    /// An action on marked rows goes through the same task-local progress reporter that crashed before.
    func testTwoMarkedRowsPausedInTheDashboardShowPausedAndQuitExitsZero() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness.demoOnInstances()
        try tmux.send("/")
        try tmux.typeLine("web-0")
        tmux.waitFor(text: "filter: web-0")
        try tmux.send("Space")   // marks web-01 and moves down
        try tmux.send("Space")   // marks web-02
        tmux.waitFor("two marked rows") { screen in
            // The mark sits in the row's first cell, before the lock marker and the short ID.
            screen.split(separator: "\n").filter { $0.contains("web-0") && $0.dropFirst().hasPrefix("*") }.count == 2
        }
        try tmux.send("p")
        let screen = tmux.waitFor("web-01 and web-02 paused") { screen in
            let rows = screen.split(separator: "\n")
            return ["web-01", "web-02"].allSatisfy { name in rows.contains { $0.contains(name) && $0.contains("Paused") } }
        }
        XCTAssertFalse(screen.contains("crashed"), screen)
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }

    /// Ctrl-\ (SIGQUIT) stops stacktop as SIGTERM does: cleanly, no backtrace drawn over the screen.
    func testSIGQUITQuitsLikeSIGTERM() throws {
        try TmuxHarness.require()
        let tmux = try TmuxHarness(command: "sh -c \"echo \\$\\$ > pid.txt; exec \(TmuxHarness.binary.path) --demo\"")
        tmux.waitFor(text: "Limit Summary")
        let pid = try XCTUnwrap(tmux.file("pid.txt").flatMap { pid_t($0.trimmingCharacters(in: .whitespacesAndNewlines)) })
        kill(pid, SIGQUIT)
        XCTAssertNotNil(tmux.waitForExit())
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"))
        XCTAssertFalse(tmux.alternateScreenOn())
        XCTAssertFalse(tmux.screen().contains("Thread 0"), tmux.screen())
        let log = (try? String(contentsOfFile: tmux.workDirectory.appendingPathComponent("state/stacktop/crash.log").path,
                                encoding: .utf8)) ?? ""
        XCTAssertFalse(log.contains("crashed"), "not a crash: \(log)")
    }
}

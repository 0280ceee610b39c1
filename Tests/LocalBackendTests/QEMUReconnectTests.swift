#if canImport(Glibc)
import Glibc
#endif
import Foundation
import XCTest
import StoreTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import SystemTestSupport

/// The wall screen's promise against the real libvirtd, behind STACKTOP_QEMU=1: host load is read,
/// a stopped libvirtd turns snapshots into a clear error, and the same backend value recovers once
/// libvirtd is back. libvirtd is always started again afterwards, so other suites find it running.
final class QEMUReconnectTests: XCTestCase {
    private static let pidFile = "/tmp/vmpeer/libvirtd.pid"

    override func setUpWithError() throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
    }

    func testHostLoadIsRead() async throws {
        let backend = LocalCloudBackend(connection: try LibvirtConnection(uri: QEMUHost.uri, readOnly: true),
                                        store: try makeStore(self))
        let first = try await backend.snapshot()
        XCTAssertNil(first.hypervisors.first?.cpuUtilization, "one reading has no interval")
        try await Task.sleep(for: .milliseconds(500))
        let second = try await backend.snapshot()
        let host = try XCTUnwrap(second.hypervisors.first)
        let load = try XCTUnwrap(host.cpuUtilization)
        XCTAssertTrue((0...1).contains(load), "\(load)")
        // virsh nodememstats is the witness: used = total - free - buffers - cached (KiB).
        let stats = Dictionary(QEMUHost.lines(QEMUHost.virsh("nodememstats")).compactMap { line -> (String, Int)? in
            let parts = line.split(separator: ":").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let kib = Int(parts[1].split(separator: " ")[0]) else { return nil }
            return (parts[0], kib)
        }, uniquingKeysWith: { first, _ in first })
        let total = try XCTUnwrap(stats["total"]), free = try XCTUnwrap(stats["free"])
        let witness = (total - free - (stats["buffers"] ?? 0) - (stats["cached"] ?? 0)) / 1024
        let used = try XCTUnwrap(host.memoryUsedMiB)
        XCTAssertGreaterThan(used, 0)
        XCTAssertLessThan(abs(used - witness), 512, "stacktop \(used) MiB, virsh \(witness) MiB")
        XCTAssertLessThanOrEqual(used, try XCTUnwrap(host.memoryMiB))
    }

    func testTheSameBackendRecoversWhenLibvirtdComesBack() async throws {
        let backend = LocalCloudBackend(connection: try LibvirtConnection(uri: QEMUHost.uri, readOnly: true),
                                        store: try makeStore(self))
        _ = try await backend.snapshot()
        let before = backend.connection
        let watching = backend.events()
        defer { Self.startLibvirtd() }

        try Self.stopLibvirtd()
        // The event stream says so and ends, so the caller knows to subscribe again later.
        let collected = await Self.allEvents(of: watching, within: .seconds(10))
        let events = try XCTUnwrap(collected, "the event stream must finish once libvirtd is gone")
        guard case .connectionLost(let message)? = events.last else { return XCTFail("got \(events)") }
        XCTAssertTrue(message.contains(QEMUHost.uri), message)
        print("the event stream said: \(message)")

        for attempt in 1...2 {
            let started = ContinuousClock.now
            do {
                _ = try await backend.snapshot()
                XCTFail("a snapshot with libvirtd stopped must throw")
            } catch let error as BackendError {
                if attempt == 1 { print("with libvirtd stopped: \(error.message)") }
                XCTAssertTrue(error.message.hasPrefix("Reaching the libvirt daemon at \(QEMUHost.uri) failed: "),
                              error.message)
            }
            let took = ContinuousClock.now - started
            print("failing snapshot #\(attempt) took \(took): \(backend.connection === before ? "old" : "new") connection")
            XCTAssertLessThan(took, .seconds(2), "a stopped libvirtd must fail fast")
        }

        XCTAssertTrue(Self.startLibvirtd(), "libvirtd did not answer again within 30 s")
        let started = ContinuousClock.now
        let snapshot = try await backend.snapshot()
        print("reconnecting snapshot took \(ContinuousClock.now - started)")
        XCTAssertFalse(snapshot.hypervisors.isEmpty)
        XCTAssertFalse(backend.connection === before)
        XCTAssertTrue(backend.connection.readOnly)
        XCTAssertTrue(backend.connection.isAlive)

        // Events work again: a fresh subscription does not report the connection lost.
        let again = backend.events()
        let early = await firstEvent(of: again, within: .seconds(1))
        if case .connectionLost(let message)? = early { XCTFail("the new subscription is dead: \(message)") }
    }

    /// A daemon that hangs (stopped, not dead) must not hang the wall: keepalive closes the connection
    /// within about 20 s and the snapshot fails; once the daemon runs again the next snapshot recovers.
    func testAHungLibvirtdFailsWithinTheKeepaliveWindow() async throws {
        let backend = LocalCloudBackend(connection: try LibvirtConnection(uri: QEMUHost.uri, readOnly: true),
                                        store: try makeStore(self))
        _ = try await backend.snapshot()
        let text = try String(contentsOfFile: Self.pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try XCTUnwrap(pid_t(text), "no pid in \(Self.pidFile)")
        XCTAssertEqual(kill(pid, SIGSTOP), 0)
        defer { kill(pid, SIGCONT) }
        // Should the test itself hang, libvirtd still wakes up for the other suites.
        Thread.detachNewThread { Thread.sleep(forTimeInterval: 60); kill(pid, SIGCONT) }

        let started = ContinuousClock.now
        do {
            _ = try await backend.snapshot()
            XCTFail("a snapshot against a stopped libvirtd must fail")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.contains("keepalive"), error.message)
        }
        let took = ContinuousClock.now - started
        print("snapshot against a hung libvirtd failed after \(took)")
        XCTAssertLessThan(took, .seconds(30))

        kill(pid, SIGCONT)
        let snapshot = try await backend.snapshot()
        XCTAssertFalse(snapshot.hypervisors.isEmpty)
    }

    /// Every event until the stream finishes, or nil if it is still open after `timeout`.
    private static func allEvents(of stream: AsyncStream<BackendEvent>, within timeout: Duration) async -> [BackendEvent]? {
        await withTaskGroup(of: [BackendEvent]?.self) { group in
            group.addTask {
                var events: [BackendEvent] = []
                for await event in stream { events.append(event) }
                return Task.isCancelled ? nil : events
            }
            group.addTask { try? await Task.sleep(for: timeout); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    // MARK: libvirtd

    /// SIGTERM to the daemon setup.sh started, then waits for it to exit. This machine's init does not
    /// reap orphans at once, so a zombie counts as exited.
    private static func stopLibvirtd() throws {
        let text = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let pid = try XCTUnwrap(pid_t(text), "no pid in \(pidFile)")
        XCTAssertEqual(kill(pid, SIGTERM), 0)
        let gone = {
            kill(pid, 0) != 0
                || ((try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.contains(") Z ") ?? true)
        }
        guard QEMUHost.wait(30, every: 0.05, gone) else {
            throw QEMUHostError("libvirtd (pid \(pid)) did not exit within 30 s of SIGTERM")
        }
    }

    /// Starts libvirtd as setup.sh does, unless it answers already, and waits until it does.
    @discardableResult
    private static func startLibvirtd() -> Bool {
        if QEMUHost.virsh("version").status == 0 { return true }
        // Started clean of the signal mask Swift's threads block (ChildProcess does that), or it would never
        // see SIGTERM again; -d returns once the daemon runs.
        _ = try? ChildProcess.run(["libvirtd", "-d", "-p", pidFile], output: .discarded, errors: .discarded)
        return QEMUHost.wait(30, every: 0.1) { QEMUHost.virsh("version").status == 0 }
    }
}


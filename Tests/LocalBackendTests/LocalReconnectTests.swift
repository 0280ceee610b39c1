import CLibvirt
import Foundation
import Synchronization
import XCTest
import StoreTestSupport
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// Decides which connections count as dead. A test-driver connection never dies by itself, so the
/// tests declare it dead the way `virConnectIsAlive` would report a closed remote one.
final class Graveyard: Sendable {
    // Held strongly so a freed connection's address cannot come back as a "dead" new one.
    private let dead = Mutex<[LibvirtConnection]>([])

    func kill(_ connection: LibvirtConnection) { dead.withLock { $0.append(connection) } }
    func isAlive(_ connection: LibvirtConnection) -> Bool { !dead.withLock { $0.contains { $0 === connection } } }
}

/// The stream's first event, or nil if none comes within two seconds (so a broken stream fails, not hangs).
func firstEvent(of stream: AsyncStream<BackendEvent>, within timeout: Duration = .seconds(2)) async -> BackendEvent? {
    await withTaskGroup(of: BackendEvent?.self) { group in
        group.addTask { await stream.first { _ in true } }
        group.addTask { try? await Task.sleep(for: timeout); return nil }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}

/// Reconnection and host load on libvirt's test driver: each test opens its own node XML file.
final class LocalReconnectTests: XCTestCase {
    private func writeNode() throws -> (path: String, uri: String) {
        let path = try makeTemporaryDirectory(self) + "/node.xml"
        try Self.nodeXML.write(toFile: path, atomically: true, encoding: .utf8)
        return (path, "test://" + path)
    }

    private func backend(uri: String, readOnly: Bool, graveyard: Graveyard) throws -> LocalCloudBackend {
        let connection = try LibvirtConnection(uri: uri, readOnly: readOnly)
        return LocalCloudBackend(session: LibvirtSession(connection: connection, isAlive: graveyard.isAlive),
                                 store: try makeStore(self))
    }

    func testADeadConnectionFailsWithTheURIAndTheNextSnapshotReconnectsTheSameWay() async throws {
        let node = try writeNode()
        let graveyard = Graveyard()
        let backend = try backend(uri: node.uri, readOnly: true, graveyard: graveyard)
        let first = backend.connection
        _ = try await backend.snapshot()

        // The daemon goes away: the connection is dead and a new one cannot be opened (the file is gone).
        graveyard.kill(first)
        try FileManager.default.moveItem(atPath: node.path, toPath: node.path + ".away")
        do {
            _ = try await backend.snapshot()
            XCTFail("a snapshot on a dead connection must throw")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.hasPrefix("Reaching the libvirt daemon at \(node.uri) failed: "), error.message)
            XCTAssertTrue(error.message.hasSuffix("stacktop reconnects by itself once libvirtd runs again."), error.message)
        }
        XCTAssertTrue(backend.connection === first, "a failed reopen keeps the old connection")
        var lost: [BackendEvent] = []
        for await event in backend.events() { lost.append(event) }
        guard case .connectionLost(let message)? = lost.first, lost.count == 1 else {
            return XCTFail("events() while unreachable must yield one connectionLost and finish, got \(lost)")
        }
        XCTAssertTrue(message.contains(node.uri), message)

        // The daemon is back: the same backend value reconnects on the next call, read-only as before.
        try FileManager.default.moveItem(atPath: node.path + ".away", toPath: node.path)
        let snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.instances.map(\.name), ["web-01"])
        XCTAssertFalse(backend.connection === first)
        XCTAssertEqual(backend.connection.uri, node.uri)
        XCTAssertTrue(backend.connection.readOnly)
        XCTAssertEqual(backend.description.endpoint, node.uri)
    }

    func testEventsAfterAReconnectComeFromTheNewConnection() async throws {
        let node = try writeNode()
        let graveyard = Graveyard()
        let backend = try backend(uri: node.uri, readOnly: false, graveyard: graveyard)
        let first = backend.connection
        graveyard.kill(first)
        _ = try await backend.snapshot()
        let fresh = backend.connection
        XCTAssertFalse(fresh === first)
        XCTAssertFalse(fresh.readOnly)

        let events = backend.events()
        let web = try XCTUnwrap(virDomainLookupByName(fresh.handle, "web-01"))
        defer { virDomainFree(web) }
        XCTAssertEqual(virDomainSuspend(web), 0)
        guard case .instanceStateChanged(_, let name, let state)? = await firstEvent(of: events) else {
            return XCTFail("expected the suspend to arrive on the new connection's stream")
        }
        XCTAssertEqual(name, "web-01")
        XCTAssertEqual(state, .paused)
    }

    func testAFailureThatKillsTheConnectionBecomesTheReconnectSentence() throws {
        let node = try writeNode()
        let graveyard = Graveyard()
        let session = LibvirtSession(connection: try LibvirtConnection(uri: node.uri, readOnly: true),
                                     isAlive: graveyard.isAlive)
        // A failure on a connection that is still alive stays what it was.
        XCTAssertThrowsError(try session.run { _ in throw BackendError.notFound(kind: "instance", name: "x") }) {
            XCTAssertEqual($0 as? BackendError, .notFound(kind: "instance", name: "x"))
        }
        XCTAssertThrowsError(try session.run { connection in
            graveyard.kill(connection)
            throw BackendError.failed(what: "Listing the domains of \(node.uri)",
                                      reason: "End of file while reading data: Input/output error")
        }) {
            XCTAssertEqual(($0 as? BackendError)?.message,
                           "Reaching the libvirt daemon at \(node.uri) failed: End of file while reading data: "
                           + "Input/output error; stacktop reconnects by itself once libvirtd runs again.")
        }
        let dead = session.current
        XCTAssertEqual(try session.run { $0.uri }, node.uri)
        XCTAssertFalse(session.current === dead, "the next call opened a fresh connection")
    }

    // MARK: host load

    func testTheTestDriverHasNoLoadAndNothingFails() async throws {
        let node = try writeNode()
        let backend = LocalCloudBackend(connection: try LibvirtConnection(uri: node.uri, readOnly: true),
                                        store: try makeStore(self))
        for _ in 0..<2 {
            let snapshot = try await backend.snapshot()
            let host = try XCTUnwrap(snapshot.hypervisors.first)
            // Fixed counters (or none) give no load; no memory statistics leave what the guests take.
            XCTAssertNil(host.cpuUtilization)
            XCTAssertEqual(host.memoryUsedMiB, 2048)
            XCTAssertEqual(host.memoryMiB, try XCTUnwrap(backend.connection.inventory().node).memoryMiB)
        }
        XCTAssertNil(try backend.connection.inventory().node?.memoryUsedMiB)
    }

    func testLoadIsTheBusyShareOfTheTimeBetweenTwoReadings() {
        let before = NodeCPUTimes(busy: 1_000, idle: 9_000)
        XCTAssertEqual(NodeCPUTimes(busy: 1_300, idle: 9_100).utilization(since: before), 0.75)
        XCTAssertEqual(NodeCPUTimes(busy: 1_000, idle: 9_400).utilization(since: before), 0)
        XCTAssertNil(before.utilization(since: before), "no time passed")
        XCTAssertNil(NodeCPUTimes(busy: 10, idle: 20).utilization(since: before), "the host rebooted")
    }

    func testTheSessionComparesEachReadingWithThePreviousOne() throws {
        let session = LibvirtSession(connection: try LibvirtConnection(uri: try writeNode().uri, readOnly: true))
        XCTAssertNil(session.cpuUtilization(now: NodeCPUTimes(busy: 100, idle: 100)), "the first reading has no load")
        XCTAssertEqual(session.cpuUtilization(now: NodeCPUTimes(busy: 150, idle: 250)), 0.25)
        XCTAssertEqual(session.cpuUtilization(now: NodeCPUTimes(busy: 250, idle: 250)), 1)
        XCTAssertNil(session.cpuUtilization(now: nil))
        XCTAssertNil(session.cpuUtilization(now: NodeCPUTimes(busy: 300, idle: 300)), "a gap starts over")
    }

    func testTheHostsOwnMemoryInUseWinsOverWhatGuestsTake() {
        let inventory = HostInventory(
            instances: [Instance(id: "1", name: "a", state: .running, vcpus: 2, memoryMiB: 2048)],
            node: NodeCapacity(cpus: 4, memoryMiB: 16_384, type: "QEMU", memoryUsedMiB: 5_000,
                               cpuTimes: NodeCPUTimes(busy: 1, idle: 1)))
        let host = LocalSnapshotAssembler.host(inventory, hostname: "kvm", cpuUtilization: 0.4)
        XCTAssertEqual(host?.memoryUsedMiB, 5_000)
        XCTAssertEqual(host?.cpuUtilization, 0.4)
        XCTAssertEqual(host?.vcpusUsed, 2)
    }

    private static let nodeXML = TestNodeXML.node([
        TestNodeXML.domain("web-01", uuid: "6695eb01-f6a4-8304-79aa-97f2502e1931", memoryMiB: 2048),
    ])
}

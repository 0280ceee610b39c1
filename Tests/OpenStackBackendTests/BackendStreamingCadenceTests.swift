import Foundation
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// A dashboard's reads: a first read of servers handed on page by page, the kinds off screen at a slow
/// cadence, `r` reading everything, and what an idle dashboard costs the cloud per refresh.
final class BackendStreamingCadenceTests: XCTestCase {
    private final class Pieces: Sendable {
        let list = Mutex<[PartialSnapshot]>([])
        func add(_ piece: PartialSnapshot) { list.withLock { $0.append(piece) } }
        var all: [PartialSnapshot] { list.withLock { $0 } }
    }

    private final class Clock: Sendable {
        let now = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
        func advance(_ seconds: Double) { now.withLock { $0 += seconds } }
        func read() -> Date { now.withLock { $0 } }
    }

    private func limits(_ used: Int) -> [String: Any] {
        ["limits": ["absolute": ["maxTotalInstances": 100, "totalInstancesUsed": used]]]
    }

    func testAFirstReadIsHandedOnPageByPageWithTheCountAsItsTotal() async throws {
        let transport = await BackendFixture.transport()
        let nova = BackendFixture.nova
        await transport.on(.get, "/servers/detail", query: "marker=s1", json: [
            "servers": [BackendFixture.server("s2", "b"), BackendFixture.server("s3", "c")],
            "servers_links": BackendFixture.next(nova + "/servers/detail?limit=2&marker=s3")])
        await transport.on(.get, "/servers/detail", query: "marker=s3", json: ["servers": [BackendFixture.server("s4", "d")]])
        await transport.on(.get, "/servers/detail", json: [
            "servers": [BackendFixture.server("s1", "a")],
            "servers_links": BackendFixture.next(nova + "/servers/detail?limit=1&marker=s1")])
        await transport.on(.get, "/limits", json: limits(4))
        var options = OpenStackBackendOptions(parts: [.servers])
        options.stream = ServerStreamTuning(firstPage: 1, growth: 2, largestPage: 1000)
        let backend = BackendFixture.backend(transport, options)
        let pieces = Pieces()

        let snapshot = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { pieces.add($0) }

        XCTAssertEqual(pieces.all.map { $0.instances.map(\.name) }, [["a"], ["a", "b", "c"]])
        XCTAssertEqual(pieces.all.map(\.total), [nil, 4], "the first page does not wait for the count")
        XCTAssertEqual(pieces.all.last?.progressText, "Loading servers 3/4…")
        XCTAssertEqual(snapshot.instances.map(\.name), ["a", "b", "c", "d"])
        let pages = await transport.requests(.get, "/servers/detail").map { $0.url.query ?? "" }
        XCTAssertEqual(pages, ["limit=1", "marker=s1&limit=2", "marker=s3&limit=4"], "each page larger than the last")
    }

    func testAOneShotReadAndLaterReadsAreNotHandedOnInPieces() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "changes-since", json: ["servers": [] as [Any]])
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a")]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers]))
        let pieces = Pieces()
        _ = try await backend.snapshot()
        _ = try await backend.snapshot(ReadRequest()) { pieces.add($0) }
        XCTAssertTrue(pieces.all.isEmpty)
        let limitsRead = await transport.requests(.get, "/limits")
        XCTAssertTrue(limitsRead.isEmpty)
    }

    private func idleFixture(clock: Clock) async -> (RoutedTransport, OpenStackCloudBackend) {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "changes-since", json: ["servers": [] as [Any]])
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a")]])
        await transport.on(.get, "/servers", json: ["servers": [["id": "s1", "name": "a"]]])
        await transport.on(.get, "/flavors/detail", json: ["flavors": [] as [Any]])
        await transport.on(.get, "/v2/images", json: ["images": [] as [Any]])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [] as [Any]])
        var options = OpenStackBackendOptions(parts: [.servers, .flavors, .images, .volumes])
        options.clock = { clock.read() }
        options.slowSeconds = 300
        return (transport, BackendFixture.backend(transport, options))
    }

    private func reads(_ transport: RoutedTransport) async -> [String: Int] {
        var counts: [String: Int] = [:]
        for request in await transport.requests where !request.url.path.hasSuffix("/v2.1") && request.method == .get {
            counts[request.url.lastPathComponent, default: 0] += 1
        }
        return counts
    }

    func testKindsOffScreenWaitForTheSlowCadenceAndKindsOnScreenDoNot() async throws {
        let clock = Clock()
        let (transport, backend) = await idleFixture(clock: clock)
        let onInstances = ReadRequest(kindsInView: [.instance])
        _ = try await backend.snapshot(onInstances) { _ in }
        var counts = await reads(transport)
        XCTAssertEqual(counts, ["detail": 3, "images": 1], "the first read reads everything")

        clock.advance(2)
        let second = try await backend.snapshot(onInstances) { _ in }
        counts = await reads(transport)
        XCTAssertEqual(counts, ["detail": 4, "images": 1], "then only servers")
        XCTAssertEqual(second.instances.map(\.name), ["a"])
        XCTAssertTrue(second.staleParts.isEmpty, "a list kept from its last read is not stale")

        clock.advance(2)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance, .image])) { _ in }
        counts = await reads(transport)
        XCTAssertEqual(counts["images"], 2, "the Images panel open: images every refresh")

        clock.advance(300)
        _ = try await backend.snapshot(onInstances) { _ in }
        let flavors = await transport.requests(.get, "/flavors/detail")
        XCTAssertEqual(flavors.count, 2, "five minutes on, the slow kinds are read again")
    }

    func testRReadsEverythingAndEveryServerAgain() async throws {
        let clock = Clock()
        let (transport, backend) = await idleFixture(clock: clock)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        clock.advance(2)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance], full: true)) { _ in }
        let servers = await transport.requests(.get, "/servers/detail").map { $0.url.query ?? "" }
        XCTAssertFalse(servers.contains { $0.contains("changes-since") }, "r reads every server, not what changed")
        let flavors = await transport.requests(.get, "/flavors/detail")
        let volumes = await transport.requests(.get, "/volumes/detail")
        XCTAssertEqual([flavors.count, volumes.count], [2, 2])
    }

    func testAnIdleDashboardAsksForAtMostOneRequestPerRefresh() async throws {
        let clock = Clock()
        let (transport, backend) = await idleFixture(clock: clock)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        let before = await transport.requests.count
        // Ten minutes at --refresh 2 on the Overview, nothing changing.
        for _ in 0..<300 {
            clock.advance(2)
            _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        }
        let during = await transport.requests.count - before
        XCTAssertLessThanOrEqual(during, 300, "\(during) requests in 300 refreshes")
        XCTAssertGreaterThanOrEqual(during, 150, "servers are still read at least every other refresh")
    }

    func testAnActionsKindIsReadAtTheNextRefreshWhateverItsCadence() async throws {
        let clock = Clock()
        let (transport, backend) = await idleFixture(clock: clock)
        await transport.on(.get, "/volumes", query: "name=", json: ["volumes": [] as [Any]])
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        _ = try? await backend.perform(ActionRequest(action: .delete, kind: .volume, targets: ["gone"]))
        clock.advance(2)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        let volumes = await transport.requests(.get, "/volumes/detail").filter { $0.url.query == nil }
        XCTAssertEqual(volumes.count, 2)
    }

    func testAKindThatFailedStaysStaleAndIsTriedAgainAtTheNextRefresh() async throws {
        let clock = Clock()
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a")]])
        await transport.on(.get, "/flavors/detail", json: ["flavors": [] as [Any]], times: 1)
        await transport.on(.get, "/flavors/detail", status: 503, json: ["message": "down"])
        var options = OpenStackBackendOptions(parts: [.servers, .flavors])
        options.clock = { clock.read() }
        let backend = BackendFixture.backend(transport, options)
        _ = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        clock.advance(301)
        let failed = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        XCTAssertEqual(failed.staleParts.map(\.what), ["flavors"])
        clock.advance(2)
        let again = try await backend.snapshot(ReadRequest(kindsInView: [.instance])) { _ in }
        XCTAssertEqual(again.staleParts.map(\.what), ["flavors"], "still stale until it answers")
        let flavorReads = await transport.requests(.get, "/flavors/detail")
        XCTAssertEqual(flavorReads.count, 3, "a failed kind is tried at every refresh, not at the slow cadence")
    }
}

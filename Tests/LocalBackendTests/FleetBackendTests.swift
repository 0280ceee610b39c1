import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import Synchronization

/// A fleet of real libvirt test-driver hosts (each on its own node file, same guest names and UUIDs on both,
/// as copies of one template would have), one that cannot be opened, and one that goes away.
final class FleetBackendTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self)
        for host in ["a", "b"] {
            try """
                <node>
                  <domain type='test'><name>web-01</name><uuid>6695eb01-f6a4-8304-79aa-97f2502e1a01</uuid>
                    <memory unit='MiB'>1024</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>
                  <domain type='test'><name>only-\(host)</name><memory unit='MiB'>512</memory><vcpu>2</vcpu>
                    <os><type arch='x86_64'>hvm</type></os></domain>
                </node>
                """.write(toFile: "\(directory)/lab-\(host).xml", atomically: true, encoding: .utf8)
        }
    }

    /// A context on a node file of this test, opened as the executable opens one (read-only when marked).
    private func source(_ name: String, file: String, readOnly: Bool = false,
                        opened: LockedBox<LocalCloudBackend?>? = nil) -> FleetMemberSource {
        let uri = "test://\(directory)/\(file)"
        let storePath = "\(directory)/state-\(name).sqlite3"
        let context = StacktopContext(name: name, kind: .libvirt, endpoint: uri, readOnly: readOnly)
        return FleetMemberSource(context: context, cached: nil) {
            let local = LocalCloudBackend(connection: try LibvirtConnection(uri: uri, readOnly: readOnly),
                                          store: try StateStore(path: storePath), kind: .local)
            opened?.set(local)
            let backend: any CloudBackend = readOnly ? ReadOnlyBackend(wrapping: local) : local
            return FleetMemberBackend(backend: backend, consoles: local, cache: nil)
        }
    }

    func testMergesEveryHostKeepsEachOwnIdsAndSaysWhichIsDown() async throws {
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"), source("lab-b", file: "lab-b.xml"),
                                           source("lab-c", file: "missing.xml")])
        let snapshot = try await fleet.snapshot()
        let members = try XCTUnwrap(snapshot.fleet)
        XCTAssertEqual(members.map(\.context), ["lab-a", "lab-b", "lab-c"])
        XCTAssertEqual(members.map(\.health.reason).map { $0 == nil }, [true, true, false])
        guard case .down(let reason) = members[2].health else { return XCTFail("lab-c is \(members[2].health)") }
        XCTAssertTrue(reason.contains("missing.xml"), reason)
        XCTAssertEqual(snapshot.instances.map(\.id).filter { $0.hasPrefix("6695eb01") }.sorted(),
                       ["6695eb01-f6a4-8304-79aa-97f2502e1a01@lab-a", "6695eb01-f6a4-8304-79aa-97f2502e1a01@lab-b"],
                       "one UUID on two hosts is two rows")
        XCTAssertEqual(Set(snapshot.instances.map(\.name)), ["web-01", "only-a", "only-b"])
        XCTAssertEqual(members[0].snapshot.instances.map(\.name).sorted(), ["only-a", "web-01"], "members keep local ids")
        XCTAssertEqual(snapshot.staleParts.map(\.what), ["lab-c"])
        XCTAssertTrue(fleet.capabilities.supports(.stop, on: .instance))
    }

    func testTheFirstReadHandsOverEachHostsRowsAsTheyArriveAndLaterReadsDoNot() async throws {
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"), source("lab-b", file: "lab-b.xml"),
                                           source("lab-c", file: "missing.xml")])
        let pieces = LockedBox<[PartialSnapshot]>([])
        let whole = try await fleet.snapshot(ReadRequest()) { piece in pieces.update { $0.append(piece) } }
        let seen = pieces.get()
        XCTAssertEqual(seen.map(\.total), Array(repeating: 3, count: seen.count))
        XCTAssertEqual(seen.first?.loaded, 1, "the first context to finish is handed over at once")
        XCTAssertEqual(seen.first?.progressText, "Loading contexts 1/3…")
        XCTAssertTrue(seen.allSatisfy { Set($0.instances.map(\.id)).isSubset(of: Set(whole.instances.map(\.id))) })
        XCTAssertTrue(seen.contains { $0.loaded < 3 && !$0.instances.isEmpty }, "a host's rows before every context finished")
        pieces.set([])
        _ = try await fleet.snapshot(ReadRequest()) { piece in pieces.update { $0.append(piece) } }
        XCTAssertEqual(pieces.get().count, 0, "a refresh hands over the whole snapshot only")
    }

    func testABulkActionReachesEachHostAndAReadOnlyHostRefusesItsPart() async throws {
        let lab = LockedBox<LocalCloudBackend?>(nil), labB = LockedBox<LocalCloudBackend?>(nil)
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml", opened: lab),
                                           source("lab-b", file: "lab-b.xml", opened: labB)])
        _ = try await fleet.snapshot()
        let outcome = try await fleet.perform(ActionRequest(action: .stop, kind: .instance,
                                                            targets: ["web-01@lab-a", "web-01@lab-b", "only-b"]))
        XCTAssertTrue(outcome.message.hasPrefix("lab-a: ") && outcome.message.contains(" lab-b: "), outcome.message)
        // Each host's own backend (libvirt itself) says so, not the fleet's merged copy.
        let a = try await XCTUnwrap(lab.get()).snapshot(), b = try await XCTUnwrap(labB.get()).snapshot()
        XCTAssertEqual(a.instances.first { $0.name == "web-01" }?.state, .shutoff)
        XCTAssertEqual(a.instances.first { $0.name == "only-a" }?.state, .running, "never what was not named")
        XCTAssertEqual(b.instances.filter { $0.state == .shutoff }.map(\.name).sorted(), ["only-b", "web-01"])

        // A bare name on two hosts is not guessed.
        do {
            _ = try await fleet.perform(ActionRequest(action: .start, kind: .instance, targets: ["web-01"]))
            XCTFail("an ambiguous name was acted on")
        } catch {
            XCTAssertEqual(ErrorText.sentence(error), "lab-a, lab-b each have a server named \"web-01\"; name the one you "
                           + "mean as web-01@lab-a.")
        }

        let mixed = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"),
                                           source("lab-b", file: "lab-b.xml", readOnly: true)])
        _ = try await mixed.snapshot()
        do {
            _ = try await mixed.perform(ActionRequest(action: .stop, kind: .instance, targets: ["web-01@lab-a", "web-01@lab-b"]))
            XCTFail("the read-only host's part went through")
        } catch {
            let sentence = ErrorText.sentence(error)
            XCTAssertTrue(sentence.hasPrefix("Done on lab-a: "), sentence)
            XCTAssertTrue(sentence.contains("Not done on lab-b: Refused to stop server web-01: stacktop is read-only here"), sentence)
        }
        let after = try await mixed.snapshot()
        // Each connection reads its node file afresh: lab-a's stop is this fleet's own, lab-b's guest never stopped.
        XCTAssertEqual(after.instances.first { $0.id.hasSuffix("1a01@lab-a") }?.state, .shutoff)
        XCTAssertEqual(after.instances.first { $0.id.hasSuffix("1a01@lab-b") }?.state, .running, "read-only: untouched")
    }

    func testEventsOfContextsThatOpenAfterTheSubscriptionArriveWithQualifiedIds() async throws {
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"), source("lab-b", file: "lab-b.xml")])
        // Subscribed first, as the dashboard does before the first read opens the contexts.
        let events = fleet.events()
        _ = try await fleet.snapshot()
        // The fleet looks for newly opened contexts four times a second.
        try await Task.sleep(for: .seconds(1))
        _ = try await fleet.perform(ActionRequest(action: .pause, kind: .instance, targets: ["only-b"]))
        let expected = try await fleet.snapshot().instances.first { $0.name == "only-b" }.map(\.id)
        let seen = await withTaskGroup(of: BackendEvent?.self) { group in
            group.addTask {
                for await event in events {
                    if case .instanceStateChanged(_, "only-b", _) = event { return event }
                }
                return nil
            }
            group.addTask { try? await Task.sleep(for: .seconds(10)); return nil }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        guard case .instanceStateChanged(let id, _, let state)? = seen else { return XCTFail("no event within 10 s") }
        XCTAssertEqual(id, expected)
        XCTAssertTrue(id.hasSuffix("@lab-b"), id)
        XCTAssertEqual(state, .paused)
    }

    /// A fleet's ssh hosts never ask on the terminal: libvirt's ssh transport gets no_tty=1.
    func testSSHHostsOpenWithoutPrompts() {
        XCTAssertEqual(LibvirtConnection.withoutPrompts("qemu+ssh://root@lab-a/system"), "qemu+ssh://root@lab-a/system?no_tty=1")
        XCTAssertEqual(LibvirtConnection.withoutPrompts("qemu+libssh2://lab-a/system?keyfile=/k"),
                       "qemu+libssh2://lab-a/system?keyfile=/k&no_tty=1")
        XCTAssertEqual(LibvirtConnection.withoutPrompts("qemu+ssh://lab-a/system?no_tty=0"), "qemu+ssh://lab-a/system?no_tty=0",
                       "what the URI says is kept")
        XCTAssertEqual(LibvirtConnection.withoutPrompts("qemu:///system"), "qemu:///system")
        XCTAssertEqual(LibvirtConnection.withoutPrompts("test:///tmp/ssh+node.xml"), "test:///tmp/ssh+node.xml")
    }

    func testAHostThatStopsAnsweringGoesStaleAloneWithItsLastData() async throws {
        let failing = LockedBox(false)
        var b = source("lab-b", file: "lab-b.xml")
        let open = b.open
        b.open = {
            let opened = try open()
            return FleetMemberBackend(backend: BeforeEachRead(base: opened.backend) {
                if failing.get() { throw BackendError.unreachable(endpoint: "lab-b", reason: "the host went away") }
            }, consoles: nil, cache: nil)
        }
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"), b])
        let first = try await fleet.snapshot()
        XCTAssertEqual(first.fleet?.map(\.health), [.up, .up])
        failing.set(true)
        let second = try await fleet.snapshot()
        XCTAssertEqual(second.fleet?[0].health, .up)
        guard case .stale(let reason)? = second.fleet?[1].health else { return XCTFail("\(String(describing: second.fleet))") }
        XCTAssertTrue(reason.hasPrefix("Could not connect to lab-b: the host went away."), reason)
        XCTAssertEqual(second.instances.count, first.instances.count, "lab-b's last data stays on screen")
        XCTAssertEqual(second.staleParts.map(\.what), ["lab-b"])
    }

    func testAHungReadCountsAsStaleAfterItsDeadlineIsNotStartedTwiceAndLandsWhenItEnds() async throws {
        let hung = LockedBox(false)
        var b = source("lab-b", file: "lab-b.xml")
        let open = b.open
        b.open = { FleetMemberBackend(backend: BeforeEachRead(base: try open().backend) {
            if hung.get() { usleep(3_000_000) }  // blocks its thread, as a stuck C call does
        }, consoles: nil, cache: nil) }
        let fleet = FleetBackend(sources: [source("lab-a", file: "lab-a.xml"), b], openSeconds: 5, readSeconds: 0.5)
        _ = try await fleet.snapshot()
        hung.set(true)
        let started = Date()
        let stale = try await fleet.snapshot()
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "the fleet did not wait for the hung host")
        XCTAssertEqual(stale.fleet?[1].health, .stale(reason: "lab-b did not answer within 0.5 s; its last data is shown."))
        let again = try await fleet.snapshot()
        XCTAssertEqual(again.fleet?[1].health, stale.fleet?[1].health, "still waiting on the first read, none started beside it")
        XCTAssertEqual(again.fleet?[0].health, .up)
        // The slow read ends after its deadline: what it read is not thrown away (the next read, hung again,
        // shows it as the last good data).
        try await Task.sleep(for: .seconds(3))
        let landed = try await fleet.snapshot()
        let before = try XCTUnwrap(stale.fleet?[1].snapshot.takenAt), after = try XCTUnwrap(landed.fleet?[1].snapshot.takenAt)
        XCTAssertGreaterThan(after, before)
    }

    /// Opens and reads block their thread (an ssh handshake, a distant daemon). Swift's global executor has a
    /// thread per core, so eight contexts there would take turns two by two on this machine; each context has a
    /// thread of its own, so all eight are inside their blocking call at once. Each open and each read waits
    /// (blocking) until all eight have arrived, or gives up after 20 s and says it was not met.
    func testEveryContextOpensAndReadsAtOnceEvenWhenEachBlocksItsThread() async throws {
        let hosts = 8
        let opening = BlockingMeeting(of: hosts), reading = BlockingMeeting(of: hosts)
        let sources = (1...hosts).map { host -> FleetMemberSource in
            var member = source("host-\(host)", file: "lab-a.xml")
            let open = member.open
            member.open = {
                opening.arriveAndWait()
                return FleetMemberBackend(backend: BeforeEachRead(base: try open().backend) { reading.arriveAndWait() }, consoles: nil, cache: nil)
            }
            return member
        }
        let fleet = FleetBackend(sources: sources, openSeconds: 60, readSeconds: 60)
        let snapshot = try await fleet.snapshot()
        XCTAssertEqual(snapshot.fleet?.map(\.health), Array(repeating: .up, count: hosts))
        XCTAssertEqual(opening.met, hosts, "every open was blocked at the same time as the seven others")
        XCTAssertEqual(reading.met, hosts, "every read was blocked at the same time as the seven others")
        XCTAssertEqual(snapshot.instances.count, hosts * 2)
    }

    /// A fleet's threads end with it: switching contexts all day on a wall must not pile them up.
    func testTheThreadsOfAFleetEndWhenTheFleetIsGone() async throws {
        func threads() -> Int { (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task").count) ?? 0 }
        func readAndDrop() async throws {
            // Sources wait on the network unless told otherwise: four threads of their own.
            let fleet = FleetBackend(sources: (1...4).map { source("host-\($0)", file: "lab-a.xml") })
            _ = try await fleet.snapshot()
        }
        try await readAndDrop()  // the global executor's own threads, started once
        try await Task.sleep(for: .milliseconds(200))
        let before = threads()
        for _ in 1...5 { try await readAndDrop() }
        var after = threads()
        for _ in 0..<50 where after > before {
            try await Task.sleep(for: .milliseconds(100))
            after = threads()
        }
        XCTAssertLessThanOrEqual(after, before, "five fleets of four came and went")
    }
}

/// Blocking calls that wait for each other: each `arriveAndWait()` blocks its thread until `count` have
/// arrived (then it counts as met) or 20 s have passed.
private final class BlockingMeeting: Sendable {
    private let count: Int
    private let arrived = Mutex(0), metCount = Mutex(0)
    init(of count: Int) { self.count = count }
    var met: Int { metCount.withLock { $0 } }
    func arriveAndWait() {
        arrived.withLock { $0 += 1 }
        for _ in 0..<2000 where arrived.withLock({ $0 }) < count { usleep(10_000) }
        if arrived.withLock({ $0 }) >= count { metCount.withLock { $0 += 1 } }
    }
}

/// A real backend that runs `hook` before each read: a read that fails when told to (a host whose daemon went
/// away), hangs (a blocking call that does not return) or blocks at a meeting.
private struct BeforeEachRead: CloudReader, CloudMutator {
    let base: any CloudBackend
    let hook: @Sendable () throws -> Void
    init(base: any CloudBackend, _ hook: @escaping @Sendable () throws -> Void) { self.base = base; self.hook = hook }
    var description: BackendDescription { base.description }
    func snapshot() async throws -> CloudSnapshot {
        try hook()
        return try await base.snapshot()
    }
    func rawDefinition(instanceID: String) async throws -> String { try await base.rawDefinition(instanceID: instanceID) }
    func events() -> AsyncStream<BackendEvent> { base.events() }
    var capabilities: Capabilities { base.capabilities }
    func perform(_ request: ActionRequest) async throws -> ActionOutcome { try await base.perform(request) }
}

/// A value shared between a test and the closures it hands over.
final class LockedBox<Value: Sendable>: Sendable {
    private let value: Mutex<Value>
    init(_ value: Value) { self.value = Mutex(value) }
    func get() -> Value { value.withLock { $0 } }
    func set(_ new: Value) { value.withLock { $0 = new } }
    /// Changes the value in place, under the lock (pieces arrive from several tasks at once).
    func update(_ change: (inout Value) -> Void) { value.withLock { change(&$0) } }
}

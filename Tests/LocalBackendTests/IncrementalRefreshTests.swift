#if canImport(Glibc)
import Glibc
#endif
import CLibvirt
import Foundation
import XCTest
import StoreTestSupport
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// The incremental refresh on libvirt's test driver (each test on its own copy of a small node): after each
/// change between two snapshots the next snapshot shows it, and equals what a read of everything from
/// scratch gives; definitions are read again only when they may have changed.
final class IncrementalRefreshTests: XCTestCase {
    private static let webUUID = "7a0e3c1e-5b4a-4d7e-9c61-0d2a1b3c4d01"
    private static let dbUUID = "7a0e3c1e-5b4a-4d7e-9c61-0d2a1b3c4d02"
    private static let spareUUID = "7a0e3c1e-5b4a-4d7e-9c61-0d2a1b3c4d03"

    private struct Host {
        let session: LibvirtSession
        let store: StateStore
        let backend: LocalCloudBackend
        var connection: LibvirtConnection { session.current }
        var cache: DomainReadCache { session.readCache(for: session.current) }
    }

    private func host(isAlive: (@Sendable (LibvirtConnection) -> Bool)? = nil) throws -> Host {
        let path = try makeTemporaryDirectory(self) + "/node.xml"
        try Self.nodeXML.write(toFile: path, atomically: true, encoding: .utf8)
        let connection = try LibvirtConnection(uri: "test://" + path)
        let session = isAlive.map { LibvirtSession(connection: connection, isAlive: $0) }
            ?? LibvirtSession(connection: connection)
        let store = try makeStore(self)
        return Host(session: session, store: store, backend: LocalCloudBackend(session: session, store: store))
    }

    /// The next snapshot, held equal to one made from a read of everything without any cache.
    @discardableResult
    private func refresh(_ host: Host, file: StaticString = #filePath, line: UInt = #line) async throws -> CloudSnapshot {
        let snapshot = try await host.backend.snapshot()
        let connection = host.connection
        let scratch = LocalSnapshotAssembler.assemble(inventory: try connection.inventory(),
                                                      store: try host.store.localData(), hostname: connection.hostname())
        XCTAssertEqual(snapshot.instances, scratch.instances, "incremental and full reads differ", file: file, line: line)
        XCTAssertTrue(snapshot.hasSameData(as: scratch), "incremental and full snapshots differ", file: file, line: line)
        return snapshot
    }

    private func domain(_ name: String, on host: Host) throws -> OpaquePointer {
        let domain = try XCTUnwrap(virDomainLookupByName(host.connection.handle, name), "no domain \(name)")
        addTeardownBlock { virDomainFree(domain) }
        return domain
    }

    /// Waits (up to two seconds, so a lost event fails rather than hangs) until libvirt's event thread has
    /// marked `domain` for the next read. Events arrive a moment after the change that caused them.
    private func waitUntilMarked(_ domain: OpaquePointer, in cache: DomainReadCache,
                                 file: StaticString = #filePath, line: UInt = #line) {
        let deadline = ContinuousClock.now + .seconds(2)
        while !cache.isMarked(domain), ContinuousClock.now < deadline { usleep(2_000) }
        XCTAssertTrue(cache.isMarked(domain), "no event marked the domain", file: file, line: line)
    }

    private func instance(_ name: String, in snapshot: CloudSnapshot) throws -> Instance {
        try XCTUnwrap(snapshot.instances.first { $0.name == name }, "\(name) is not listed")
    }

    // MARK: - Reading less

    func testAnUnchangedHostReadsNoDefinitionAgainAndGivesTheSameSnapshot() async throws {
        let host = try host()
        let first = try await refresh(host)
        XCTAssertTrue(host.cache.isWatching)
        XCTAssertEqual(host.cache.counts.definitions, 3)
        let second = try await refresh(host)
        XCTAssertEqual(host.cache.counts.reads, 2)
        XCTAssertEqual(host.cache.counts.full, 1, "only the first read reads everything")
        XCTAssertEqual(host.cache.counts.definitions, 3, "no definition was read again")
        XCTAssertTrue(second.hasSameData(as: first))
        XCTAssertEqual(second.instances.map(\.name), ["db", "spare", "web-01"])
        XCTAssertEqual(try instance("web-01", in: second).addresses.count, 1, "a running guest keeps its lease")
        XCTAssertEqual(try instance("db", in: second).disks.first?.capacityBytes, 8 << 30, "from the pool volume")
    }

    func testAnUnchangedListKeepsItsStorage() throws {
        let host = try host()
        let cache = DomainReadCache(connection: host.connection, watch: true)
        let first = try host.connection.inventory(cache: cache).instances
        let second = try host.connection.inventory(cache: cache).instances
        XCTAssertEqual(first.withUnsafeBufferPointer(\.baseAddress), second.withUnsafeBufferPointer(\.baseAddress),
                       "an unchanged read gives back the previous list itself")
        XCTAssertEqual(virDomainSuspend(try domain("web-01", on: host)), 0)
        let third = try host.connection.inventory(cache: cache).instances
        XCTAssertEqual(third.first { $0.name == "web-01" }?.state, .paused)
        XCTAssertEqual(third.filter { $0.name != "web-01" }, second.filter { $0.name != "web-01" })
    }

    func testEveryThirtiethReadReadsEverythingAgain() async throws {
        let host = try host()
        for _ in 0..<DomainReadCache.fullReadInterval { try await refresh(host) }
        XCTAssertEqual(host.cache.counts.full, 1)
        XCTAssertEqual(host.cache.counts.definitions, 3)
        try await refresh(host)
        XCTAssertEqual(host.cache.counts.reads, DomainReadCache.fullReadInterval + 1)
        XCTAssertEqual(host.cache.counts.full, 2, "the safety net read everything again")
        XCTAssertEqual(host.cache.counts.definitions, 6)
    }

    func testAChangeNoEventToldOfShowsAtTheSafetyNetRead() async throws {
        let host = try host()
        let before = try await host.backend.snapshot()
        XCTAssertEqual(try instance("spare", in: before).vcpus, 1)
        // The test driver changes the saved vCPU count of a shut-off domain without any event.
        let spare = try domain("spare", on: host)
        XCTAssertEqual(virDomainSetVcpusFlags(spare, 2, UInt32(VIR_DOMAIN_AFFECT_CONFIG.rawValue)), 0)
        XCTAssertFalse(host.cache.isMarked(spare))
        var seen: [Int] = []
        for _ in 1..<DomainReadCache.fullReadInterval {
            let snapshot = try await host.backend.snapshot()
            seen.append(try instance("spare", in: snapshot).vcpus)
        }
        XCTAssertEqual(Set(seen), [1], "nothing said it changed, so nothing was read again")
        let safetyNet = try await refresh(host)
        XCTAssertEqual(try instance("spare", in: safetyNet).vcpus, 2)
    }

    func testWithoutEventsEveryReadReadsEverything() throws {
        let host = try host()
        let cache = DomainReadCache(connection: host.connection, watch: false)
        XCTAssertFalse(cache.isWatching)
        let first = try host.connection.inventory(cache: cache)
        let second = try host.connection.inventory(cache: cache)
        XCTAssertEqual(first, second)
        XCTAssertEqual(cache.counts.reads, 2)
        XCTAssertEqual(cache.counts.full, 2)
        XCTAssertEqual(cache.counts.definitions, 6)
    }

    // MARK: - Changes between refreshes

    func testADomainDefinedBetweenRefreshesShowsOnTheNext() async throws {
        let host = try host()
        try await refresh(host)
        let xml = "<domain type='test'><name>fresh</name><memory unit='MiB'>256</memory><vcpu>2</vcpu>"
            + "<os><type>hvm</type></os><devices><interface type='network'><mac address='52:54:00:aa:00:09'/>"
            + "<source network='default'/></interface></devices></domain>"
        let defined = try XCTUnwrap(virDomainDefineXML(host.connection.handle, xml))
        defer { virDomainFree(defined) }
        // Not waiting for the event: a domain not seen before is read whether or not it has arrived.
        let snapshot = try await refresh(host)
        let fresh = try instance("fresh", in: snapshot)
        XCTAssertEqual(fresh.state, .shutoff)
        XCTAssertEqual(fresh.vcpus, 2)
        XCTAssertEqual(fresh.memoryMiB, 256)
        XCTAssertEqual(fresh.interfaces.map(\.mac), ["52:54:00:aa:00:09"])
        XCTAssertEqual(host.cache.counts.definitions, 4, "only the new domain was read")
    }

    func testAnUndefinedDomainIsGoneOnTheNextRefresh() async throws {
        let host = try host()
        try await refresh(host)
        XCTAssertEqual(virDomainUndefine(try domain("spare", on: host)), 0)
        let snapshot = try await refresh(host)
        XCTAssertEqual(snapshot.instances.map(\.name), ["db", "web-01"])
        // And a domain defined again under the same UUID is read afresh, not taken from what was known.
        let xml = "<domain type='test'><name>spare-again</name><uuid>\(Self.spareUUID)</uuid>"
            + "<memory unit='MiB'>128</memory><vcpu>3</vcpu><os><type>hvm</type></os></domain>"
        let defined = try XCTUnwrap(virDomainDefineXML(host.connection.handle, xml))
        defer { virDomainFree(defined) }
        let redefined = try await refresh(host)
        let again = try instance("spare-again", in: redefined)
        XCTAssertEqual(again.id, Self.spareUUID)
        XCTAssertEqual(again.vcpus, 3)
        XCTAssertEqual(again.disks, [])
    }

    func testARenamedDomainShowsItsNewNameUnderTheSameID() async throws {
        let host = try host()
        try await refresh(host)
        XCTAssertEqual(virDomainRename(try domain("spare", on: host), "spare-renamed", 0), 0)
        let snapshot = try await refresh(host)
        XCTAssertEqual(snapshot.instances.map(\.name), ["db", "spare-renamed", "web-01"])
        XCTAssertEqual(try instance("spare-renamed", in: snapshot).id, Self.spareUUID)
    }

    func testStartedAndStoppedDomainsShowTheirStateAndAddresses() async throws {
        let host = try host()
        let before = try await refresh(host)
        XCTAssertEqual(try instance("db", in: before).addresses, [])
        let reads = host.cache.counts.definitions

        XCTAssertEqual(virDomainCreate(try domain("db", on: host)), 0)
        XCTAssertEqual(virDomainDestroy(try domain("web-01", on: host)), 0)
        let after = try await refresh(host)
        let db = try instance("db", in: after), web = try instance("web-01", in: after)
        XCTAssertEqual(db.state, .running)
        XCTAssertEqual(db.addresses.count, 1, "a started guest gets its lease")
        XCTAssertEqual(web.state, .shutoff)
        XCTAssertEqual(web.addresses, [], "a stopped guest holds none")
        XCTAssertEqual(host.cache.counts.definitions, reads + 2, "both were read again, the third was not")

        XCTAssertEqual(virDomainSuspend(try domain("db", on: host)), 0)
        let paused = try await refresh(host)
        XCTAssertEqual(try instance("db", in: paused).state, .paused)
    }

    func testARedefinedDomainShowsItsNewDevicesOnceItsEventArrives() async throws {
        let host = try host()
        let before = try await refresh(host)
        XCTAssertEqual(try instance("db", in: before).disks.map(\.target), ["vda"])
        let xml = "<domain type='test'><name>db</name><uuid>\(Self.dbUUID)</uuid>"
            + "<memory unit='MiB'>1024</memory><vcpu>2</vcpu><os><type>hvm</type></os><devices>"
            + "<disk type='volume' device='disk'><source pool='default' volume='db-root.qcow2'/>"
            + "<target dev='vda' bus='virtio'/></disk>"
            + "<disk type='volume' device='disk'><source pool='default' volume='db-data'/>"
            + "<target dev='vdb' bus='virtio'/></disk></devices></domain>"
        let db = try domain("db", on: host)
        let cache = host.cache
        let redefined = try XCTUnwrap(virDomainDefineXML(host.connection.handle, xml))
        defer { virDomainFree(redefined) }
        waitUntilMarked(db, in: cache)
        let snapshot = try await refresh(host)
        let after = try instance("db", in: snapshot)
        XCTAssertEqual(after.disks.map(\.target), ["vda", "vdb"])
        XCTAssertEqual(after.disks.last?.capacityBytes, 2 << 30)
    }

    func testAfterAnActionTheNextRefreshReadsEverything() async throws {
        let host = try host()
        try await refresh(host)
        _ = try await host.backend.perform(ActionRequest(action: .pause, kind: .instance, targets: ["web-01"]))
        let snapshot = try await refresh(host)
        XCTAssertEqual(try instance("web-01", in: snapshot).state, .paused)
        XCTAssertEqual(host.cache.counts.full, 2, "the action's own refresh did not wait for its events")
    }

    func testAReconnectStartsWithAnEmptyCache() async throws {
        let dead = Graveyard()
        let host = try host(isAlive: dead.isAlive)
        try await refresh(host)
        try await refresh(host)
        let old = host.cache
        XCTAssertEqual(old.counts.reads, 2)
        dead.kill(host.connection)
        try await refresh(host)
        XCTAssertFalse(host.cache === old)
        XCTAssertEqual(host.cache.counts.reads, 1)
        XCTAssertEqual(host.cache.counts.full, 1)
        XCTAssertEqual(host.cache.counts.definitions, 3)
    }

    // MARK: - Leases

    func testLeasesAreMatchedByNetworkAndMACOnNetworkInterfacesOnly() {
        let leases = DHCPLeases(byNetwork: ["default": ["52:54:00:aa:00:01": ["192.168.122.10", "fd00::10"]],
                                            "other": ["52:54:00:aa:00:02": ["10.0.0.2"]]])
        let interfaces = [
            InstanceInterface(mac: "52:54:00:AA:00:01", network: "default", type: "network"),
            InstanceInterface(mac: "52:54:00:aa:00:02", network: "default", type: "network"),
            InstanceInterface(mac: "52:54:00:aa:00:02", network: "other", type: "bridge"),
            InstanceInterface(mac: "52:54:00:aa:00:02", network: "other", type: "network"),
        ]
        XCTAssertEqual(interfaces.map(leases.addresses(of:)), [["192.168.122.10", "fd00::10"], [], [], ["10.0.0.2"]])
    }

    private static let nodeXML = TestNodeXML.node([
        TestNodeXML.domain("web-01", uuid: webUUID, memoryMiB: 2048, vcpus: 2, devices: [
            TestNodeXML.fileDisk("/var/lib/stacktop-test/web-01.qcow2", target: "vda", driverType: "qcow2"),
            TestNodeXML.networkInterface(mac: "52:54:00:aa:00:01", network: "default"),
        ]),
        TestNodeXML.domain("db", uuid: dbUUID, memoryMiB: 1024, vcpus: 2, devices: [
            TestNodeXML.volumeDisk(pool: "default", volume: "db-root.qcow2", target: "vda"),
            TestNodeXML.networkInterface(mac: "52:54:00:aa:00:02", network: "default"),
        ], runState: 5),
        TestNodeXML.domain("spare", uuid: spareUUID, memoryMiB: 512, vcpus: 4, currentVCPUs: 1, runState: 5),
        TestNodeXML.defaultNetwork(),
        TestNodeXML.pool("default", path: "/var/lib/stacktop-test/pool", volumes: [
            TestNodeXML.volume("db-root.qcow2", capacity: 8, path: "/var/lib/stacktop-test/pool/db-root.qcow2",
                               format: "qcow2"),
            TestNodeXML.volume("db-data", capacity: 2, path: "/var/lib/stacktop-test/pool/db-data", format: "raw"),
        ]),
    ])
}

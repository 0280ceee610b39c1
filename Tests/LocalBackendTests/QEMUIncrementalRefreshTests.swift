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

/// The incremental refresh against the real libvirtd + QEMU host (STACKTOP_QEMU=1), with changes made from
/// outside by `virsh`: a start (QEMU assigns the VNC port), a live disk hot-plug (only an event says so; the
/// state stays "running") and a stop each show on the next snapshot, which always equals a read of everything
/// from scratch, and whose names and states equal `virsh list --all`. Everything here is named `ir-*`.
final class QEMUIncrementalRefreshTests: XCTestCase {
    private var suffix = ""
    private var directory = ""

    override func setUpWithError() throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
        suffix = String(UUID().uuidString.lowercased().prefix(6))
        directory = try makeTemporaryDirectory(self)
    }

    override func tearDown() {
        QEMUHost.removeLeftovers(prefix: "ir-", suffix: suffix)
        super.tearDown()
    }

    /// The next snapshot, held equal to a read of everything without any cache, and to `virsh list --all`.
    private func refresh(_ backend: LocalCloudBackend, _ session: LibvirtSession, store: StateStore,
                         file: StaticString = #filePath, line: UInt = #line) async throws -> CloudSnapshot {
        let snapshot = try await backend.snapshot()
        let connection = session.current
        let scratch = LocalSnapshotAssembler.assemble(inventory: try connection.inventory(), store: try store.localData(),
                                                      hostname: connection.hostname())
        // CPU time and the live counters (memory in use, disk and network bytes) move between the two reads of a
        // running guest; everything else must agree.
        let comparable = { (instances: [Instance]) in
            instances.map { var copy = $0; copy.cpuTimeNanoseconds = nil; copy.usage = nil; copy.rates = nil; return copy }
        }
        XCTAssertEqual(comparable(snapshot.instances), comparable(scratch.instances), "incremental and full reads differ",
                       file: file, line: line)
        // This suite's own domains only: other suites may change theirs on the shared host meanwhile.
        let virsh = QEMUHost.lines(QEMUHost.virsh("list", "--all")).compactMap { line -> String? in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 3, parts[1].hasPrefix("ir-") else { return nil }
            return "\(parts[1]) \(parts[2...].joined(separator: " "))"
        }.sorted()
        let ours = snapshot.instances.filter { $0.name.hasPrefix("ir-") }
            .map { "\($0.name) \($0.state == .shutoff ? "shut off" : $0.state.rawValue)" }.sorted()
        XCTAssertEqual(ours, virsh, "names and states differ from virsh list --all", file: file, line: line)
        return snapshot
    }

    private func waitUntilMarked(_ name: String, _ session: LibvirtSession, file: StaticString = #filePath,
                                 line: UInt = #line) {
        let connection = session.current, cache = session.readCache(for: connection)
        guard let domain = virDomainLookupByName(connection.handle, name) else {
            return XCTFail("no domain \(name)", file: file, line: line)
        }
        defer { virDomainFree(domain) }
        XCTAssertTrue(QEMUHost.wait(10) { cache.isMarked(domain) }, "no event marked \(name)", file: file, line: line)
    }

    func testAStartAHotPlugAndAStopFromOutsideShowOnTheNextRefresh() async throws {
        let name = "ir-guest-\(suffix)", volume = "ir-data-\(suffix).qcow2"
        let made = QEMUHost.virsh("vol-create-as", QEMUHost.pool, volume, "16M", "--format", "qcow2")
        XCTAssertEqual(made.status, 0, made.output)
        // No OS: SeaBIOS finds nothing to boot and the guest idles, which is all this needs.
        let xml = """
            <domain type='qemu'>
              <name>\(name)</name>
              <memory unit='MiB'>64</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type></os>
              <features><acpi/></features>
              <devices>
                <interface type='network'><source network='\(QEMUHost.network)'/><model type='virtio'/></interface>
                <graphics type='vnc' autoport='yes' listen='127.0.0.1'/>
                <memballoon model='none'/>
              </devices>
            </domain>
            """
        try xml.write(toFile: directory + "/guest.xml", atomically: true, encoding: .utf8)
        let defined = QEMUHost.virsh("define", directory + "/guest.xml")
        XCTAssertEqual(defined.status, 0, defined.output)

        let store = try makeStore(self)
        let session = LibvirtSession(connection: try LibvirtConnection(uri: QEMUHost.uri, readOnly: true))
        let backend = LocalCloudBackend(session: session, store: store)
        let before = try await refresh(backend, session, store: store)
        let shutOff = try XCTUnwrap(before.instances.first { $0.name == name })
        XCTAssertEqual(shutOff.state, .shutoff)
        XCTAssertEqual(shutOff.graphics.first?.port, -1, "no port before it runs")
        XCTAssertEqual(shutOff.cpuTimeNanoseconds, 0)
        XCTAssertTrue(session.readCache(for: session.current).isWatching)

        let started = QEMUHost.virsh("start", name)
        XCTAssertEqual(started.status, 0, started.output)
        waitUntilMarked(name, session)
        let afterStart = try await refresh(backend, session, store: store)
        let running = try XCTUnwrap(afterStart.instances.first { $0.name == name })
        XCTAssertEqual(running.state, .running)
        XCTAssertGreaterThanOrEqual(running.graphics.first?.port ?? -1, 5900, "QEMU's port, read again after the start")
        XCTAssertNotNil(running.cpuTimeNanoseconds)

        // A quiet refresh reads no definition again.
        let cache = session.readCache(for: session.current)
        let definitions = cache.counts.definitions
        _ = try await refresh(backend, session, store: store)
        XCTAssertEqual(cache.counts.definitions, definitions)

        let attached = QEMUHost.virsh("attach-disk", name, QEMUHost.poolDirectory + "/" + volume, "vdb",
                                      "--live", "--subdriver", "qcow2")
        XCTAssertEqual(attached.status, 0, attached.output)
        waitUntilMarked(name, session)
        let afterPlug = try await refresh(backend, session, store: store)
        let plugged = try XCTUnwrap(afterPlug.instances.first { $0.name == name })
        XCTAssertEqual(plugged.state, .running)
        XCTAssertEqual(plugged.disks.map(\.target), ["vdb"], "the hot-plugged disk, told by its event alone")
        XCTAssertEqual(plugged.disks.first?.capacityBytes, 16 << 20)

        let destroyed = QEMUHost.virsh("destroy", name)
        XCTAssertEqual(destroyed.status, 0, destroyed.output)
        waitUntilMarked(name, session)
        let afterStop = try await refresh(backend, session, store: store)
        let stopped = try XCTUnwrap(afterStop.instances.first { $0.name == name })
        XCTAssertEqual(stopped.state, .shutoff)
        XCTAssertEqual(stopped.disks, [], "a live-only disk goes with the running guest")
        XCTAssertEqual(stopped.graphics.first?.port, -1)
    }
}

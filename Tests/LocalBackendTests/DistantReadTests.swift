import Foundation
import XCTest
import CLibvirt
import SystemTestSupport
import StacktopServices
import StacktopStore
@testable import LocalBackend

/// A distant host's read asks for its definitions, pools, volumes and networks several at a time
/// (`ConcurrentCalls`). The same node file is read twice: through the real libvirtd (`test+unix://`, the distant path, behind STACKTOP_QEMU=1, where
/// CI runs libvirtd) and inside this process (`test://`, one call at a time); both reads must agree.
final class DistantReadTests: XCTestCase {
    func testADistantHostReadThroughLibvirtdAgreesWithTheSameNodeReadInProcess() throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/node.xml"
        let domains = (0..<40).map { index in
            TestNodeXML.domain("distant-\(index)", memoryMiB: 256 * (1 + index % 4), vcpus: 1 + index % 3,
                               devices: [TestNodeXML.fileDisk("/var/lib/libvirt/images/distant-\(index).qcow2", target: "vda"),
                                         TestNodeXML.networkInterface(mac: String(format: "52:54:00:00:01:%02x", index),
                                                                      network: "default")],
                               runState: index % 3 == 0 ? 5 : nil)
        }
        let volumes = (0..<40).map { index in
            TestNodeXML.volume("distant-\(index).qcow2", capacity: 10 + index, path: "/var/lib/libvirt/images/distant-\(index).qcow2",
                               format: "qcow2")
        }
        let pools = [TestNodeXML.pool("images", path: "/var/lib/libvirt/images", volumes: volumes),
                     TestNodeXML.pool("spare", path: "/srv/spare", volumes: [TestNodeXML.volume("one.raw", capacity: 1)])]
        try TestNodeXML.node(domains + [TestNodeXML.defaultNetwork()] + pools)
            .write(toFile: path, atomically: true, encoding: .utf8)

        let distant = try LibvirtConnection(uri: "test+unix://\(path)", readOnly: true)
        let local = try LibvirtConnection(uri: "test://\(path)", readOnly: true)
        XCTAssertTrue(distant.isDistant)
        XCTAssertFalse(local.isDistant)
        let far = try distant.inventory(), near = try local.inventory()
        // libvirt lists in no set order (each side's hash table): compared sorted.
        let farPools = far.pools.sorted { $0.name < $1.name }, nearPools = near.pools.sorted { $0.name < $1.name }
        XCTAssertEqual(farPools.map(\.name), ["images", "spare"])
        XCTAssertEqual(farPools.map(\.name), nearPools.map(\.name))
        XCTAssertEqual(farPools.map(\.capacityBytes), nearPools.map(\.capacityBytes))
        XCTAssertEqual(far.poolVolumes.count, 41)
        let farVolumes = far.poolVolumes.sorted { $0.path < $1.path }, nearVolumes = near.poolVolumes.sorted { $0.path < $1.path }
        XCTAssertEqual(farVolumes.map(\.path), nearVolumes.map(\.path))
        XCTAssertEqual(farVolumes.map(\.capacityBytes), nearVolumes.map(\.capacityBytes))
        XCTAssertEqual(farVolumes.map(\.format), nearVolumes.map(\.format))
        XCTAssertEqual(farVolumes.map(\.pool), nearVolumes.map(\.pool))
        XCTAssertEqual(far.networks.map(\.name), near.networks.map(\.name))
        XCTAssertEqual(far.networks.map(\.subnets), near.networks.map(\.subnets))
        let throughDaemon = far.instances.sorted { $0.name < $1.name }
        let inProcess = near.instances.sorted { $0.name < $1.name }
        XCTAssertEqual(throughDaemon.count, 40)
        XCTAssertEqual(throughDaemon.map(\.name), inProcess.map(\.name))
        XCTAssertEqual(throughDaemon.map(\.state), inProcess.map(\.state))
        XCTAssertEqual(throughDaemon.map(\.vcpus), inProcess.map(\.vcpus))
        XCTAssertEqual(throughDaemon.map(\.memoryMiB), inProcess.map(\.memoryMiB))
        XCTAssertEqual(throughDaemon.map(\.disks), inProcess.map(\.disks))
        XCTAssertEqual(throughDaemon.first?.disks.first?.capacityBytes, 10 << 30, "the disk's size comes from its volume")
        XCTAssertEqual(throughDaemon.map { $0.interfaces.map(\.mac) }, inProcess.map { $0.interfaces.map(\.mac) })
        XCTAssertEqual(throughDaemon.filter { $0.state == .shutoff }.count, 14)
        XCTAssertNil(throughDaemon.first?.cpuTimeNanoseconds, "the test driver's CPU time is its wall clock, not shown")
    }

    /// Reads of a distant host take its pools, volumes and networks from the read before unless a panel of theirs is
    /// on screen, `r` asked for everything, or an action ran (`KeptStorage`). The volume is made behind the
    /// backend's back, on its own connection, so only a read that asks libvirt again can see it.
    func testADistantHostsStorageIsAskedAgainOnlyWhenItsPanelIsOnScreenOrAfterAnAction() async throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/node.xml"
        try TestNodeXML.node([TestNodeXML.domain("far-01", memoryMiB: 256),
                              TestNodeXML.pool("images", path: "/var/lib/libvirt/images",
                                               volumes: [TestNodeXML.volume("base.qcow2", capacity: 1)])])
            .write(toFile: path, atomically: true, encoding: .utf8)
        let connection = try LibvirtConnection(uri: "test+unix://\(path)")
        let backend = LocalCloudBackend(connection: connection, store: try StateStore(path: directory + "/state.sqlite3"))
        let instancesOnly = ReadRequest(kindsInView: [.instance])
        func volumeNames(_ request: ReadRequest) async throws -> [String] {
            try await backend.snapshot(request, partial: { _ in }).volumes.map(\.name).sorted()
        }
        let first = try await volumeNames(instancesOnly)
        XCTAssertEqual(first, ["base.qcow2"])

        let pool = try XCTUnwrap(virStoragePoolLookupByName(connection.handle, "images"))
        defer { virStoragePoolFree(pool) }
        let made = virStorageVolCreateXML(pool, "<volume><name>new.qcow2</name><capacity unit='GiB'>1</capacity></volume>", 0)
        XCTAssertNotNil(made)
        if let made { virStorageVolFree(made) }

        let kept = try await volumeNames(instancesOnly)
        XCTAssertEqual(kept, ["base.qcow2"], "kept: no panel of volumes on screen")
        let inView = try await volumeNames(ReadRequest(kindsInView: [.instance, .volume]))
        XCTAssertEqual(inView, ["base.qcow2", "new.qcow2"])
        let full = try await volumeNames(ReadRequest(kindsInView: [.instance], full: true))
        XCTAssertEqual(full, ["base.qcow2", "new.qcow2"])
        let after = try await volumeNames(instancesOnly)
        XCTAssertEqual(after, ["base.qcow2", "new.qcow2"], "what the last read found is kept")
    }
}

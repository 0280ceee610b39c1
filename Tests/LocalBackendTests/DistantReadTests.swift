import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend

/// A distant host's first read asks for its definitions several at a time (`ConcurrentCalls`). The same node
/// file is read twice: through the real libvirtd (`test+unix://`, the distant path, behind STACKTOP_QEMU=1, where
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
        try TestNodeXML.node(domains + [TestNodeXML.defaultNetwork()]).write(toFile: path, atomically: true, encoding: .utf8)

        let distant = try LibvirtConnection(uri: "test+unix://\(path)", readOnly: true)
        let local = try LibvirtConnection(uri: "test://\(path)", readOnly: true)
        XCTAssertTrue(distant.isDistant)
        XCTAssertFalse(local.isDistant)
        let throughDaemon = try distant.inventory().instances.sorted { $0.name < $1.name }
        let inProcess = try local.inventory().instances.sorted { $0.name < $1.name }
        XCTAssertEqual(throughDaemon.count, 40)
        XCTAssertEqual(throughDaemon.map(\.name), inProcess.map(\.name))
        XCTAssertEqual(throughDaemon.map(\.state), inProcess.map(\.state))
        XCTAssertEqual(throughDaemon.map(\.vcpus), inProcess.map(\.vcpus))
        XCTAssertEqual(throughDaemon.map(\.memoryMiB), inProcess.map(\.memoryMiB))
        XCTAssertEqual(throughDaemon.map(\.disks), inProcess.map(\.disks))
        XCTAssertEqual(throughDaemon.map { $0.interfaces.map(\.mac) }, inProcess.map { $0.interfaces.map(\.mac) })
        XCTAssertEqual(throughDaemon.filter { $0.state == .shutoff }.count, 14)
        XCTAssertNil(throughDaemon.first?.cpuTimeNanoseconds, "the test driver's CPU time is its wall clock, not shown")
    }
}

import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopServices

/// The qcow2 side of volume snapshots with the real `qemu-img` on temporary files (skipped where qemu-img is not
/// installed: Debian's qemu-utils). `qemu-img` itself, run apart from the code under test, is the witness.
final class VolumeSnapshotFilesTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        guard (try? ProcessRunner.run(["qemu-img", "--version"]))?.status == 0 else {
            throw XCTSkip("qemu-img is not installed (Debian: apt-get install qemu-utils)")
        }
        directory = try makeTemporaryDirectory(self)
    }

    /// A new image made by qemu-img itself.
    private func image(_ name: String, format: String = "qcow2") throws -> String {
        let path = directory + "/" + name
        let made = try ProcessRunner.run(["qemu-img", "create", "-q", "-f", format, path, "16M"])
        XCTAssertEqual(made.status, 0, made.output)
        return path
    }

    /// The tags `qemu-img snapshot -l` lists, read here without the code under test.
    private func listed(_ path: String) throws -> String {
        try ProcessRunner.run(["qemu-img", "snapshot", "-l", path]).output
    }

    private let host = VolumeSnapshotFiles(mover: .libvirt, uri: "qemu:///system")

    func testAnInternalSnapshotIsTakenAndDeletedByItsTagAlone() throws {
        // A comma in the path: QEMU's option syntax must not split it.
        let path = try image("data,01.qcow2")
        XCTAssertEqual(try ProcessRunner.run(["qemu-img", "snapshot", "-c", "made-by-hand", path]).status, 0)

        try host.take(tag: "8d3c5c1e-0b8a-4d57-9c55-3c1e0e6a1f01", volume: "data,01", path: path)
        XCTAssertTrue(try listed(path).contains("8d3c5c1e-0b8a-4d57-9c55-3c1e0e6a1f01"))
        XCTAssertEqual(try host.tool.tags(of: path, volume: "data,01"),
                       ["made-by-hand", "8d3c5c1e-0b8a-4d57-9c55-3c1e0e6a1f01"])

        XCTAssertTrue(try host.remove(tag: "8d3c5c1e-0b8a-4d57-9c55-3c1e0e6a1f01", volume: "data,01", path: path))
        let after = try listed(path)
        XCTAssertFalse(after.contains("8d3c5c1e"), after)
        XCTAssertTrue(after.contains("made-by-hand"), "a snapshot stacktop did not take stays: \(after)")
        XCTAssertFalse(try host.remove(tag: "8d3c5c1e-0b8a-4d57-9c55-3c1e0e6a1f01", volume: "data,01", path: path),
                       "one already gone from the file is nothing to delete")
    }

    func testARawFileIsNeverOpenedAsQcow2() throws {
        let path = try image("disk.raw", format: "raw")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try host.take(tag: "t1", volume: "disk.raw", path: path)) { error in
            let message = ErrorText.sentence(error)
            XCTAssertTrue(message.hasPrefix("Taking a snapshot inside volume disk.raw failed: qemu-img: "), message)
            XCTAssertTrue(message.contains("not in qcow2 format") && message.hasSuffix("."), message)
        }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before, "the raw file is untouched")
    }

    func testTheDemoAndARemoteHostTouchNoFile() throws {
        let path = try image("demo.qcow2")
        let demo = VolumeSnapshotFiles(mover: .sizesOnly, uri: "test:///tmp/node.xml")
        try demo.take(tag: "t1", volume: "demo", path: path)
        XCTAssertTrue(try demo.remove(tag: "t1", volume: "demo", path: path))
        XCTAssertFalse(try listed(path).contains("t1"), "the demo records, qemu-img is never run")

        let remote = VolumeSnapshotFiles(mover: .libvirt, uri: "qemu+ssh://root@kvm-7/system")
        XCTAssertThrowsError(try remote.take(tag: "t1", volume: "data", path: path)) { error in
            XCTAssertEqual(error as? BackendError, .unavailable(feature: "volume snapshots", reason: "Volume snapshots on a "
                + "libvirt host are taken with qemu-img inside the volume's own file, so stacktop needs the host's files and "
                + "cannot do it over qemu+ssh://root@kvm-7/system; run stacktop on the host with qemu:///system "
                + "(or qemu:///session)."))
        }
        XCTAssertFalse(try listed(path).contains("t1"))
    }

    func testAMissingQemuImgIsSaidWithItsPackage() throws {
        let missing = VolumeSnapshotFiles(mover: .libvirt, uri: "qemu:///session",
                                          tool: QemuImg(executable: directory + "/no-such-qemu-img"))
        let path = try image("a.qcow2")
        XCTAssertThrowsError(try missing.take(tag: "t1", volume: "a", path: path)) { error in
            XCTAssertEqual(error as? BackendError, .unavailable(feature: "volume snapshots", reason: "qemu-img was not found; "
                + "install Debian's qemu-utils (`apt-get install qemu-utils`) to take volume snapshots on a libvirt host."))
        }
    }

    func testOnlyAConnectionToThisMachinesLibvirtdReachesTheFiles() {
        for uri in ["qemu:///system", "qemu:///session", "qemu+unix:///system", "qemu:///system?socket=/run/l.sock"] {
            XCTAssertTrue(VolumeSnapshotFiles.reachesHostFiles(uri), uri)
        }
        for uri in ["qemu+ssh://root@host/system", "qemu+tcp://10.0.0.1/system", "qemu://host/system", "test:///default",
                    "xen:///system", "qemu:///embed?root=/tmp/x"] {
            XCTAssertFalse(VolumeSnapshotFiles.reachesHostFiles(uri), uri)
        }
    }
}

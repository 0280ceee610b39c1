import Foundation
import Synchronization
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import CLibvirt

/// The demo keeps its changes: the test driver's host is written back as a node file that a fresh
/// connection reads as it was left; and the storage calls the test driver lacks work there, moving no bytes.
final class DemoPersistenceTests: XCTestCase {
    /// A demo home in this test's own directory (never the user's state directory).
    private func demo() throws -> (home: DemoHome, backend: PersistentDemoBackend) {
        let home = DemoHome(stateStorePath: try makeTemporaryDirectory(self) + "/state.sqlite3")
        try home.createIfMissing(now: Date(timeIntervalSince1970: 1_790_000_000))
        let connection = try LibvirtConnection(uri: home.uri)
        let store = try StateStore(path: home.storePath)
        return (home, PersistentDemoBackend(base: LocalCloudBackend(connection: connection, store: store, kind: .demo),
                                            home: home))
    }

    /// What must survive a reopen, without the counters a test driver makes up per connection.
    private func comparable(_ inventory: HostInventory) -> HostInventory {
        var copy = inventory
        copy.instances = copy.instances.map { instance in
            var instance = instance
            instance.cpuTimeNanoseconds = nil
            // The test driver makes interface addresses up afresh on every connection.
            instance.interfaces = instance.interfaces.map { interface in
                var interface = interface
                interface.addresses = []
                return interface
            }
            return instance
        }.sorted { $0.id < $1.id }
        copy.pools.sort { $0.name < $1.name }
        copy.poolVolumes.sort { ($0.pool, $0.name) < ($1.pool, $1.name) }
        // A node file has no autostart: every network comes back active, none marked autostart.
        copy.networks = copy.networks.map { network in
            var network = network
            network.autostart = false
            return network
        }.sorted { $0.name < $1.name }
        copy.node?.cpuTimes = nil
        copy.node?.memoryUsedMiB = nil
        return copy
    }

    private func perform(_ backend: PersistentDemoBackend, _ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                         _ text: [OptionKey: String] = [:]) async throws -> String {
        try await backend.perform(ActionRequest(action: action, kind: kind, targets: targets, text: text,
                                                project: "engineering")).message
    }

    func testTheFirstOpenWritesTheDemoAndLaterOpensKeepIt() throws {
        let home = DemoHome(stateStorePath: try makeTemporaryDirectory(self) + "/stacktop/state.sqlite3")
        XCTAssertTrue(home.directory.hasSuffix("/stacktop/demo"), home.directory)
        XCTAssertFalse(home.exists)
        try home.createIfMissing()
        XCTAssertTrue(home.exists)
        XCTAssertEqual(try String(contentsOfFile: home.nodePath, encoding: .utf8), DemoNodeXML.xml)
        let mode = try FileManager.default.attributesOfItem(atPath: home.nodePath)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let parent = (home.directory as NSString).deletingLastPathComponent
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: parent), ["demo"], "no staging leftovers")

        try "<node/>".write(toFile: home.nodePath, atomically: true, encoding: .utf8)
        try home.createIfMissing()
        XCTAssertEqual(try String(contentsOfFile: home.nodePath, encoding: .utf8), "<node/>", "an existing demo is kept")
        XCTAssertTrue(try home.reset())
        XCTAssertFalse(home.exists)
        XCTAssertFalse(try home.reset(), "nothing left to reset")
    }

    func testThePristineDemoRoundTrips() throws {
        let (home, _) = try demo()
        let original = try LibvirtConnection(uri: home.uri)
        let directory = try makeTemporaryDirectory(self)
        try DemoHome.writeAtomically(try original.testDriverNodeXML(), to: directory + "/dump.xml")
        let reopened = try LibvirtConnection(uri: "test://" + directory + "/dump.xml")
        XCTAssertEqual(comparable(try reopened.inventory()), comparable(try original.inventory()))
    }

    func testChangesAreSavedAndAFreshConnectionSeesThem() async throws {
        let (home, backend) = try demo()
        let file = try makeTemporaryDirectory(self) + "/debian-13.qcow2"
        try Data([0x51, 0x46, 0x49, 0xFB] + [UInt8](repeating: 1, count: 3 << 20)).write(to: URL(fileURLWithPath: file))

        _ = try await perform(backend, .stop, .instance, ["web-01"])
        _ = try await perform(backend, .pause, .instance, ["bastion"])
        _ = try await perform(backend, .delete, .instance, ["web-02"])
        _ = try await perform(backend, .create, .instance, ["web-04"],
                              [.image: "debian-12", .flavor: "m1.small", .networks: "default",
                               .securityGroups: "default,web", .keypair: "alice-laptop"])
        _ = try await perform(backend, .snapshot, .instance, ["staging-api"], [.imageName: "golden"])
        _ = try await perform(backend, .create, .volume, ["data-05"], [.size: "1", .image: "debian-12"])
        _ = try await perform(backend, .extend, .volume, ["data-05"], [.size: "3"])
        _ = try await perform(backend, .upload, .image, ["debian-13"], [.file: file])
        _ = try await perform(backend, .create, .network, ["lab"], [.mode: "isolated", .cidr: "10.20.0.0/24"])

        let live = try backend.base.connection.inventory()
        let reopened = try LibvirtConnection(uri: home.uri).inventory()
        XCTAssertEqual(comparable(reopened), comparable(live))

        let state = Dictionary(uniqueKeysWithValues: reopened.instances.map { ($0.name, $0.state) })
        XCTAssertNil(state["web-02"])
        XCTAssertEqual(state["web-01"], InstanceState.shutoff)
        XCTAssertEqual(state["bastion"], .paused)
        XCTAssertEqual(state["web-04"], .running)
        XCTAssertEqual(state["ci runner 3"], .suspended, "states nobody touched come back too")
        let volumes = Dictionary(uniqueKeysWithValues: reopened.poolVolumes.map { ($0.name, $0) })
        XCTAssertEqual(volumes["data-05.qcow2"]?.capacityBytes, 3 << 30)
        XCTAssertEqual(volumes["debian-13.qcow2"]?.capacityBytes, UInt64(3 << 20) + 4)
        XCTAssertNotNil(volumes["golden.qcow2"])
        XCTAssertNotNil(volumes["web-04-seed.iso"])
        XCTAssertNil(volumes["web-02-root.qcow2"])
        XCTAssertTrue(reopened.networks.contains { $0.name == "lab" })

        // The whole demo, store included, reads back through a fresh backend as the same cloud.
        let fresh = LocalCloudBackend(connection: try LibvirtConnection(uri: home.uri),
                                      store: try StateStore(readOnlyAt: home.storePath), kind: .demo)
        let snapshot = try await fresh.snapshot()
        XCTAssertEqual(snapshot.instances.first { $0.name == "web-04" }?.flavor, "m1.small")
        XCTAssertEqual(snapshot.images.first { $0.name == "golden" }?.name, "golden")
    }

    func testAFailedActionLeavesTheSavedHostAsItWas() async throws {
        let (home, backend) = try demo()
        let before = comparable(try LibvirtConnection(uri: home.uri).inventory())
        do {
            _ = try await perform(backend, .create, .volume, ["data-06"], [.size: "1", .image: "no-such-image"])
            XCTFail("an unknown image is refused")
        } catch {
            XCTAssertEqual(error as? BackendError, .notFound(kind: "image", name: "no-such-image"))
        }
        XCTAssertEqual(comparable(try LibvirtConnection(uri: home.uri).inventory()), before)
    }

    // MARK: the test driver's storage (VolumeDataMover.sizesOnly)

    func testTheTestDriverIsDetectedAtConnect() throws {
        XCTAssertEqual(try openDemoHost(self).dataMover, .sizesOnly)
    }

    func testACloneAcrossPoolsHasTheSizesAHostWouldGiveIt() throws {
        let connection = try openDemoHost(self)
        let image = try XCTUnwrap(try connection.inventory().poolVolumes.first { $0.name == "debian-12.qcow2" })
        let small = try connection.createVolume(poolName: "default", xml: VolumeXML.qcow2(name: "small.qcow2", capacityBytes: 1),
                                                cloneFrom: image.path)
        let large = try connection.createVolume(poolName: "default", xml: VolumeXML.qcow2(name: "large.qcow2", capacityBytes: 40 << 30),
                                                cloneFrom: image.path)
        let volumes = try connection.inventory().poolVolumes
        let made = try XCTUnwrap(volumes.first { $0.path == small })
        XCTAssertEqual(made.pool, "default")
        XCTAssertEqual(made.capacityBytes, image.capacityBytes, "never smaller than its source, as libvirt copies")
        XCTAssertEqual(made.allocationBytes, image.allocationBytes)
        XCTAssertEqual(made.format, "qcow2")
        XCTAssertEqual(volumes.first { $0.path == large }?.capacityBytes, 40 << 30)
        XCTAssertThrowsError(try connection.createVolume(poolName: "default", xml: VolumeXML.qcow2(name: "x.qcow2", capacityBytes: 1),
                                                         cloneFrom: "/no/such/volume")) { error in
            XCTAssertTrue(ErrorText.sentence(error).hasPrefix("Finding the source volume /no/such/volume failed"),
                          ErrorText.sentence(error))
        }
    }

    func testAnUploadReadsTheWholeFileReportingProgressAndKeepsNoBytes() async throws {
        let host = try openDemoBackend(self)
        let file = try makeTemporaryDirectory(self) + "/big.img"
        try Data(repeating: 9, count: (5 << 20) / 2).write(to: URL(fileURLWithPath: file))
        let updates = Mutex<[ActionProgress.Update]>([])
        let outcome = try await ActionProgress.withReporter(.init { update in updates.withLock { $0.append(update) } }) {
            try await host.backend.perform(ActionRequest(action: .upload, kind: .image, targets: ["big"],
                                                         text: [.file: file], project: "engineering"))
        }
        XCTAssertEqual(outcome.message, "Uploaded image big (raw, 2.5 MiB) to pool images.")
        let seen = updates.withLock { $0 }
        XCTAssertEqual(seen.map(\.done), [1 << 20, 2 << 20, (5 << 20) / 2], "one update per chunk read")
        XCTAssertEqual(seen.last?.total, (5 << 20) / 2)
        let volume = try XCTUnwrap(try host.backend.connection.inventory().poolVolumes.first { $0.name == "big.raw" })
        XCTAssertEqual(volume.capacityBytes, (5 << 20) / 2)
        XCTAssertEqual(volume.allocationBytes, (5 << 20) / 2)
    }

    func testAnUploadThatCannotReadItsFileLeavesNothing() throws {
        let connection = try openDemoHost(self)
        let path = try connection.createVolume(poolName: "images", xml: VolumeXML.forUpload(name: "short.raw", format: "raw",
                                                                                           sizeBytes: 10 << 20))
        let file = try makeTemporaryDirectory(self) + "/short.raw"
        try Data(repeating: 1, count: 1000).write(to: URL(fileURLWithPath: file))
        let source = try ImageFile.open(file)
        defer { source.close() }
        XCTAssertThrowsError(try connection.upload(file: source.descriptor, size: 10 << 20, toVolumePath: path) { _ in }) { error in
            XCTAssertEqual(ErrorText.sentence(error),
                           "Uploading to \(path) failed: the file ended after 1000 of 10485760 bytes.")
        }
    }

    func testAnExtendKeepsTheVolumesPathFormatAndBacking() throws {
        let connection = try openDemoHost(self)
        let image = try XCTUnwrap(try connection.inventory().poolVolumes.first { $0.name == "debian-12.qcow2" })
        let path = try connection.createVolume(poolName: "default", xml: LaunchXML.rootOverlay(
            name: "grow.qcow2", capacityBytes: 4 << 30, backingPath: image.path, backingFormat: "qcow2"))
        try connection.resizeVolume(path: path, capacityBytes: 9 << 30)
        let grown = try XCTUnwrap(try connection.inventory().poolVolumes.first { $0.name == "grow.qcow2" })
        XCTAssertEqual(grown.path, path)
        XCTAssertEqual(grown.capacityBytes, 9 << 30)
        XCTAssertEqual(grown.format, "qcow2")
        let xml = try XCTUnwrap(connection.volumeXMLForTests(path: path))
        XCTAssertTrue(xml.contains(image.path), "the backing file stays: \(xml)")
    }

    func testVolumeSizesAreRewrittenInPlace() {
        let xml = "<volume><name>a</name><capacity unit='GiB'>2</capacity><allocation unit='bytes'>5</allocation>"
            + "<target><format type='qcow2'/></target></volume>"
        XCTAssertEqual(VolumeSizeXML.capacity(in: xml), 2 << 30)
        XCTAssertEqual(VolumeSizeXML.setting(capacity: 7, allocation: 3, in: xml),
                       "<volume><name>a</name><capacity unit='bytes'>7</capacity><allocation unit='bytes'>3</allocation>"
                       + "<target><format type='qcow2'/></target></volume>")
        XCTAssertEqual(VolumeSizeXML.setting(capacity: 7, allocation: 3, in: "<volume><name>b</name><allocation/></volume>"),
                       "<volume><name>b</name><capacity unit='bytes'>7</capacity><allocation unit='bytes'>3</allocation></volume>")
        XCTAssertNil(VolumeSizeXML.capacity(in: "<volume><name>c</name></volume>"))
    }
}

extension LibvirtConnection {
    fileprivate func volumeXMLForTests(path: String) -> String? {
        guard let volume = virStorageVolLookupByPath(handle, path) else { return nil }
        defer { virStorageVolFree(volume) }
        return LibvirtRuntime.consume(virStorageVolGetXMLDesc(volume, 0))
    }
}

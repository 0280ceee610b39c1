import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// Against the real libvirtd + QEMU host (STACKTOP_QEMU=1): a guest with no OS (SeaBIOS finds nothing to boot)
/// never answers a hot-unplug. Detach says so and changes nothing; delete keeps the separately made volume.
/// `virsh` is the witness. Everything here is named `hl-*` and removed in tearDown.
final class QEMUDetachDeleteTests: XCTestCase {
    private var backend: LocalCloudBackend!
    private var store: StateStore!
    private var suffix = ""

    override func setUpWithError() throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
        let directory = try makeTemporaryDirectory(self)
        store = try StateStore(path: directory + "/state.sqlite3")
        // A fresh store on a real host: the first open makes the flavors, `admin` and its default group.
        backend = LocalCloudBackend(connection: try LibvirtConnection(uri: QEMUHost.uri), store: store, kind: .local)
        backend.unplugTimeout = .seconds(3)
        suffix = String(UUID().uuidString.lowercased().prefix(6))
    }

    override func tearDown() {
        guard store != nil else { return }
        QEMUHost.removeLeftovers(prefix: "hl-", suffix: suffix)
        super.tearDown()
    }

    private func perform(_ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                         _ text: [OptionKey: String] = [:]) async -> String {
        do {
            return try await backend.perform(ActionRequest(action: action, kind: kind, targets: targets,
                                                           text: text, project: "admin")).message
        } catch {
            return ErrorText.sentence(error)
        }
    }

    func testAGuestThatNeverReleasesKeepsTheDiskAndDeleteKeepsTheVolume() async throws {
        let flavors = try store.flavors().map(\.name)
        XCTAssertTrue(flavors.contains("m1.tiny") && flavors.contains("cirros256"), "\(flavors)")
        XCTAssertTrue(try store.securityGroups().contains { $0.name == "default" && $0.project == "admin" })

        // An image that boots nothing: the guest sits in SeaBIOS, with no OS to answer an unplug request.
        let imageFile = "hl-image-\(suffix).qcow2"
        let made = QEMUHost.virsh("vol-create-as", QEMUHost.pool, imageFile, "64M", "--format", "qcow2")
        XCTAssertEqual(made.status, 0, made.output)
        try store.upsertImageMetadata(ImageMetadata(path: QEMUHost.poolDirectory + "/" + imageFile, name: "hl-image-\(suffix)"))
        let name = "hl-guest-\(suffix)"
        // No --security-groups: the project's default group, made on first start, is used.
        let launched = await perform(.create, .instance, [name], [.image: "hl-image-\(suffix)", .flavor: "cirros256",
                                                                  .networks: QEMUHost.network])
        XCTAssertEqual(launched, "Launched \(name) from image hl-image-\(suffix) as cirros256.")
        XCTAssertEqual(QEMUHost.domainState(name), "running")

        let volume = "hl-data-\(suffix)"
        let created = await perform(.create, .volume, [volume], [.size: "1", .pool: QEMUHost.pool])
        XCTAssertTrue(QEMUHost.volumeNames().contains(volume + ".qcow2"), created)
        let attached = await perform(.attachVolume, .instance, [name], [.volume: volume])
        XCTAssertEqual(attached, "Attached volume \(volume).qcow2 to \(name) as /dev/vdb (live).")

        // Detach: the guest never answers, so the disk stays, live and in the definition, and the sentence says so.
        let started = Date()
        let detached = await perform(.detachVolume, .instance, [name], [.volume: volume])
        let took = Date().timeIntervalSince(started)
        print("QEMU: detach from a guest with no OS said, after \(String(format: "%.1f", took)) s: \(detached)")
        XCTAssertTrue(detached.hasPrefix("Detaching \(volume).qcow2 from \(name) failed: \(name) has not released vdb "
                                         + "(\(volume).qcow2) after 3 s: the guest did not answer the unplug request, "
                                         + "so the volume stays attached and in its definition; "), detached)
        XCTAssertTrue(detached.hasSuffix("or add --force to take it out of \(name)'s definition so it is gone once "
                                         + "\(name) is shut off."), detached)
        XCTAssertTrue(QEMUHost.virsh("domblklist", name).output.contains(volume + ".qcow2"), "still attached live")
        XCTAssertTrue(QEMUHost.virsh("domblklist", "--inactive", name).output.contains(volume + ".qcow2"),
                      "still in the definition")
        let snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.volumes.first { $0.name == volume + ".qcow2" }?.attachedTo, [name],
                       "what stacktop shows matches what libvirt has")

        // The same for an interface.
        let plugged = await perform(.attachInterface, .instance, [name], [.network: QEMUHost.network])
        XCTAssertEqual(plugged, "Attached an interface on network \(QEMUHost.network) to \(name).")
        let instance = try await backend.snapshot().instances.first { $0.name == name }
        let mac = try XCTUnwrap(instance?.interfaces.last?.mac)
        let unplugged = await perform(.detachInterface, .instance, [name], [.mac: mac])
        XCTAssertTrue(unplugged.hasPrefix("Detaching interface \(mac) from \(name) failed: \(name) has not released "
                                          + "interface \(mac) after 3 s: "), unplugged)
        XCTAssertTrue(QEMUHost.virsh("domiflist", name).output.contains(mac), "the interface is still there")

        // --force: out of the definition only; the running guest keeps the disk.
        let forced = await perform(.detachVolume, .instance, [name], [.volume: volume, .force: "true"])
        XCTAssertEqual(forced, "Took volume \(volume).qcow2 out of \(name)'s definition; the running guest still has it "
                       + "as vdb until \(name) is shut off (a reboot inside the guest is not enough), and from then on "
                       + "the volume is free.")
        XCTAssertTrue(QEMUHost.virsh("domblklist", name).output.contains(volume + ".qcow2"))
        XCTAssertFalse(QEMUHost.virsh("domblklist", "--inactive", name).output.contains(volume + ".qcow2"))

        // Delete: the root overlay goes, the volume made separately stays in its pool.
        let question = ConfirmationPolicy.requirement(for: ActionRequest(action: .delete, kind: .instance, targets: [name]),
                                                      snapshot: try await backend.snapshot()).question
        XCTAssertEqual(question, "This will delete server \(name): deleting disk \(name)-root.qcow2 for good and keeping "
                       + "volume \(volume).qcow2. Type its name to confirm.")
        let deleted = await perform(.delete, .instance, [name])
        print("QEMU: delete said: \(deleted)")
        XCTAssertTrue(deleted.hasPrefix("Deleted \(name) with its disk \(name)-root.qcow2; kept volume \(volume).qcow2"), deleted)
        XCTAssertFalse(QEMUHost.domainNames().contains(name))
        let pool = QEMUHost.virsh("vol-list", QEMUHost.pool).output
        XCTAssertTrue(pool.contains(volume + ".qcow2"), "the separate volume survives: \(pool)")
        XCTAssertFalse(pool.contains("\(name)-root.qcow2"), "the root overlay is gone: \(pool)")
        XCTAssertTrue(pool.contains(imageFile), "the image stays")
    }
}

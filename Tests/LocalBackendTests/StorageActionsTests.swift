import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopTestSupport

/// Volumes, images and networks against libvirt's test driver loaded with the demo host, and a real
/// seeded SQLite store: what each action leaves behind is read back fresh from libvirt and the store.
final class StorageActionsTests: XCTestCase {
    private struct Host {
        let connection: LibvirtConnection
        let store: StateStore
        let actions: StorageActions
        func snapshot() throws -> CloudSnapshot {
            LocalSnapshotAssembler.assemble(inventory: try connection.inventory(), store: try store.localData())
        }
    }

    private func demoHost() throws -> Host {
        let directory = try makeTemporaryDirectory(self)
        try DemoNodeXML.xml.write(toFile: directory + "/node.xml", atomically: true, encoding: .utf8)
        let connection = try LibvirtConnection(uri: "test://" + directory + "/node.xml")
        let store = try StateStore(path: directory + "/state.sqlite3")
        try DemoSeed.apply(to: store, inventory: connection.inventory(), now: Date(timeIntervalSince1970: 1_790_000_000))
        let snapshot: @Sendable () throws -> CloudSnapshot = {
            LocalSnapshotAssembler.assemble(inventory: try connection.inventory(), store: try store.localData())
        }
        return Host(connection: connection, store: store,
                    actions: StorageActions(connection: connection, store: store, snapshot: snapshot))
    }

    private func message(_ body: () throws -> ActionOutcome?) -> String {
        do { return try body()?.message ?? "nil" } catch { return ErrorText.sentence(error) }
    }

    func testVolumesAreCreatedOwnedExtendedAndDeleted() throws {
        let host = try demoHost()
        let created = message { try host.actions.perform(ActionRequest(action: .create, kind: .volume, targets: ["scratch"],
                                                                        text: [.size: "5"], project: "engineering")) }
        XCTAssertEqual(created, "Created volume scratch.qcow2 (5 GiB) in pool default.")
        var volume = try XCTUnwrap(try host.snapshot().volumes.first { $0.name == "scratch.qcow2" })
        XCTAssertEqual(volume.sizeBytes, 5 << 30)
        XCTAssertEqual(volume.project, "engineering", "the store records who owns it")
        XCTAssertEqual(volume.status, "available")

        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .extend, kind: .volume, targets: ["scratch"],
                                                                              text: [.size: "3"])) },
                       .invalidOption(.size, reason: "Volume scratch.qcow2 is 5 GiB; volumes only grow, so ask for more than that."))
        let extended = message { try host.actions.perform(ActionRequest(action: .extend, kind: .volume, targets: ["scratch"],
                                                                         text: [.size: "8"], project: "engineering")) }
        // The test driver has no resize; its data mover makes the volume again, larger (VolumeDataMover).
        XCTAssertEqual(extended, "Extended volume scratch.qcow2 from 5 to 8 GiB.")
        volume = try XCTUnwrap(try host.snapshot().volumes.first { $0.name == "scratch.qcow2" })
        XCTAssertEqual(volume.sizeBytes, 8 << 30)
        XCTAssertEqual(volume.project, "engineering", "same path, so the same owner")

        let copied = message { try host.actions.perform(ActionRequest(action: .snapshot, kind: .volume, targets: ["scratch"],
                                                                       text: [.name: "scratch-monday"], project: "engineering")) }
        XCTAssertTrue(copied.hasPrefix("Copied volume scratch.qcow2 to scratch-monday.qcow2"), copied)
        XCTAssertNotNil(try host.snapshot().volumes.first { $0.name == "scratch-monday.qcow2" })
        let attachedToRunning = try XCTUnwrap(try host.snapshot().volumes.first { volume in
            try host.snapshot().instances.contains { volume.attachedTo.contains($0.name) && $0.state == .running } })
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .snapshot, kind: .volume,
                                                                              targets: [attachedToRunning.name])) },
                       .inUse(kind: .volume, name: attachedToRunning.name, by: attachedToRunning.attachedTo, use: .runningIn,
                              advice: "pause or shut it off first so the copy is consistent"))

        _ = try host.actions.perform(ActionRequest(action: .delete, kind: .volume, targets: ["scratch.qcow2"]))
        XCTAssertNil(try host.snapshot().volumes.first { $0.name == "scratch.qcow2" })
        XCTAssertNil(try host.store.volumeOwners()[volume.path ?? ""], "no stray owner row")
    }

    func testRefusalsChangeNothing() throws {
        let host = try demoHost()
        let before = try host.snapshot()
        let attached = try XCTUnwrap(before.volumes.first { !$0.attachedTo.isEmpty })
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .delete, kind: .volume, targets: [attached.name])) },
                       .inUse(kind: .volume, name: attached.name, by: attached.attachedTo, use: .attachedTo, advice: "detach it first"))
        let gigabytes = try XCTUnwrap(before.quotas.first { $0.project == "engineering" }?[.gigabytes])
        let tooBig = gigabytes.limit - gigabytes.used + 1
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .create, kind: .volume, targets: ["huge"],
                                                                              text: [.size: String(tooBig)], project: "engineering")) },
                       .quotaExceeded(project: "engineering", resource: "Volume Storage", limit: gigabytes.limit,
                                      inUse: gigabytes.used, requested: tooBig))
        let usedImage = try XCTUnwrap(before.images.first { image in before.instances.contains { $0.image == image.name } })
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .delete, kind: .image, targets: [usedImage.name])) },
                       .inUse(kind: .image, name: usedImage.name, by: before.instances.filter { $0.image == usedImage.name }.map(\.name),
                              use: .usedBy, advice: "delete those instances (or keep the image)"))
        let after = try host.snapshot()
        XCTAssertEqual(after.volumes.map(\.name), before.volumes.map(\.name))
        XCTAssertEqual(after.images.map(\.name), before.images.map(\.name))
    }

    func testImageMetadataEditsLandInTheStore() throws {
        let host = try demoHost()
        let image = try XCTUnwrap(try host.snapshot().images.first)
        let outcome = message { try host.actions.perform(ActionRequest(action: .update, kind: .image, targets: [image.name],
                                                                        text: [.os: "Debian 12", .minDisk: "8",
                                                                                  .visibility: "private"])) }
        XCTAssertEqual(outcome, "Updated image \(image.name): min-disk, os, visibility.")
        let edited = try XCTUnwrap(try host.snapshot().images.first { $0.id == image.id })
        XCTAssertEqual(edited.os, "Debian 12")
        XCTAssertEqual(edited.minDiskGiB, 8)
        XCTAssertEqual(edited.visibility, .private)
        XCTAssertEqual(message { try host.actions.perform(ActionRequest(action: .update, kind: .image, targets: [image.name],
                                                                         text: [.minDisk: "lots"])) },
                       "--min-disk wants a whole number of 0 or more, not \"lots\".")
    }

    func testAFailedUploadLeavesNoVolumeBehind() throws {
        let host = try demoHost()
        let directory = try makeTemporaryDirectory(self)
        let file = directory + "/tiny.qcow2"
        var bytes = Data([0x51, 0x46, 0x49, 0xFB])
        bytes.append(Data(repeating: 7, count: 65_532))
        try bytes.write(to: URL(fileURLWithPath: file))
        let before = try host.snapshot()
        let outcome = message { try host.actions.perform(ActionRequest(action: .upload, kind: .image, targets: ["tiny"],
                                                                        text: [.file: file], project: "engineering")) }
        let after = try host.snapshot()
        if outcome.hasPrefix("Uploaded image tiny (qcow2") {
            XCTAssertNotNil(after.images.first { $0.name == "tiny" })
        } else {
            // The test driver cannot stream uploads: the error says what failed, and nothing is left over.
            XCTAssertTrue(outcome.contains("upload"), outcome)
            XCTAssertEqual(after.volumes.map(\.name), before.volumes.map(\.name))
            XCTAssertEqual(try host.connection.inventory().poolVolumes.count, try {
                let fresh = try demoHost(); return try fresh.connection.inventory().poolVolumes.count }())
        }
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .upload, kind: .image, targets: ["x"],
                                                                              text: [.file: directory + "/missing"])) },
                       .invalidOption(.file, reason: "Could not open \(directory)/missing: No such file or directory; check the path."))
    }

    func testNetworksAreCreatedCheckedAndDeleted() throws {
        let host = try demoHost()
        let created = message { try host.actions.perform(ActionRequest(action: .create, kind: .network, targets: ["lab"],
                                                                        text: [.mode: "isolated", .cidr: "10.99.0.0/24",
                                                                                  .dhcp: "10.99.0.100-10.99.0.150"],
                                                                        project: "engineering")) }
        XCTAssertEqual(created, "Created isolated network lab (10.99.0.0/24).")
        let lab = try XCTUnwrap(try host.snapshot().networks.first { $0.name == "lab" })
        XCTAssertEqual(lab.subnets.first?.gateway, "10.99.0.1")
        XCTAssertEqual(lab.project, "engineering")
        // A range the schema takes but libvirt cannot use (IPv6, or too small) is libvirt's to refuse.
        let refused: [([OptionKey: String], BackendError)] = [
            ([.cidr: "10.99.0.0/31"], .invalidOption(.cidr, reason: "--cidr must be an IPv4 network of at least 4 addresses, "
                + "e.g. 10.20.0.0/24, not \"10.99.0.0/31\".")),
            ([.cidr: "fd00::/64"], .invalidOption(.cidr, reason: "--cidr must be an IPv4 network of at least 4 addresses, "
                + "e.g. 10.20.0.0/24, not \"fd00::/64\".")),
            ([.gateway: "192.168.1.1"], .invalidOption(.gateway, reason: "--gateway 192.168.1.1 is not inside 10.20.0.0/24.")),
            ([.dhcp: "10.20.0.100-10.20.0.1"], .invalidOption(.dhcp, reason: "--dhcp is START-END inside 10.20.0.0/24, "
                + "not covering the gateway, not \"10.20.0.100-10.20.0.1\".")),
        ]
        for (text, expected) in refused {
            XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .create, kind: .network, targets: ["x"],
                                                                                  text: text)) }, expected)
        }
        // What does not parse is the schema's to refuse, with its own sentence, before the backend sees it.
        let unparsed: [([OptionKey: String], String)] = [
            ([.cidr: "10.99.0.0/33"], "--cidr wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.99.0.0/33\"."),
            ([.mode: "bridge"], "--mode wants nat or isolated, not \"bridge\"."),
        ]
        for (text, expected) in unparsed {
            XCTAssertEqual(message { try host.actions.perform(ActionRequest(action: .create, kind: .network, targets: ["x"],
                                                                             text: text)) }, expected)
        }
        let busy = try XCTUnwrap(try host.snapshot().networks.first { network in
            try host.snapshot().instances.contains { $0.interfaces.contains { $0.network == network.name } } })
        let users = try host.snapshot().instances.filter { $0.interfaces.contains { $0.network == busy.name } }.map(\.name)
        XCTAssertEqual(backendError { try host.actions.perform(ActionRequest(action: .delete, kind: .network, targets: [busy.name])) },
                       .inUse(kind: .network, name: busy.name, by: users, use: .portsOf, advice: "detach or delete those instances first"))
        _ = try host.actions.perform(ActionRequest(action: .delete, kind: .network, targets: ["lab"]))
        XCTAssertNil(try host.snapshot().networks.first { $0.name == "lab" })
    }
}

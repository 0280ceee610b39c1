import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopTestSupport

/// The local backend against a real libvirtd and QEMU (TCG) guest, behind STACKTOP_QEMU=1: launch from an
/// image, security groups as nwfilters, the seed disk, live volume hot-plug seen inside a busybox guest,
/// graceful shut off, delete and a failed launch leaving nothing, and read-only refusing everything.
/// `virsh`, `qemu-img` and the guest's own shell are the witnesses, never the backend's own snapshot.
final class QEMUActionTests: XCTestCase {
    private var backend: LocalCloudBackend!
    private var store: StateStore!
    private var directory = ""
    private var suffix = ""
    /// Filters to remove in tearDown: every group filter and instance filter a test may have made.
    private var filters: [String] = []
    private let flavor = Flavor(id: "qa-tiny", name: "qa.tiny", vcpus: 1, ramMiB: 128, diskGiB: 1)

    override func setUpWithError() throws {
        try QEMUHost.skipUnlessEnabled()
        try QEMUHost.ensureReady()
        directory = try makeTemporaryDirectory(self)
        store = try StateStore(path: directory + "/state.sqlite3")
        try store.upsertProject(Project(id: "qa", name: "qa"))
        try store.upsertFlavor(flavor)
        backend = LocalCloudBackend(connection: try LibvirtConnection(uri: QEMUHost.uri), store: store)
        suffix = String(UUID().uuidString.lowercased().prefix(6))
    }

    override func tearDown() {
        // Only when the suite is on: setUp made the store.
        guard let store else { return }
        let groupFilters = ((try? store.securityGroups()) ?? []).map(NWFilterXML.groupFilterName)
        QEMUHost.removeEverything(filters: filters + groupFilters)
        super.tearDown()
    }

    // MARK: helpers

    private func perform(_ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                         _ text: [OptionKey: String] = [:]) async -> String {
        do {
            return try await backend.perform(ActionRequest(action: action, kind: kind, targets: targets,
                                                           text: text, project: "qa")).message
        } catch {
            return ErrorText.sentence(error)
        }
    }

    /// A 64 MiB qcow2 volume in the pool that the store calls an image. It need not boot.
    private func makeImage() throws -> (name: String, path: String) {
        let file = QEMUHost.prefix + "image-\(suffix).qcow2"
        let made = QEMUHost.virsh("vol-create-as", QEMUHost.pool, file, "64M", "--format", "qcow2")
        guard made.status == 0 else { throw QEMUHostError("creating the image volume failed: \(made.output)") }
        let image = (name: "qa-image-\(suffix)", path: QEMUHost.poolDirectory + "/" + file)
        try store.upsertImageMetadata(ImageMetadata(path: image.path, name: image.name, os: "busybox", project: "qa"))
        return image
    }

    private func makeGroup() throws -> SecurityGroup {
        let group = SecurityGroup(id: UUID().uuidString.lowercased(), name: "qa-web", description: "", project: "qa",
                                  rules: [SecurityGroupRule(id: UUID().uuidString.lowercased(), direction: .egress),
                                          SecurityGroupRule(id: UUID().uuidString.lowercased(), direction: .ingress,
                                                            protocol: "tcp", portMin: 22, portMax: 22)])
        try store.upsertSecurityGroup(group)
        return group
    }

    private func makeKeypair() throws -> Keypair {
        let keypair = Keypair(name: "qa-key", fingerprint: "SHA256:qa",
                              publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIStacktopQA\(suffix) qa@stacktop", project: "qa")
        try store.upsertKeypair(keypair)
        return keypair
    }

    /// The domain's UUID, and its instance filter remembered for tearDown (delete leaves it; see the report).
    private func recordInstance(_ name: String) -> String {
        let uuid = QEMUHost.virsh("domuuid", name).output.trimmingCharacters(in: .whitespacesAndNewlines)
        filters.append(NWFilterXML.instanceFilterName(uuid: uuid))
        return uuid
    }

    private func guestDisks() throws -> Set<String> {
        let listing = try QEMUHost.guestRun("ls /sys/block", in: directory)
        return Set(listing.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).map(String.init)
            .filter { $0.hasPrefix("vd") })
    }

    private func createVolume() async throws -> String {
        let name = QEMUHost.prefix + "data-\(suffix)"
        let made = await perform(.create, .volume, [name], [.size: "1", .pool: QEMUHost.pool])
        XCTAssertTrue(QEMUHost.volumeNames().contains(name + ".qcow2"), made)
        return name
    }

    // MARK: 1. launch from an image

    func testLaunchFromAnImageRunsOnAnOverlayBehindItsSecurityGroupFilters() async throws {
        let image = try makeImage()
        let group = try makeGroup()
        let name = QEMUHost.prefix + "launch-\(suffix)"
        let message = await perform(.create, .instance, [name], [.image: image.name, .flavor: flavor.name,
                                                                 .networks: QEMUHost.network, .securityGroups: group.name])
        XCTAssertEqual(message, "Launched \(name) from image \(image.name) as qa.tiny.")
        let uuid = recordInstance(name)
        XCTAssertEqual(QEMUHost.domainState(name), "running")

        // The root disk is a qcow2 overlay on the image, the flavor's size.
        let rootPath = QEMUHost.poolDirectory + "/\(name)-root.qcow2"
        let info = try ProcessRunner.run(["qemu-img", "info", "-U", "--output=json", rootPath])
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(info.output.utf8)) as? [String: Any], info.output)
        XCTAssertEqual(json["format"] as? String, "qcow2")
        XCTAssertEqual(json["backing-filename"] as? String, image.path)
        XCTAssertEqual((json["virtual-size"] as? NSNumber)?.int64Value, 1 << 30)
        let volumeXML = QEMUHost.virsh("vol-dumpxml", "--pool", QEMUHost.pool, "\(name)-root.qcow2").output
        XCTAssertTrue(volumeXML.contains("<backingStore>") && volumeXML.contains("<path>\(image.path)</path>"), volumeXML)

        // Security groups are nwfilters bound to the interface.
        let groupFilter = NWFilterXML.groupFilterName(group)
        let instanceFilter = NWFilterXML.instanceFilterName(uuid: uuid)
        let present = QEMUHost.filterNames()
        XCTAssertTrue(present.contains(groupFilter), "\(present)")
        XCTAssertTrue(present.contains(instanceFilter), "\(present)")
        let domainXML = QEMUHost.virsh("dumpxml", name).output
        XCTAssertTrue(domainXML.contains("<source network='\(QEMUHost.network)'"), domainXML)
        XCTAssertTrue(domainXML.contains("<filterref filter='\(instanceFilter)'"), domainXML)
        XCTAssertTrue(QEMUHost.virsh("nwfilter-dumpxml", instanceFilter).output.contains("<filterref filter='\(groupFilter)'/>"))

        // The serial console is logged where the console view reads it.
        let log = "/var/log/libvirt/qemu/\(name)-serial0.log"
        XCTAssertTrue(domainXML.contains("<log file='\(log)'"), domainXML)
        XCTAssertTrue(FileManager.default.fileExists(atPath: log))

        // A new rule reaches the group's filter while the instance runs.
        let before = QEMUHost.virsh("nwfilter-dumpxml", groupFilter).output
        XCTAssertTrue(before.contains("dstportstart='22'"), before)
        XCTAssertFalse(before.contains("dstportstart='8080'"), before)
        let added = await perform(.create, .securityGroupRule, [], [.group: group.name, .ipProtocol: "tcp",
                                                                    .port: "8080", .remoteIP: "10.0.0.0/8"])
        XCTAssertEqual(added, "Added ingress tcp port 8080 from 10.0.0.0/8 to security group qa-web; "
                       + "the running instances' filters are updated.")
        let after = QEMUHost.virsh("nwfilter-dumpxml", groupFilter).output
        XCTAssertTrue(after.contains("dstportstart='8080'") && after.contains("srcipaddr='10.0.0.0'"), after)
        XCTAssertEqual(QEMUHost.domainState(name), "running")

        // A second instance in the same group redefines the group filter it shares with the first.
        let second = QEMUHost.prefix + "launch2-\(suffix)"
        let again = await perform(.create, .instance, [second], [.image: image.name, .flavor: flavor.name,
                                                                 .networks: QEMUHost.network, .securityGroups: group.name])
        XCTAssertEqual(again, "Launched \(second) from image \(image.name) as qa.tiny.")
        let secondFilter = NWFilterXML.instanceFilterName(uuid: recordInstance(second))
        XCTAssertEqual(QEMUHost.domainState(second), "running")
        XCTAssertTrue(QEMUHost.virsh("dumpxml", second).output.contains("<filterref filter='\(secondFilter)'"))
        XCTAssertTrue(QEMUHost.virsh("nwfilter-dumpxml", groupFilter).output.contains("dstportstart='8080'"))

        // Deleting an instance takes its own filter and leaves the group's for the others.
        _ = await perform(.delete, .instance, [second])
        let remaining = QEMUHost.virsh("nwfilter-list").output
        XCTAssertFalse(remaining.contains(secondFilter), remaining)
        XCTAssertTrue(remaining.contains(groupFilter), remaining)
    }

    // MARK: 2. keypair launch and delete

    func testKeypairLaunchBootsWithASeedDiskAndDeleteRemovesEveryDiskItMade() async throws {
        let image = try makeImage()
        let keypair = try makeKeypair()
        let filesBefore = QEMUHost.poolFiles()
        let name = QEMUHost.prefix + "keyed-\(suffix)"
        let message = await perform(.create, .instance, [name], [.image: image.name, .flavor: flavor.name,
                                                                 .networks: QEMUHost.network, .securityGroups: "",
                                                                 .keypair: keypair.name])
        XCTAssertEqual(message, "Launched \(name) from image \(image.name) as qa.tiny.")
        let uuid = recordInstance(name)
        XCTAssertEqual(QEMUHost.domainState(name), "running")

        let seedPath = QEMUHost.poolDirectory + "/\(name)-seed.iso"
        XCTAssertTrue(QEMUHost.volumeNames().contains("\(name)-seed.iso"))
        let seed = try Data(contentsOf: URL(fileURLWithPath: seedPath))
        XCTAssertNotNil(seed.range(of: Data(keypair.publicKey.utf8)), "the key is on the seed disk")
        XCTAssertNotNil(seed.range(of: Data("cidata".utf8)) ?? seed.range(of: Data("CIDATA".utf8)), "labelled cidata")
        let domainXML = QEMUHost.virsh("dumpxml", name).output
        let cdrom = try XCTUnwrap(domainXML.range(of: "device='cdrom'"), domainXML)
        XCTAssertTrue(domainXML[cdrom.upperBound...].prefix(400).contains("<source file='\(seedPath)'"), domainXML)
        XCTAssertNotNil(try store.instanceOwnership(uuid: uuid))

        let deleted = await perform(.delete, .instance, [name])
        XCTAssertTrue(deleted.contains("\(name)-root.qcow2") && deleted.contains("\(name)-seed.iso"), deleted)
        XCTAssertFalse(QEMUHost.domainNames().contains(name))
        XCTAssertEqual(QEMUHost.poolFiles(), filesBefore, "no stray file in the pool directory")
        XCTAssertNil(try store.instanceOwnership(uuid: uuid), "no store row")
        XCTAssertNil(try store.volumeOwners()[QEMUHost.poolDirectory + "/\(name)-root.qcow2"])
        XCTAssertTrue(FileManager.default.fileExists(atPath: image.path), "the image stays")
    }

    // MARK: 3. live volume hot-plug

    func testVolumeAttachAndDetachAreSeenInsideTheRunningGuest() async throws {
        try QEMUHost.bootGuest(in: directory)
        let disksBefore = try guestDisks()
        let volume = try await createVolume()

        let attached = await perform(.attachVolume, .instance, [QEMUHost.guestName], [.volume: volume])
        XCTAssertTrue(attached.hasPrefix("Attached volume \(volume).qcow2 to \(QEMUHost.guestName) as /dev/vd"), attached)
        XCTAssertTrue(attached.hasSuffix(" (live)."), attached)
        var disksWith: Set<String> = []
        XCTAssertTrue(QEMUHost.wait(30, every: 0.5) {
            disksWith = (try? guestDisks()) ?? []
            return disksWith.count == disksBefore.count + 1
        }, "the guest sees a new disk; it has \(disksWith)")
        let added = disksWith.subtracting(disksBefore)
        XCTAssertEqual(added.count, 1)
        let size = try QEMUHost.guestRun("cat /sys/block/\(added.first ?? "vdb")/size", in: directory)
        XCTAssertEqual(Int(size.trimmingCharacters(in: .whitespacesAndNewlines)), (1 << 30) / 512, "1 GiB in sectors")

        let detached = await perform(.detachVolume, .instance, [QEMUHost.guestName], [.volume: volume])
        XCTAssertEqual(detached, "Detached volume \(volume).qcow2 from \(QEMUHost.guestName).")
        var disksAfter: Set<String> = []
        XCTAssertTrue(QEMUHost.wait(30, every: 0.5) {
            disksAfter = (try? guestDisks()) ?? []
            return disksAfter == disksBefore
        }, "the disk leaves the guest; it has \(disksAfter)")
        XCTAssertFalse(QEMUHost.virsh("domblklist", QEMUHost.guestName).output.contains(volume))
    }

    /// A volume snapshot on a real host is a qcow2 internal snapshot, tagged with the record's id, that qemu-img
    /// (the witness) sees come and go; the volume cannot be deleted while it holds one.
    func testAVolumeSnapshotIsAnInternalSnapshotInTheVolumesFile() async throws {
        let volume = try await createVolume()
        let path = QEMUHost.poolDirectory + "/" + volume + ".qcow2"
        let name = "qa-snap-\(suffix)"
        func tags() throws -> String { try ProcessRunner.run(["qemu-img", "snapshot", "-U", "-l", path]).output }

        let taken = await perform(.create, .volumeSnapshot, [name], [.volume: volume])
        XCTAssertEqual(taken, "Took snapshot \(name) of volume \(volume).qcow2.")
        let record = try XCTUnwrap(try store.volumeSnapshotRecords().first { $0.name == name })
        XCTAssertEqual(record.volumePath, path)
        let withSnapshot = try tags()
        XCTAssertTrue(withSnapshot.contains(record.id), withSnapshot)
        let listed = try await backend.snapshot().volumeSnapshots.first { $0.name == name }
        XCTAssertEqual(listed?.volumeName, volume + ".qcow2")
        XCTAssertEqual(listed?.status, "available")

        let refused = await backendError {
            try await backend.perform(ActionRequest(action: .delete, kind: .volume, targets: [volume], project: "qa"))
        }
        XCTAssertEqual(refused, .inUse(kind: .volume, name: volume + ".qcow2", by: [name], use: .snapshots,
                                       advice: "delete them first (`stacktop volume-snapshot delete NAME`)"))
        XCTAssertTrue(QEMUHost.volumeNames().contains(volume + ".qcow2"))

        let deleted = await perform(.delete, .volumeSnapshot, [name])
        XCTAssertEqual(deleted, "Deleted volume snapshot \(name).")
        let withoutSnapshot = try tags()
        XCTAssertFalse(withoutSnapshot.contains(record.id), withoutSnapshot)
        XCTAssertEqual(try store.volumeSnapshotRecords(), [])
        let volumeDeleted = await perform(.delete, .volume, [volume])
        XCTAssertEqual(volumeDeleted, "Deleted volume \(volume).qcow2.")
    }

    // MARK: 4. graceful shut off

    func testGracefulShutOffReachesShutOffWithinTwentySeconds() async throws {
        try QEMUHost.bootGuest(in: directory)
        _ = try QEMUHost.guestRun("true", in: directory)  // acpid is up once the shell answers
        let started = Date()
        let message = await perform(.stop, .instance, [QEMUHost.guestName])
        XCTAssertFalse(message.contains("failed"), message)
        XCTAssertTrue(QEMUHost.wait(20) { QEMUHost.domainState(QEMUHost.guestName) == "shut off" },
                      "state is \(QEMUHost.domainState(QEMUHost.guestName))")
        print("QEMU: graceful shut off took \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
    }

    // MARK: 5. a launch failing half-way

    /// Everything a launch makes, seen by libvirt, the pool directory and the store.
    private func footprint() throws -> [String] {
        QEMUHost.domainNames().filter { $0.hasPrefix(QEMUHost.prefix) }.map { "domain \($0)" }
            + QEMUHost.volumeNames().filter { $0.hasPrefix(QEMUHost.prefix) }.map { "volume \($0)" }
            + QEMUHost.poolFiles().map { "file \($0)" }
            + QEMUHost.filterNames().filter { $0.hasPrefix("stacktop-") }.map { "filter \($0)" }
            + (try store.instanceOwnerships()).map { "owner \($0.uuid)" }
            + (try store.volumeOwners()).keys.sorted().map { "volume owner \($0)" }
    }

    func testALaunchThatFailsWhenStartingLeavesNoDomainVolumeFilterOrRow() async throws {
        let image = try makeImage()
        let group = try makeGroup()
        let keypair = try makeKeypair()
        // More memory than QEMU can map: root disk, seed disk, filters, domain and row are all made, then start fails.
        try store.upsertFlavor(Flavor(id: "qa-huge", name: "qa.huge", vcpus: 1, ramMiB: 4 << 20, diskGiB: 1))
        try store.setQuotaLimit(-1, for: .ramMiB, project: "qa")
        let before = try footprint()
        let name = QEMUHost.prefix + "doomed-\(suffix)"
        let message = await perform(.create, .instance, [name], [.image: image.name, .flavor: "qa.huge",
                                                                 .networks: QEMUHost.network, .securityGroups: group.name,
                                                                 .keypair: keypair.name])
        print("QEMU: failed launch said: \(message)")
        XCTAssertTrue(message.hasPrefix("Launching \(name) failed: "), message)
        XCTAssertTrue(message.hasSuffix("; nothing was left behind."), message)
        XCTAssertEqual(try footprint(), before, "no domain, volume, file, filter or store row may remain")
        XCTAssertFalse(QEMUHost.filterNames().contains(NWFilterXML.groupFilterName(group)))
    }

    // MARK: 6. read-only

    func testReadOnlyRefusesEveryMutationAndTheGuestIsUnchanged() async throws {
        try QEMUHost.bootGuest(in: directory)
        XCTAssertTrue(QEMUHost.wait(10) { QEMUHost.domainState(QEMUHost.guestName) == "running" })
        let volume = try await createVolume()
        let state = { [QEMUHost.domainState(QEMUHost.guestName)]
            + QEMUHost.domainNames().filter { $0.hasPrefix(QEMUHost.prefix) }
            + QEMUHost.volumeNames().filter { $0.hasPrefix(QEMUHost.prefix) }
            + [QEMUHost.virsh("domblklist", QEMUHost.guestName).output] }
        let before = state()
        let readOnly = ReadOnlyBackend(wrapping: backend)
        let requests: [(ActionKind, [OptionKey: String])] = [(.start, [:]), (.stop, [:]), (.powerOff, [:]), (.delete, [:]),
                                                             (.attachVolume, [.volume: volume])]
        for (action, text) in requests {
            do {
                _ = try await readOnly.perform(ActionRequest(action: action, kind: .instance, targets: [QEMUHost.guestName],
                                                             text: text, project: "qa"))
                XCTFail("\(action) was not refused")
            } catch BackendError.readOnly {
            } catch {
                XCTFail("\(action) failed otherwise: \(error)")
            }
        }
        XCTAssertEqual(state(), before)
        XCTAssertEqual(before.first, "running")
    }
}

import Foundation
import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import XCTest
import StoreTestSupport
import SystemTestSupport

/// The merge rules, on hand-made inventories (no hypervisor), and the backend on libvirt's test driver.
final class LocalCloudBackendTests: XCTestCase {
    private let gib: UInt64 = 1 << 30

    private func inventory() -> HostInventory {
        HostInventory(
            instances: [
                Instance(id: "aaaaaaaa-0000-0000-0000-000000000001", name: "web-01", state: .running, vcpus: 2,
                         memoryMiB: 4096, disks: [
                            InstanceDisk(target: "vda", source: "/pool/default/web-01.qcow2"),
                            InstanceDisk(target: "vdb", source: "/pool/default/shared.raw"),
                            InstanceDisk(target: "sda", source: "/pool/images/debian-12.iso", device: .cdrom),
                         ]),
                Instance(id: "aaaaaaaa-0000-0000-0000-000000000002", name: "web-02", state: .shutoff, vcpus: 1,
                         memoryMiB: 512, disks: [InstanceDisk(target: "vdb", source: "/pool/default/shared.raw")]),
                Instance(id: "aaaaaaaa-0000-0000-0000-000000000003", name: "odd", state: .paused, vcpus: 3,
                         memoryMiB: 3000, hostname: "elsewhere"),
            ],
            pools: [StoragePool(id: "p1", name: "default", type: "dir", active: true, capacityBytes: 100 * gib,
                                allocationBytes: 10 * gib, availableBytes: 90 * gib)],
            poolVolumes: [
                PoolVolume(pool: "images", name: "ubuntu-22.04.qcow2", path: "/pool/images/ubuntu-22.04.qcow2",
                           key: "/pool/images/ubuntu-22.04.qcow2", capacityBytes: 2 * gib, allocationBytes: gib,
                           format: "qcow2"),
                PoolVolume(pool: "images", name: "debian-12.iso", path: "/pool/images/debian-12.iso",
                           key: "/pool/images/debian-12.iso", capacityBytes: gib / 2, allocationBytes: gib / 2,
                           format: nil),
                PoolVolume(pool: "default", name: "web-01.qcow2", path: "/pool/default/web-01.qcow2",
                           key: "k-web-01", capacityBytes: 20 * gib, allocationBytes: 3 * gib, format: "qcow2"),
                PoolVolume(pool: "default", name: "shared.raw", path: "/pool/default/shared.raw",
                           key: "k-shared", capacityBytes: 5 * gib, allocationBytes: 5 * gib, format: "raw"),
                PoolVolume(pool: "default", name: "spare.qcow2", path: "/pool/default/spare.qcow2",
                           key: "k-spare", capacityBytes: gib, allocationBytes: 0, format: "qcow2"),
            ],
            networks: [Network(id: "n1", name: "default", forwardMode: "nat"), Network(id: "n2", name: "lab")])
    }

    private func storeData() -> LocalStoreData {
        LocalStoreData(
            projects: [Project(id: "p-web", name: "web"), Project(id: "p-admin", name: "admin")],
            flavors: [Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1),
                      Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40)],
            keypairs: [Keypair(name: "alice", fingerprint: "f", publicKey: "k", project: "web")],
            securityGroups: [SecurityGroup(id: "g1", name: "default", project: "web",
                                           rules: [SecurityGroupRule(id: "r1", direction: .egress)])],
            imageMetadata: [
                "/pool/images/ubuntu-22.04.qcow2": ImageMetadata(path: "/pool/images/ubuntu-22.04.qcow2",
                                                                 name: "ubuntu-22.04", os: "Ubuntu 22.04",
                                                                 minDiskGiB: 10, minRamMiB: 1024),
                "/pool/images/debian-12.iso": ImageMetadata(path: "/pool/images/debian-12.iso", name: "debian-12",
                                                            visibility: .private, project: "admin"),
                "/gone/image.qcow2": ImageMetadata(path: "/gone/image.qcow2", name: "gone"),
            ],
            instanceOwnership: [
                "aaaaaaaa-0000-0000-0000-000000000001": InstanceOwnership(
                    uuid: "aaaaaaaa-0000-0000-0000-000000000001", project: "web", flavor: "custom.web",
                    image: "ubuntu-22.04", keypair: "alice", securityGroups: ["default", "web"],
                    createdAt: Date(timeIntervalSince1970: 1_700_000_000), locked: true),
                "aaaaaaaa-0000-0000-0000-000000000002": InstanceOwnership(
                    uuid: "aaaaaaaa-0000-0000-0000-000000000002", project: "admin"),
            ],
            volumeOwners: ["/pool/default/spare.qcow2": "admin"],
            networkOwnership: ["default": NetworkOwnership(name: "default", project: "admin", shared: true)],
            quotaLimits: ["web": [.instances: 2], "admin": [:]])
    }

    func testInstancesTakeOwnershipAndMatchedFlavors() throws {
        let snapshot = LocalSnapshotAssembler.assemble(inventory: inventory(), store: storeData(), hostname: "host-a",
                                                       takenAt: Date(timeIntervalSince1970: 5))
        XCTAssertEqual(snapshot.takenAt, Date(timeIntervalSince1970: 5))
        XCTAssertEqual(snapshot.instances.map(\.name), ["odd", "web-01", "web-02"], "sorted by name")
        let web1 = try XCTUnwrap(snapshot.instances.first { $0.name == "web-01" })
        XCTAssertEqual(web1.project, "web")
        XCTAssertEqual(web1.flavor, "custom.web", "a recorded flavor wins over matching")
        XCTAssertEqual(web1.image, "ubuntu-22.04")
        XCTAssertEqual(web1.keypair, "alice")
        XCTAssertEqual(web1.securityGroups, ["default", "web"])
        XCTAssertTrue(web1.locked)
        XCTAssertEqual(web1.createdAt, Date(timeIntervalSince1970: 1_700_000_000))
        XCTAssertEqual(web1.hostname, "host-a")
        XCTAssertEqual(web1.state, .running, "libvirt's facts are kept")

        let web2 = try XCTUnwrap(snapshot.instances.first { $0.name == "web-02" })
        XCTAssertEqual(web2.project, "admin")
        XCTAssertEqual(web2.flavor, "m1.tiny", "matched by 1 vCPU and 512 MiB")
        XCTAssertNil(web2.image)
        XCTAssertFalse(web2.locked)

        let odd = try XCTUnwrap(snapshot.instances.first { $0.name == "odd" })
        XCTAssertNil(odd.project)
        XCTAssertNil(odd.flavor, "no flavor has 3 vCPUs and 3000 MiB")
        XCTAssertEqual(odd.hostname, "elsewhere")
    }

    func testPoolVolumesSplitIntoImagesAndVolumes() throws {
        let snapshot = LocalSnapshotAssembler.assemble(inventory: inventory(), store: storeData())
        XCTAssertEqual(snapshot.images.map(\.name), ["debian-12", "ubuntu-22.04"], "sorted; vanished paths skipped")
        let ubuntu = snapshot.images[1]
        XCTAssertEqual(ubuntu.format, "qcow2")
        XCTAssertEqual(ubuntu.sizeBytes, 2 * gib)
        XCTAssertEqual(ubuntu.os, "Ubuntu 22.04")
        XCTAssertEqual(ubuntu.minDiskGiB, 10)
        XCTAssertEqual(ubuntu.pool, "images")
        XCTAssertEqual(ubuntu.status, "active")
        XCTAssertEqual(snapshot.images[0].format, "iso", "format from the extension when libvirt gives none")
        XCTAssertEqual(snapshot.images[0].visibility, .private)

        XCTAssertEqual(snapshot.volumes.map(\.name), ["shared.raw", "spare.qcow2", "web-01.qcow2"], "sorted by name")
        let root = snapshot.volumes[2]
        XCTAssertEqual(root.status, "in-use")
        XCTAssertEqual(root.attachedTo, ["web-01"])
        XCTAssertTrue(root.bootable)
        XCTAssertEqual(root.project, "web", "an unrecorded volume belongs to the instance using it")
        XCTAssertEqual(root.id, "k-web-01")
        XCTAssertEqual(root.allocationBytes, 3 * gib)
        let shared = snapshot.volumes[0]
        XCTAssertEqual(shared.attachedTo, ["web-01", "web-02"])
        XCTAssertFalse(shared.bootable, "attached as vdb only")
        let spare = snapshot.volumes[1]
        XCTAssertEqual(spare.status, "available")
        XCTAssertEqual(spare.attachedTo, [])
        XCTAssertEqual(spare.project, "admin")
    }

    func testNetworksCatalogueAndQuotas() throws {
        let data = storeData()
        let snapshot = LocalSnapshotAssembler.assemble(inventory: inventory(), store: data)
        XCTAssertEqual(snapshot.networks[0].project, "admin")
        XCTAssertTrue(snapshot.networks[0].shared)
        XCTAssertEqual(snapshot.networks[0].forwardMode, "nat")
        XCTAssertNil(snapshot.networks[1].project)
        XCTAssertEqual(snapshot.projects, data.projects)
        XCTAssertEqual(snapshot.flavors, data.flavors)
        XCTAssertEqual(snapshot.keypairs, data.keypairs)
        XCTAssertEqual(snapshot.securityGroups, data.securityGroups)
        XCTAssertEqual(snapshot.pools.map(\.name), ["default"])

        XCTAssertEqual(snapshot.quotas.map(\.project), ["web", "admin"])
        let web = snapshot.quotas[0]
        XCTAssertEqual(web[.instances], QuotaUsage(resource: .instances, used: 1, limit: 2))
        XCTAssertEqual(web[.cores]?.used, 2)
        XCTAssertEqual(web[.volumes]?.used, 2, "web-01's root disk and the shared disk it uses first")
        XCTAssertEqual(web[.gigabytes]?.used, 25)
        XCTAssertEqual(web[.securityGroupRules]?.used, 1)
        let admin = snapshot.quotas[1]
        XCTAssertEqual(admin[.instances]?.used, 1)
        XCTAssertEqual(admin[.ramMiB]?.used, 512)
        XCTAssertEqual(admin[.networks]?.used, 1)
        XCTAssertEqual(admin[.volumes]?.used, 1)
    }

    func testMatchFlavorPrefersTheSmallestDisk() {
        let flavors = [Flavor(id: "a", name: "big-disk", vcpus: 1, ramMiB: 512, diskGiB: 80),
                       Flavor(id: "b", name: "small-disk", vcpus: 1, ramMiB: 512, diskGiB: 1)]
        XCTAssertEqual(LocalSnapshotAssembler.matchFlavor(vcpus: 1, memoryMiB: 512, in: flavors)?.name, "small-disk")
        XCTAssertNil(LocalSnapshotAssembler.matchFlavor(vcpus: 2, memoryMiB: 512, in: flavors))
    }

    // MARK: - On libvirt's test driver

    /// A connection to a tiny test-driver host, or a skip while only the store helper's stub exists.
    private func openTestHost() throws -> LibvirtConnection {
        let directory = try makeTemporaryDirectory(self)
        let xml = directory + "/node.xml"
        try Self.nodeXML.write(toFile: xml, atomically: true, encoding: .utf8)
        do {
            return try LibvirtConnection(uri: "test://" + xml)
        } catch let error as BackendError where error.message.contains("stub for the store helper") {
            throw XCTSkip("LibvirtConnection is the store helper's compile-only stub; runs once the real one is merged")
        }
    }

    func testBackendMergesTheStoreIntoTheHost() async throws {
        let connection = try openTestHost()
        let store = try makeStore(self)
        let host = try connection.inventory()
        let web = try XCTUnwrap(host.instances.first { $0.name == "web-01" })
        let cirros = try XCTUnwrap(host.poolVolumes.first { $0.name == "cirros-0.6.2.qcow2" })
        try store.upsertProject(Project(id: "p1", name: "web"))
        try store.upsertFlavor(Flavor(id: "2", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20))
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: web.id, project: "web", image: "cirros"))
        try store.upsertImageMetadata(ImageMetadata(path: cirros.path, name: "cirros", os: "CirrOS 0.6.2"))

        let backend = LocalCloudBackend(connection: connection, store: store, kind: .demo)
        XCTAssertEqual(backend.description, BackendDescription(kind: .demo, endpoint: connection.uri, currentProject: "web"))
        let snapshot = try await backend.snapshot()
        let instance = try XCTUnwrap(snapshot.instances.first { $0.name == "web-01" })
        XCTAssertEqual(instance.project, "web")
        XCTAssertEqual(instance.flavor, "m1.small")
        XCTAssertEqual(snapshot.images.map(\.name), ["cirros"])
        XCTAssertEqual(Set(snapshot.volumes.map(\.name)), ["web-01.qcow2", "scratch.raw"])
        XCTAssertEqual(snapshot.volumes.first { $0.name == "web-01.qcow2" }?.attachedTo, ["web-01"])
        XCTAssertEqual(snapshot.quotas.first?[.instances]?.used, 1)

        let xml = try await backend.rawDefinition(instanceID: web.id)
        XCTAssertTrue(xml.contains("<name>web-01</name>"), xml)
    }

    func testKindsLibvirtLacksAreRefusedWithTheReason() async throws {
        let backend = LocalCloudBackend(connection: try openTestHost(), store: try makeStore(self))
        XCTAssertEqual(backend.description.currentProject, "admin", "a fresh host gets the admin project")
        XCTAssertEqual(backend.description.kind, .local)
        XCTAssertTrue(backend.capabilities.actions(for: .floatingIP).isEmpty)
        do {
            _ = try await backend.perform(ActionRequest(action: .create, kind: .floatingIP, targets: []))
            XCTFail("perform must throw")
        } catch let error as BackendError {
            XCTAssertEqual(error, backend.capabilities.refusal(.create, on: .floatingIP))
            guard case .unavailable(let feature, _) = error else { return XCTFail("expected .unavailable, got \(error)") }
            XCTAssertEqual(feature, "floating IP")
        }
    }

    private static let nodeXML = TestNodeXML.node([
        TestNodeXML.domain("web-01", uuid: "6695eb01-f6a4-8304-79aa-97f2502e1931", memoryMiB: 2048, devices: [
            TestNodeXML.fileDisk("/var/lib/stacktop-test/default/web-01.qcow2", target: "vda", driverType: "qcow2"),
        ]),
        TestNodeXML.defaultNetwork(uuid: "dd8fe884-6c02-601e-7551-cca97df1c5df"),
        TestNodeXML.pool("images", path: "/var/lib/stacktop-test/images", uuid: "35bb2ad9-388a-cdfe-461a-b8907f6e53fe",
                         gib: (100, 1, 99), volumes: [
            TestNodeXML.volume("cirros-0.6.2.qcow2", capacity: 112, allocation: 21, unit: "MiB", format: "qcow2"),
        ]),
        TestNodeXML.pool("default", path: "/var/lib/stacktop-test/default", uuid: "35bb2ad9-388a-cdfe-461a-b8907f6e53ff",
                         gib: (100, 1, 99), volumes: [
            TestNodeXML.volume("web-01.qcow2", capacity: 20, allocation: 2, format: "qcow2"),
            TestNodeXML.volume("scratch.raw", capacity: 5, allocation: 5),
        ]),
    ])
}

/// The libvirt host as the one hypervisor, from virNodeGetInfo and the active guests.
final class LocalHostCapacityTests: XCTestCase {
    func testTheHostCountsOnlyActiveGuests() {
        let inventory = HostInventory(instances: [
            Instance(id: "1", name: "a", state: .running, vcpus: 2, memoryMiB: 2048),
            Instance(id: "2", name: "b", state: .paused, vcpus: 1, memoryMiB: 512),
            Instance(id: "3", name: "c", state: .shutoff, vcpus: 8, memoryMiB: 8192),
        ], node: NodeCapacity(cpus: 16, memoryMiB: 65_536, type: "QEMU"))
        let host = LocalSnapshotAssembler.host(inventory, hostname: "kvm-01")
        XCTAssertEqual(host, Hypervisor(id: "kvm-01", hostname: "kvm-01", type: "QEMU", state: "up", status: "enabled",
                                        vcpus: 16, vcpusUsed: 3, memoryMiB: 65_536, memoryUsedMiB: 2560, runningVMs: 1))
        XCTAssertNil(LocalSnapshotAssembler.host(HostInventory(), hostname: "x"), "no node info, no host line")
    }
}


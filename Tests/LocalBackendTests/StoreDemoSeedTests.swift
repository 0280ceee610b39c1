import Foundation
import LocalBackend
import StacktopStore
import StacktopModel
import XCTest
import StoreTestSupport

final class StoreDemoSeedTests: XCTestCase {
    private let gib: UInt64 = 1 << 30
    private let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// A host shaped like the demo: nine instances of assorted sizes, images, root disks and a spare.
    private func demoLikeInventory() -> HostInventory {
        let sizes = [(1, 512), (1, 2048), (2, 4096), (4, 8192), (2, 4096), (1, 2048), (8, 16384), (2, 4096), (1, 2048)]
        let names = ["api-01", "api-02", "bastion", "db-primary", "db-replica", "monitoring", "ml-train",
                     "web-01", "web-02"]
        let instances = zip(names, sizes).enumerated().map { index, pair in
            Instance(id: String(format: "00000000-0000-4000-8000-%012d", index), name: pair.0, state: .running,
                     vcpus: pair.1.0, memoryMiB: pair.1.1,
                     disks: [InstanceDisk(target: "vda", source: "/demo/default/\(pair.0).qcow2")])
        }
        let images = ["cirros-0.6.2.qcow2", "ubuntu-22.04-server.qcow2", "debian-12.qcow2", "golden-web.qcow2",
                      "fedora-40.iso"].map {
            PoolVolume(pool: "images", name: $0, path: "/demo/images/\($0)", key: "/demo/images/\($0)",
                       capacityBytes: 3 * gib, allocationBytes: gib, format: $0.hasSuffix(".iso") ? "iso" : "qcow2")
        }
        let disks = (names + ["spare-data"]).map {
            PoolVolume(pool: "default", name: "\($0).qcow2", path: "/demo/default/\($0).qcow2",
                       key: "/demo/default/\($0).qcow2", capacityBytes: 20 * gib, allocationBytes: 2 * gib,
                       format: "qcow2")
        }
        return HostInventory(instances: instances, pools: [], poolVolumes: images + disks,
                             networks: [Network(id: "n1", name: "default", forwardMode: "nat"),
                                        Network(id: "n2", name: "app-net"),
                                        Network(id: "n3", name: "ext-public", forwardMode: "bridge")])
    }

    func testSeedBuildsARealisticCloud() throws {
        let store = try makeStore(self)
        let host = demoLikeInventory()
        try DemoSeed.apply(to: store, inventory: host, now: now)
        let snapshot = LocalSnapshotAssembler.assemble(inventory: host, store: try store.localData(), takenAt: now)

        XCTAssertEqual(snapshot.projects.map(\.name), [DemoSeed.busyProject, DemoSeed.adminProject])
        let m1 = snapshot.flavors.filter { $0.name.hasPrefix("m1.") }
        XCTAssertEqual(m1.map(\.name), ["m1.tiny", "m1.small", "m1.medium", "m1.large", "m1.xlarge"])
        XCTAssertEqual(m1.map(\.ramMiB), [512, 2048, 4096, 8192, 16384])
        XCTAssertEqual(m1.map(\.diskGiB), [1, 20, 40, 80, 160])
        XCTAssertFalse(snapshot.flavors.contains { $0.name.hasPrefix("custom.") }, "every size here is standard")
        XCTAssertEqual(snapshot.keypairs.count, 3)
        for keypair in snapshot.keypairs {
            XCTAssertTrue(keypair.publicKey.hasPrefix("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"), keypair.publicKey)
            XCTAssertEqual(keypair.fingerprint.split(separator: ":").count, 16, "MD5 fingerprint")
        }
        XCTAssertEqual(Set(snapshot.securityGroups.map(\.name)), ["default", "web", "db"])
        let db = try XCTUnwrap(snapshot.securityGroups.first { $0.name == "db" })
        XCTAssertTrue(db.rules.contains { $0.portMin == 5432 && $0.remoteCIDR == "10.10.0.0/24" })
        let web = try XCTUnwrap(snapshot.securityGroups.first { $0.name == "web" })
        XCTAssertEqual(Set(web.rules.compactMap(\.portMin)), [22, 80, 443])

        // Every instance is owned, sized and aged; both projects have some.
        for instance in snapshot.instances {
            XCTAssertNotNil(instance.project, instance.name)
            XCTAssertNotNil(instance.flavor, instance.name)
            XCTAssertNotNil(instance.image, instance.name)
            XCTAssertNotNil(instance.keypair, instance.name)
            XCTAssertTrue(instance.securityGroups.contains("default"), instance.name)
            let created = try XCTUnwrap(instance.createdAt)
            XCTAssertLessThan(created, now)
            XCTAssertGreaterThan(created, now.addingTimeInterval(-50 * 86_400))
        }
        XCTAssertEqual(Set(snapshot.instances.compactMap(\.project)), [DemoSeed.busyProject, DemoSeed.adminProject])
        XCTAssertGreaterThan(Set(snapshot.instances.compactMap(\.createdAt)).count, 5, "ages are spread out")
        XCTAssertEqual(snapshot.instances.first { $0.name == "ml-train" }?.flavor, "m1.xlarge")
        XCTAssertEqual(snapshot.instances.first { $0.name == "db-primary" }?.securityGroups, ["default", "db"])
        XCTAssertTrue(snapshot.instances.first { $0.name == "db-primary" }?.locked ?? false)

        // Images: every volume of the images pool, with an OS and minimums.
        XCTAssertEqual(snapshot.images.count, 5)
        let ubuntu = try XCTUnwrap(snapshot.images.first { $0.name == "ubuntu-22.04-server" })
        XCTAssertEqual(ubuntu.os, "Ubuntu 22.04")
        XCTAssertEqual(ubuntu.minRamMiB, 1024)
        XCTAssertEqual(snapshot.images.first { $0.name == "golden-web" }?.visibility, .private)
        XCTAssertEqual(snapshot.images.first { $0.name == "golden-web" }?.project, DemoSeed.busyProject)
        XCTAssertEqual(snapshot.images.first { $0.name == "fedora-40" }?.format, "iso")
        for instance in snapshot.instances where instance.memoryMiB > 512 {
            XCTAssertFalse(["cirros-0.6.2", "fedora-40"].contains(instance.image ?? ""),
                           "\(instance.name) boots a server image, never CirrOS or the ISO")
        }
        XCTAssertEqual(snapshot.instances.first { $0.name == "api-01" }?.image, "cirros-0.6.2", "512 MiB may boot CirrOS")

        // Volumes all owned; networks owned, the bridged one external.
        XCTAssertEqual(snapshot.volumes.count, 10)
        XCTAssertTrue(snapshot.volumes.allSatisfy { $0.project != nil })
        XCTAssertEqual(snapshot.networks.first { $0.name == "default" }?.shared, true)
        XCTAssertEqual(snapshot.networks.first { $0.name == "ext-public" }?.external, true)
        XCTAssertNotNil(snapshot.networks.first { $0.name == "app-net" }?.project)

        // One volume snapshot, of the spare data volume (no instance boots from it), owned like it.
        let spare = try XCTUnwrap(snapshot.volumes.first { $0.name == "spare-data.qcow2" })
        XCTAssertEqual(snapshot.volumeSnapshots.map(\.name), ["spare-data-weekly"])
        XCTAssertEqual(snapshot.volumeSnapshots.first?.volumeID, spare.id)
        XCTAssertEqual(snapshot.volumeSnapshots.first?.status, "available")
        XCTAssertEqual(snapshot.volumeSnapshots.first?.project, spare.project)
        XCTAssertEqual(snapshot.volumeSnapshots.first?.sizeBytes, 20 * gib)

        // The busy project sits just under its limits.
        let busy = try XCTUnwrap(snapshot.quotas.first { $0.project == DemoSeed.busyProject })
        let instances = try XCTUnwrap(busy[.instances])
        XCTAssertEqual(instances.used, 6)
        XCTAssertEqual(instances.limit, 7)
        let cores = try XCTUnwrap(busy[.cores]?.fraction)
        XCTAssertTrue((0.85...1).contains(cores) && cores < 1, "cores at \(cores)")
        let ram = try XCTUnwrap(busy[.ramMiB]?.fraction)
        XCTAssertTrue((0.8..<0.9).contains(ram), "RAM at \(ram)")
        let volumes = try XCTUnwrap(busy[.volumes])
        XCTAssertLessThan(volumes.used, volumes.limit, "root disks must not push the project over")
        XCTAssertGreaterThan(volumes.fraction, 0.6)
        let admin = try XCTUnwrap(snapshot.quotas.first { $0.project == DemoSeed.adminProject })
        XCTAssertLessThan(try XCTUnwrap(admin[.instances]?.fraction), 0.5)
    }

    func testOddSizesGetAPrivateCustomFlavor() throws {
        let store = try makeStore(self)
        let odd = Instance(id: "odd-1", name: "monitoring", state: .running, vcpus: 2, memoryMiB: 3072,
                           disks: [InstanceDisk(target: "vda", source: "/d/m.qcow2", capacityBytes: 20 * gib)])
        let tiny = Instance(id: "tiny-1", name: "tiny-test", state: .shutoff, vcpus: 1, memoryMiB: 256)
        try DemoSeed.apply(to: store, inventory: HostInventory(instances: [odd, tiny]), now: now)
        let custom = try XCTUnwrap(try store.flavors().first { $0.name == "custom.2c3g" })
        XCTAssertEqual(custom.diskGiB, 20)
        XCTAssertFalse(custom.isPublic)
        XCTAssertEqual(try store.instanceOwnership(uuid: "odd-1")?.flavor, "custom.2c3g")
        XCTAssertEqual(try store.instanceOwnership(uuid: "tiny-1")?.flavor, "cirros256", "DevStack's flavor fits")
    }

    func testDisksNamingAPoolVolumeAreFollowed() throws {
        let store = try makeStore(self)
        let data = PoolVolume(pool: "default", name: "data-01", path: "/d/data-01", key: "/d/data-01",
                              capacityBytes: gib, allocationBytes: 0)
        let db = Instance(id: "db-1", name: "db primary", state: .running, vcpus: 4, memoryMiB: 8192,
                          disks: [InstanceDisk(target: "vdb", source: "default/data-01")])
        let host = HostInventory(instances: [db], poolVolumes: [data])
        try DemoSeed.apply(to: store, inventory: host, now: now)
        XCTAssertEqual(try store.volumeOwners()["/d/data-01"], DemoSeed.busyProject)
        let snapshot = LocalSnapshotAssembler.assemble(inventory: host, store: try store.localData())
        XCTAssertEqual(snapshot.volumes.first?.attachedTo, ["db primary"])
        XCTAssertEqual(snapshot.volumes.first?.status, "in-use")
    }

    func testSeedIsDeterministicAndCanBeReapplied() throws {
        let host = demoLikeInventory()
        let first = try makeStore(self)
        try DemoSeed.apply(to: first, inventory: host, now: now)
        try DemoSeed.apply(to: first, inventory: host, now: now)
        let second = try makeStore(self)
        try DemoSeed.apply(to: second, inventory: host, now: now)
        XCTAssertEqual(try first.localData(), try second.localData())
        XCTAssertEqual(try first.securityGroups().count, 4)
        XCTAssertEqual(try first.volumeSnapshotRecords().count, 1, "re-applied, still one snapshot")
    }

    func testAllPublicImagesGetOneSharedImage() throws {
        let store = try makeStore(self)
        let images = ["debian-12.qcow2", "ubuntu-24.04.qcow2", "cirros-0.6.2.img"].map {
            PoolVolume(pool: "images", name: $0, path: "/i/\($0)", key: "/i/\($0)", capacityBytes: gib,
                       allocationBytes: gib)
        }
        try DemoSeed.apply(to: store, inventory: HostInventory(poolVolumes: images), now: now)
        let metadata = try store.imageMetadata()
        XCTAssertEqual(metadata.map(\.visibility), [.public, .public, .shared])
        XCTAssertEqual(metadata.last?.name, "ubuntu-24.04")
        XCTAssertEqual(metadata.first { $0.name == "cirros-0.6.2" }?.minRamMiB, 64)
        XCTAssertEqual(metadata.first { $0.name == "cirros-0.6.2" }?.os, "CirrOS 0.6.2")
    }

    func testSeedOnAnEmptyHostStillGivesACatalogue() throws {
        let store = try makeStore(self)
        try DemoSeed.apply(to: store, inventory: HostInventory(instances: [], pools: [], poolVolumes: [], networks: []),
                           now: now)
        XCTAssertEqual(try store.projects().count, 2)
        XCTAssertEqual(try store.quotaLimits(project: DemoSeed.busyProject)[.instances], 10, "defaults when idle")
    }
}

import Foundation
@testable import StacktopStore
import StacktopModel
import StacktopServices
import XCTest
import StoreTestSupport

final class StoreCatalogTests: XCTestCase {
    func testProjectsRoundTripInInsertionOrderAndRenameCascades() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p2", name: "web", description: "Web team"))
        try store.upsertProject(Project(id: "p1", name: "admin", enabled: false))
        try store.setQuotaLimit(4, for: .cores, project: "web")
        XCTAssertEqual(try store.projects(), [Project(id: "p2", name: "web", description: "Web team"),
                                              Project(id: "p1", name: "admin", enabled: false)])

        try store.upsertProject(Project(id: "p2", name: "shop", description: "Renamed"))
        XCTAssertEqual(try store.projects().map(\.name), ["shop", "admin"], "an update keeps the position")
        XCTAssertEqual(try store.quotaLimits(project: "shop")[.cores], 4, "the rename carries the quota along")
    }

    func testDeletingAProjectCascadesAndOrphans() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        try store.setQuotaLimit(4, for: .cores, project: "web")
        try store.upsertSecurityGroup(SecurityGroup(id: "g1", name: "default", project: "web",
                                                    rules: [SecurityGroupRule(id: "r1", direction: .egress)]))
        try store.upsertKeypair(Keypair(name: "k", fingerprint: "f", publicKey: "ssh-ed25519 AAAA k", project: "web"))
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: "u1", project: "web"))

        try store.deleteProject(named: "web")
        XCTAssertEqual(try store.projects(), [])
        XCTAssertEqual(try store.securityGroups(), [], "groups belong to their project")
        XCTAssertEqual(try store.quotaLimits(project: "web")[.cores], 20, "back to the default")
        XCTAssertNil(try store.keypairs().first?.project, "keypairs outlive the project, unowned")
        XCTAssertNil(try store.instanceOwnership(uuid: "u1")?.project)
    }

    func testFlavorsSortBySizeAndUpdate() throws {
        let store = try makeStore(self)
        try store.upsertFlavor(Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40))
        try store.upsertFlavor(Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1, isPublic: false))
        try store.upsertFlavor(Flavor(id: "2", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20))
        XCTAssertEqual(try store.flavors().map(\.name), ["m1.tiny", "m1.small", "m1.medium"])
        XCTAssertEqual(try store.flavors().first?.isPublic, false)

        try store.upsertFlavor(Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 50))
        try store.deleteFlavor(named: "m1.tiny")
        XCTAssertEqual(try store.flavors(), [Flavor(id: "2", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20),
                                             Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 50)])
    }

    func testKeypairsRoundTrip() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        let created = Date(timeIntervalSince1970: 1_700_000_000)
        let key = Keypair(name: "zed", fingerprint: "aa:bb", publicKey: "ssh-ed25519 AAAA zed", project: "web",
                          createdAt: created)
        try store.upsertKeypair(key)
        try store.upsertKeypair(Keypair(name: "amy", fingerprint: "cc:dd", publicKey: "ssh-rsa AAAA amy", type: "x509"))
        XCTAssertEqual(try store.keypairs(), [Keypair(name: "amy", fingerprint: "cc:dd", publicKey: "ssh-rsa AAAA amy",
                                                      type: "x509"), key])
        try store.deleteKeypair(named: "amy")
        XCTAssertEqual(try store.keypairs().map(\.name), ["zed"])
    }

    func testSecurityGroupsKeepRuleOrderAndReplaceRules() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        let ssh = SecurityGroupRule(id: "r-ssh", direction: .ingress, protocol: "tcp", portMin: 22, portMax: 22,
                                    remoteCIDR: "0.0.0.0/0")
        let range = SecurityGroupRule(id: "r-range", direction: .ingress, ethertype: "IPv6", protocol: "udp",
                                      portMin: 8000, portMax: 8080, remoteGroup: "default")
        let egress = SecurityGroupRule(id: "r-out", direction: .egress)
        let group = SecurityGroup(id: "g1", name: "web", description: "Web", project: "web", rules: [ssh, range, egress])
        try store.upsertSecurityGroup(group)
        try store.upsertSecurityGroup(SecurityGroup(id: "g0", name: "global"))
        XCTAssertEqual(try store.securityGroups(), [group, SecurityGroup(id: "g0", name: "global")])

        try store.upsertSecurityGroup(SecurityGroup(id: "g1", name: "web", project: "web", rules: [egress]))
        let icmp = SecurityGroupRule(id: "r-icmp", direction: .ingress, protocol: "icmp")
        try store.addSecurityGroupRule(icmp, toGroup: "g1")
        XCTAssertEqual(try store.securityGroups().first?.rules, [egress, icmp])

        try store.deleteSecurityGroupRule(id: "r-out")
        XCTAssertEqual(try store.securityGroups().first?.rules, [icmp])
        try store.deleteSecurityGroup(id: "g1")
        XCTAssertEqual(try store.securityGroups().map(\.id), ["g0"])
        XCTAssertThrowsError(try store.addSecurityGroupRule(icmp, toGroup: "g1"), "rules need an existing group")
    }

    func testQuotaLimitsFallBackToDefaults() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        try store.upsertProject(Project(id: "p2", name: "admin"))
        try store.setQuotaDefault(15, for: .instances)
        try store.setQuotaLimit(3, for: .instances, project: "web")
        try store.setQuotaLimit(-1, for: .ramMiB, project: "web")

        let web = try store.quotaLimits(project: "web")
        XCTAssertEqual(web[.instances], 3)
        XCTAssertEqual(web[.ramMiB], -1)
        XCTAssertEqual(web[.cores], 20)
        XCTAssertEqual(web.count, QuotaResource.libvirtResources.count, "every resource a host has has a limit")
        XCTAssertEqual(try store.quotaLimits(project: "admin")[.instances], 15)

        try store.clearQuotaLimit(for: .instances, project: "web")
        XCTAssertEqual(try store.quotaLimits(project: "web")[.instances], 15)
        XCTAssertEqual(try store.localData().quotaLimits["web"]?[.ramMiB], -1)
        XCTAssertEqual(try store.localData().quotaLimits["admin"]?[.ramMiB], 51_200)
    }

    func testImageMetadataAndOwnershipRoundTrip() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        let created = Date(timeIntervalSince1970: 1_690_000_000)
        let image = ImageMetadata(path: "/images/ubuntu.qcow2", name: "ubuntu-22.04", os: "Ubuntu 22.04",
                                  minDiskGiB: 10, minRamMiB: 1024, visibility: .private, project: "web",
                                  createdAt: created)
        try store.upsertImageMetadata(image)
        try store.upsertImageMetadata(ImageMetadata(path: "/images/alpine.qcow2", name: "alpine"))
        XCTAssertEqual(try store.imageMetadata(path: "/images/ubuntu.qcow2"), image)
        XCTAssertEqual(try store.imageMetadata().map(\.name), ["alpine", "ubuntu-22.04"])
        try store.deleteImageMetadata(path: "/images/alpine.qcow2")
        XCTAssertEqual(try store.imageMetadata(), [image])

        let owner = InstanceOwnership(uuid: "u1", project: "web", flavor: "m1.small", image: "ubuntu-22.04",
                                      keypair: "alice", securityGroups: ["default", "web, \"quoted\""],
                                      createdAt: created, locked: true)
        try store.upsertInstanceOwnership(owner)
        XCTAssertEqual(try store.instanceOwnership(uuid: "u1"), owner)
        XCTAssertNil(try store.instanceOwnership(uuid: "nope"))
        try store.deleteInstanceOwnership(uuid: "u1")
        XCTAssertEqual(try store.instanceOwnerships(), [])

        try store.setVolumeOwner(path: "/default/a.qcow2", project: "web")
        try store.setVolumeOwner(path: "/default/b.qcow2", project: "web")
        try store.setVolumeOwner(path: "/default/b.qcow2", project: nil)
        XCTAssertEqual(try store.volumeOwners(), ["/default/a.qcow2": "web"])

        let network = NetworkOwnership(name: "default", project: "web", shared: true, external: true)
        try store.upsertNetworkOwnership(network)
        XCTAssertEqual(try store.networkOwnerships(), [network])
        XCTAssertEqual(try store.localData().networkOwnership["default"], network)
    }

    func testLocalDataReadsEverything() throws {
        let store = try makeStore(self)
        try store.upsertProject(Project(id: "p1", name: "web"))
        try store.upsertFlavor(Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1))
        try store.upsertImageMetadata(ImageMetadata(path: "/i/a", name: "a"))
        try store.upsertInstanceOwnership(InstanceOwnership(uuid: "u1", project: "web"))
        let data = try store.localData()
        XCTAssertEqual(data.projects.map(\.name), ["web"])
        XCTAssertEqual(data.flavors.map(\.name), ["m1.tiny"])
        XCTAssertEqual(data.imageMetadata["/i/a"]?.name, "a")
        XCTAssertEqual(data.instanceOwnership["u1"]?.project, "web")
        XCTAssertEqual(data.quotaLimits.keys.sorted(), ["web"])
    }
}

import StacktopServices
import StacktopModel
import XCTest

final class StoreQuotaCalculatorTests: XCTestCase {
    private let gib: UInt64 = 1 << 30

    func testUsageCountsEverythingPerProject() {
        let instances = [
            Instance(id: "1", name: "web-01", state: .running, vcpus: 2, memoryMiB: 4096, project: "web"),
            Instance(id: "2", name: "web-02", state: .shutoff, vcpus: 1, memoryMiB: 2048, project: "web"),
            Instance(id: "3", name: "db-01", state: .crashed, vcpus: 4, memoryMiB: 8192, project: "web"),
            Instance(id: "4", name: "ops", state: .running, vcpus: 8, memoryMiB: 16384, project: "admin"),
            Instance(id: "5", name: "stray", state: .running, vcpus: 16, memoryMiB: 1024),
        ]
        let volumes = [
            Volume(id: "a", name: "a", sizeBytes: 20 * gib, project: "web"),
            Volume(id: "b", name: "b", sizeBytes: 5 * gib + 1, project: "web"),   // rounds up to 6
            Volume(id: "c", name: "c", sizeBytes: 512 * 1024 * 1024, project: "web"), // rounds up to 1
            Volume(id: "d", name: "d", sizeBytes: 100 * gib, project: "admin"),
        ]
        let networks = [Network(id: "n1", name: "web-net", project: "web"), Network(id: "n2", name: "default")]
        let groups = [
            SecurityGroup(id: "g1", name: "default", project: "web",
                          rules: [.init(id: "1", direction: .egress), .init(id: "2", direction: .ingress)]),
            SecurityGroup(id: "g2", name: "db", project: "web", rules: [.init(id: "3", direction: .ingress)]),
            SecurityGroup(id: "g3", name: "default", project: "admin"),
        ]
        let keypairs = [Keypair(name: "a", fingerprint: "", publicKey: "", project: "web"),
                        Keypair(name: "b", fingerprint: "", publicKey: "", project: "admin")]
        let limits: [String: [QuotaResource: Int]] = ["web": [.instances: 4, .cores: 8, .ramMiB: -1]]
        // An errored snapshot still counts, as in Cinder; one without a project counts for nobody.
        let snapshots = [
            VolumeSnapshot(id: "s1", name: "a-daily", volumeID: "a", sizeBytes: 20 * gib, project: "web"),
            VolumeSnapshot(id: "s2", name: "b-daily", volumeID: "b", sizeBytes: gib, status: "error", project: "web"),
            VolumeSnapshot(id: "s3", name: "d-weekly", volumeID: "d", sizeBytes: gib, project: "admin"),
            VolumeSnapshot(id: "s4", name: "stray", volumeID: "x", sizeBytes: gib),
        ]

        let quotas = QuotaCalculator.usage(projects: ["web", "admin", "empty"], instances: instances,
                                           volumes: volumes, networks: networks, securityGroups: groups,
                                           keypairs: keypairs, volumeSnapshots: snapshots, limits: limits,
                                           defaults: [.instances: 10, .cores: 20, .ramMiB: 51_200])
        XCTAssertEqual(quotas.map(\.project), ["web", "admin", "empty"])
        for project in quotas {
            XCTAssertEqual(project.usages.map(\.resource), QuotaResource.libvirtResources, "every resource a host has, in order")
        }
        let web = quotas[0]
        XCTAssertEqual(web[.instances], QuotaUsage(resource: .instances, used: 3, limit: 4))
        XCTAssertEqual(web[.cores], QuotaUsage(resource: .cores, used: 7, limit: 8))
        XCTAssertEqual(web[.ramMiB], QuotaUsage(resource: .ramMiB, used: 14336, limit: -1))
        XCTAssertEqual(web[.volumes]?.used, 3)
        XCTAssertEqual(web[.gigabytes]?.used, 27)
        XCTAssertEqual(web[.gigabytes]?.limit, -1, "no limit and no default means unlimited")
        XCTAssertEqual(web[.networks]?.used, 1)
        XCTAssertEqual(web[.securityGroups]?.used, 2)
        XCTAssertEqual(web[.securityGroupRules]?.used, 3)
        XCTAssertEqual(web[.keypairs]?.used, 1)
        XCTAssertEqual(web[.snapshots], QuotaUsage(resource: .snapshots, used: 2, limit: -1))

        let admin = quotas[1]
        XCTAssertEqual(admin[.instances], QuotaUsage(resource: .instances, used: 1, limit: 10))
        XCTAssertEqual(admin[.cores]?.used, 8)
        XCTAssertEqual(admin[.gigabytes]?.used, 100)
        XCTAssertEqual(admin[.securityGroupRules]?.used, 0)
        XCTAssertEqual(admin[.snapshots]?.used, 1)

        XCTAssertEqual(quotas[2].usages.map(\.used).reduce(0, +), 0, "a project with nothing uses nothing")
    }

    func testOpenStackDefaultsCoverEveryResource() {
        XCTAssertEqual(Set(QuotaCalculator.openStackDefaults.keys), Set(QuotaResource.libvirtResources))
        let quotas = QuotaCalculator.usage(projects: ["p"], instances: [], volumes: [], networks: [],
                                           securityGroups: [], keypairs: [], limits: [:])
        XCTAssertEqual(quotas[0][.instances]?.limit, 10)
        XCTAssertEqual(quotas[0][.ramMiB]?.limit, 51_200)
    }
}

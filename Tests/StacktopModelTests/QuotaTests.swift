import XCTest
import Foundation
@testable import StacktopModel

final class QuotaTests: XCTestCase {
    func testFractionOfTheLimit() {
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 9, limit: 10).fraction, 0.9)
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 12, limit: 10).fraction, 1.2, "over the limit shows as over")
        XCTAssertEqual(QuotaUsage(resource: .cores, used: 3, limit: -1).fraction, 0, "unlimited is never full")
        XCTAssertEqual(QuotaUsage(resource: .cores, used: 1, limit: 0).fraction, 1, "anything against a zero limit is full")
        XCTAssertEqual(QuotaUsage(resource: .cores, used: 0, limit: 0).fraction, 0)
    }

    func testRemainingIsNeverNegativeAndNeverTraps() {
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 3, limit: 10).remaining, 7)
        XCTAssertEqual(QuotaUsage(resource: .instances, used: 12, limit: 10).remaining, 0)
        XCTAssertNil(QuotaUsage(resource: .instances, used: 3, limit: -1).remaining, "unlimited has no remainder")
        XCTAssertTrue(QuotaUsage(resource: .instances, used: 3, limit: -1).isUnlimited)
        XCTAssertFalse(QuotaUsage(resource: .instances, used: 3, limit: 0).isUnlimited)
        // Numbers from a cache or an older decoder can be anything: a difference that overflows is an answer.
        XCTAssertEqual(QuotaUsage(resource: .ramMiB, used: Int.min, limit: 5).remaining, Int.max)
        XCTAssertEqual(QuotaUsage(resource: .ramMiB, used: -1, limit: Int.max).remaining, Int.max)
        XCTAssertEqual(QuotaUsage(resource: .ramMiB, used: Int.max, limit: 0).remaining, 0)
    }

    func testAmountsCarryTheAPIsUnit() {
        XCTAssertEqual(QuotaResource.ramMiB.amount(2048), "2048 MiB")
        XCTAssertEqual(QuotaResource.gigabytes.amount(5), "5 GiB")
        XCTAssertEqual(QuotaResource.perVolumeGigabytes.amount(5), "5 GiB")
        XCTAssertEqual(QuotaResource.injectedFileContentBytes.amount(10_240), "10240 bytes")
        XCTAssertEqual(QuotaResource.instances.amount(3), "3")
        XCTAssertEqual(QuotaResource.floatingIPs.unit, "")
    }

    /// Raw values are the keys Nova, Cinder and Neutron send, so quota sets decode straight into them.
    func testResourcesAreNamedAsTheServicesNameThem() throws {
        XCTAssertEqual(QuotaResource(rawValue: "ram"), .ramMiB)
        XCTAssertEqual(QuotaResource(rawValue: "security_group_rules"), .securityGroupRules)
        XCTAssertEqual(QuotaResource(rawValue: "floating_ips"), .floatingIPs)
        XCTAssertEqual(QuotaResource(rawValue: "groups"), .volumeGroups)
        XCTAssertNil(QuotaResource(rawValue: "ramMiB"))
        XCTAssertEqual(Set(QuotaResource.allCases.map(\.rawValue)).count, QuotaResource.allCases.count)
        XCTAssertEqual(Set(QuotaResource.allCases.map(\.label)).count, QuotaResource.allCases.count,
                       "two resources would share a row title")
        let usage = try JSONDecoder().decode(QuotaUsage.self,
                                             from: Data(#"{"resource":"ram","used":2048,"limit":51200}"#.utf8))
        XCTAssertEqual(usage, QuotaUsage(resource: .ramMiB, used: 2048, limit: 51_200))
    }

    func testALibvirtHostCountsTheFirstTenResources() {
        XCTAssertEqual(QuotaResource.libvirtResources, Array(QuotaResource.allCases.prefix(10)))
        XCTAssertFalse(QuotaResource.libvirtResources.contains(.floatingIPs), "libvirt has no floating IPs")
    }

    func testAProjectsUsageIsFoundByResource() {
        let quotas = ProjectQuotas(project: "web", usages: [QuotaUsage(resource: .instances, used: 4, limit: 10),
                                                            QuotaUsage(resource: .cores, used: 8, limit: 20)])
        XCTAssertEqual(quotas[.cores], QuotaUsage(resource: .cores, used: 8, limit: 20))
        XCTAssertNil(quotas[.ramMiB])
    }
}

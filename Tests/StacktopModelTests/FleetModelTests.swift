import XCTest
import StacktopModel

/// How a fleet names its rows and adds up its contexts' quotas.
final class FleetModelTests: XCTestCase {
    func testTheLastAtNamesTheContextOnlyWhenItIsOne() {
        let contexts = ["lab-a", "prod"]
        XCTAssertEqual(FleetID.split("web-01@lab-a", among: contexts)?.local, "web-01")
        XCTAssertEqual(FleetID.split("ops@example.org@prod", among: contexts)?.local, "ops@example.org",
                       "a key pair named like an address keeps its own @")
        XCTAssertNil(FleetID.split("ops@example.org", among: contexts), "no context is called example.org")
        XCTAssertNil(FleetID.split("web-01", among: contexts))
        XCTAssertEqual(FleetID.qualified("web-01", context: "prod"), "web-01@prod")
    }

    func testQuotaSumsSaturateAndAnyUnlimitedPartIsUnlimited() {
        let a = ProjectQuotas(project: "a", usages: [QuotaUsage(resource: .instances, used: 3, limit: 10),
                                                      QuotaUsage(resource: .cores, used: Int.max - 1, limit: 20)])
        let b = ProjectQuotas(project: "b", usages: [QuotaUsage(resource: .instances, used: 2, limit: -1),
                                                      QuotaUsage(resource: .cores, used: 5, limit: 20)])
        let sum = ProjectQuotas.sum([a, b], as: "all")
        XCTAssertEqual(sum.project, "all")
        XCTAssertEqual(sum[.instances], QuotaUsage(resource: .instances, used: 5, limit: -1))
        XCTAssertEqual(sum[.cores], QuotaUsage(resource: .cores, used: Int.max, limit: 40))
        XCTAssertEqual(ProjectQuotas.sum([], as: "none").usages, [])
    }

    func testAReadThatFoundNothingNewIsTheSameDataWhateverEachMemberWasReadAt() {
        func fleet(at seconds: Double) -> CloudSnapshot {
            let member = FleetMember(context: "lab-a", snapshot: CloudSnapshot(takenAt: Date(timeIntervalSince1970: seconds)),
                                     health: .up)
            return .merging([member], takenAt: Date(timeIntervalSince1970: seconds))
        }
        XCTAssertTrue(fleet(at: 1).hasSameData(as: fleet(at: 2)))
        var changed = fleet(at: 2)
        changed.fleet?[0].health = .stale(reason: "gone")
        XCTAssertFalse(fleet(at: 1).hasSameData(as: changed))
    }
}

import XCTest
import StacktopModel
import StacktopServices
import StacktopTestSupport
@testable import Dashboard

/// The registry gathered from the kinds files: every kind listable, each once, in a stable tab order that
/// keeps the digits where users learned them.
final class KindRegistryTests: XCTestCase {
    func testEveryKindHasOneTableAndOnePlace() {
        for kind in ResourceKind.allCases {
            XCTAssertNotNil(KindSpec.of(kind), "\(kind.rawValue) has no table for `stacktop \(kind.rawValue) list`")
        }
        XCTAssertEqual(Set(KindSpec.all.map(\.kind)).count, KindSpec.all.count, "a kind is registered twice")
        XCTAssertEqual(Set(KindSpec.all.map(\.tabOrder)).count, KindSpec.all.count, "two kinds share a place")
    }

    func testTheDigitsStayWhereTheyWere() {
        XCTAssertEqual(Panel.allCases.prefix(10).map(\.word), ["overview", "instances", "images", "volumes", "networks",
                                                               "secgroups", "quotas", "flavors", "keypairs", "projects"])
        XCTAssertEqual(Panel.volumeSnapshots.digitKey, nil, "past the tenth: reached by Tab and by name")
        XCTAssertEqual(Panel.named("vsnaps"), .volumeSnapshots)
    }

    func testAColumnReadsItsOwnValueFromEachItem() throws {
        let rows = KindSpec.volumeSnapshots.rows(DemoCloud.snapshot)
        let snapshot = try XCTUnwrap(DemoCloud.snapshot.volumeSnapshots.first)
        let row = try XCTUnwrap(rows.first { $0.id == snapshot.id })
        let columns = KindSpec.volumeSnapshots.columns.map(\.key)
        XCTAssertEqual(row.values[columns.firstIndex(of: "volume")!], .text(snapshot.volumeName ?? ""))
        XCTAssertEqual(row.values[columns.firstIndex(of: "size")!], .bytes(snapshot.sizeBytes))
        XCTAssertEqual(KindSpec.volumeSnapshots.name(DemoCloud.snapshot, snapshot.id), snapshot.name)
        XCTAssertNil(KindSpec.volumeSnapshots.name(DemoCloud.snapshot, "no-such-id"))
        let details = try XCTUnwrap(KindSpec.volumeSnapshots.details(DemoCloud.snapshot, snapshot.id))
        XCTAssertTrue(details[0].lines.contains { $0.label == "Volume" && $0.value.hasPrefix(snapshot.volumeName ?? "?") })
    }
}

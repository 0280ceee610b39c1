import XCTest
import StacktopModel
@testable import Dashboard

final class TableExportTests: XCTestCase {
    func testJSONKeepsTypesAndEscapes() throws {
        let out = try TableExport.render(.instances, snapshot: SampleCloud.snapshot, format: .json,
                                         columns: ["name", "vcpus", "addresses"], now: SampleCloud.now)
        XCTAssertTrue(out.hasPrefix("[\n  {\"name\": \"db primary\", \"vcpus\": 4, \"addresses\": [\"192.168.122.14\"]}"), out)
        XCTAssertTrue(out.contains("\"name\": \"Ünïcødé-büild\""))
    }

    func testCSVQuotesFieldsWithCommas() throws {
        var snapshot = SampleCloud.snapshot
        snapshot.instances[0].name = "a,\"b\""
        let out = try TableExport.render(.instances, snapshot: snapshot, format: .csv, columns: ["name", "status"],
                                         now: SampleCloud.now)
        XCTAssertTrue(out.hasPrefix("Name,Status\n\"a,\"\"b\"\"\",running\n"), out)
    }

    func testTableAlignsWideCharacters() throws {
        let out = try TableExport.render(.instances, snapshot: SampleCloud.snapshot, format: .table,
                                         columns: ["name", "status"], now: SampleCloud.now)
        let lines = out.split(separator: "\n")
        XCTAssertEqual(Set(lines.map { TerminalUIWidth.of(String($0)) }).count, 1, out)
    }

    func testUnknownColumnNamesTheKnownOnes() {
        XCTAssertThrowsError(try TableExport.render(.images, snapshot: SampleCloud.snapshot, format: .json,
                                                    columns: ["nope"], now: SampleCloud.now)) { error in
            XCTAssertTrue("\(error)".hasPrefix("Unknown column \"nope\"; this kind has: name, status, format"), "\(error)")
        }
    }

    func testFormatting() {
        XCTAssertEqual(Format.mebibytes(512), "512M")
        XCTAssertEqual(Format.mebibytes(1536), "1.5G")
        XCTAssertEqual(Format.bytes(10 << 30), "10G")
        XCTAssertEqual(Format.iso8601(Date(timeIntervalSince1970: 0)), "1970-01-01T00:00:00Z")
        XCTAssertEqual(Format.iso8601(Date(timeIntervalSince1970: 1_790_000_000)), "2026-09-21T14:13:20Z")
        XCTAssertEqual(Format.age(of: SampleCloud.now.addingTimeInterval(-3 * 86400), now: SampleCloud.now), "3d")
    }

    /// The quota's unit names the raw figures of JSON and CSV; the table shows "18 GiB" and leaves it out.
    func testTheUnitColumnIsForRawFiguresOnly() throws {
        var snapshot = SampleCloud.snapshot
        snapshot.quotas = [ProjectQuotas(project: "admin", usages: [QuotaUsage(resource: .ramMiB, used: 18_432, limit: 51_200)])]
        let json = try TableExport.render(.quotas, snapshot: snapshot, format: .json, now: SampleCloud.now)
        XCTAssertTrue(json.contains("\"used\": 18432") && json.contains("\"unit\": \"MiB\""), json)
        let table = try TableExport.render(.quotas, snapshot: snapshot, format: .table, now: SampleCloud.now)
        XCTAssertTrue(table.contains("18 GiB"), table)
        XCTAssertFalse(table.contains("Unit"), table)
        let asked = try TableExport.render(.quotas, snapshot: snapshot, format: .table,
                                           columns: ["resource", "unit"], now: SampleCloud.now)
        XCTAssertTrue(asked.contains("Unit"), "asked for by name, it is shown: \(asked)")
    }
}

import TerminalUI
typealias TerminalUIWidth = DisplayWidth

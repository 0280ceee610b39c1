import XCTest
import StacktopModel
@testable import Dashboard

final class TableExportTests: XCTestCase {
    func testJSONKeepsTypesAndEscapes() throws {
        let out = try TableExport.render(.instances, snapshot: SampleCloud.snapshot, format: .json,
                                         columns: ["name", "vcpus", "ips"], now: SampleCloud.now)
        XCTAssertTrue(out.hasPrefix("[\n  {\"name\": \"db primary\", \"vcpus\": 4, \"ips\": [\"192.168.122.14\"]}"), out)
        XCTAssertTrue(out.contains("\"name\": \"Ünïcødé-büild\""))
    }

    func testCSVQuotesFieldsWithCommas() throws {
        var snapshot = SampleCloud.snapshot
        snapshot.instances[0].name = "a,\"b\""
        let out = try TableExport.render(.instances, snapshot: snapshot, format: .csv, columns: ["name", "state"],
                                         now: SampleCloud.now)
        XCTAssertTrue(out.hasPrefix("Name,State\n\"a,\"\"b\"\"\",running\n"), out)
    }

    func testTableAlignsWideCharacters() throws {
        let out = try TableExport.render(.instances, snapshot: SampleCloud.snapshot, format: .table,
                                         columns: ["name", "state"], now: SampleCloud.now)
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
}

import TerminalUI
typealias TerminalUIWidth = DisplayWidth

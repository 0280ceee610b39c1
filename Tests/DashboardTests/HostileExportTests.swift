import XCTest
import StacktopModel
import TerminalUI
@testable import Dashboard
import TextSafety

/// Names are written by other people (tenants, guests): nothing in them may act on the terminal or the
/// spreadsheet that shows stacktop's output.
final class HostileExportTests: XCTestCase {
    /// An OSC title change, a screen clear, an OSC 52 clipboard write, a C1 CSI and a bidi override.
    static let hostile = "x\u{1B}]0;pwned\u{7}\u{1B}[2J\u{1B}]52;c;cHduZWQ=\u{7}\u{9B}31m\u{202E}evil"

    private func render(_ name: String, _ format: TableExport.Format, columns: [String] = ["name", "status"]) throws -> String {
        var snapshot = SampleCloud.snapshot
        snapshot.instances[0].name = name
        return try TableExport.render(.instances, snapshot: snapshot, format: format, columns: columns, now: SampleCloud.now)
    }

    private func assertNoTerminalControls(_ text: String, file: StaticString = #filePath, line: UInt = #line) {
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let allowed = v == 0x0A
            XCTAssertFalse(!allowed && (v < 0x20 || (v >= 0x7F && v < 0xA0) || TerminalText.isDirectionalControl(v)),
                           "U+\(String(v, radix: 16)) reached the output:\n\(text)", file: file, line: line)
        }
    }

    func testTableValueAndCSVShowControlsInsteadOfSendingThem() throws {
        for format in [TableExport.Format.table, .value, .csv] {
            let out = try render(Self.hostile, format)
            assertNoTerminalControls(out)
            XCTAssertTrue(out.contains("x\u{241B}]0;pwned\u{2407}\u{241B}[2J"), "\(format): \(out)")
            XCTAssertTrue(out.contains("\u{FFFD}31m\u{FFFD}evil"), "\(format): \(out)")
        }
    }

    func testTheTableStaysAlignedAroundAHostileName() throws {
        let lines = try render(Self.hostile, .table).split(separator: "\n")
        XCTAssertEqual(Set(lines.map { DisplayWidth.of(String($0)) }).count, 1, lines.joined(separator: "\n"))
    }

    func testJSONEscapesC0DelC1AndBidiAsUnicodeEscapes() throws {
        let out = try render(Self.hostile + "\u{7F}", .json, columns: ["name"])
        assertNoTerminalControls(out)
        XCTAssertTrue(out.contains(#"x\u001b]0;pwned\u0007\u001b[2J"#), out)
        XCTAssertTrue(out.contains(#"\u009b31m\u202eevil\u007f"#), out)
        // Still the same data for a JSON reader.
        let decoded = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]]
        XCTAssertEqual(decoded?.first { ($0["name"] as? String)?.hasPrefix("x") == true }?["name"] as? String,
                       Self.hostile + "\u{7F}")
    }

    func testACarriageReturnCannotForgeCSVRows() throws {
        let out = try render("a\r\nforged,row\rmore", .csv)
        // Records as an RFC 4180 reader sees them: a newline inside quotes belongs to the field.
        var records = 0, quoted = false
        for character in out.unicodeScalars {
            if character == "\"" { quoted.toggle() } else if character == "\n" && !quoted { records += 1 }
        }
        XCTAssertEqual(records, SampleCloud.snapshot.instances.count + 1, "the header and one record per instance: \(out)")
        XCTAssertFalse(out.contains("\r"), out)
        XCTAssertTrue(out.contains("\"a\u{240D}\nforged,row\u{240D}more\""), out)
    }

    func testFormulaPrefixesAreNeutralisedButNumbersStayNumbers() throws {
        for (name, shown) in [("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\""), ("+1", "'+1"),
                              ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\u{2409}x")] {
            let out = try render(name, .csv)
            XCTAssertTrue(out.contains("\n\(shown),"), "\(name): \(out)")
        }
        let numbers = try TableExport.render(.instances, snapshot: SampleCloud.snapshot, format: .csv,
                                             columns: ["name", "vcpus"], now: SampleCloud.now)
        XCTAssertTrue(numbers.contains("db primary,4\n"), numbers)
    }

    func testNonFiniteNumbersAreNullInJSON() {
        XCTAssertEqual(TableExport.jsonValue(.number(.infinity)), "null")
        XCTAssertEqual(TableExport.jsonValue(.number(.nan)), "null")
        XCTAssertEqual(TableExport.jsonValue(.number(-3)), "-3")
    }

    func testTheScreenShowsWhatTheExportsShow() {
        var buffer = CellBuffer(size: Size(width: 60, height: 1))
        let end = buffer.write(Self.hostile, x: 0, y: 0, style: .plain)
        XCTAssertEqual(end, DisplayWidth.of(TerminalText.sanitize(Self.hostile)), "one column per shown control")
        for export in [CellBufferExport.plainText(buffer), CellBufferExport.ansi(buffer),
                       CellBufferExport.svg(buffer, title: "t")] {
            XCTAssertFalse(export.unicodeScalars.contains { $0.value == 0x9B || $0.value == 0x202E || $0.value == 0x07 }, export)
        }
        XCTAssertTrue(CellBufferExport.plainText(buffer).hasPrefix("x\u{241B}]0;pwned\u{2407}"))
    }
}

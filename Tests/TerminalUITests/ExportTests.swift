import XCTest
import TerminalUI

/// A small dashboard-like screen drawn with the built-in theme, shared by the export tests.
func sampleScreen(theme: Theme = .builtIn, width: Int = 60, height: Int = 9) -> CellBuffer {
    var buffer = CellBuffer(size: Size(width: width, height: height))
    let glyphs = Glyphs.unicode
    buffer.fill(Rect(x: 0, y: 0, width: width, height: 1), with: Cell(" ", theme[.tabActive]))
    buffer.write(" Instances ", x: 0, y: 0, style: theme[.tabActive])
    buffer.write(" Networks ", x: 12, y: 0, style: theme[.tabInactive])
    buffer.write("NAME", x: 1, y: 2, style: theme[.header])
    buffer.write("STATE", x: 20, y: 2, style: theme[.header])
    buffer.write("CPU", x: 32, y: 2, style: theme[.header])
    let rows: [(String, String, ThemeRole, Int)] = [
        ("web-01 <prod> & \"blue\"", "running", .stateRunning, 7),
        ("数据库-主", "paused", .statePaused, 2),
        ("build-runner", "error", .stateError, 10),
    ]
    for (index, row) in rows.enumerated() {
        let y = 3 + index
        buffer.write(DisplayWidth.pad(row.0, to: 18), x: 1, y: y, style: theme[.text])
        buffer.write(row.1, x: 20, y: y, style: theme[row.2])
        let gauge = String(repeating: glyphs.gaugeFull, count: row.3) + String(repeating: glyphs.gaugeEmpty, count: 10 - row.3)
        buffer.write(gauge, x: 32, y: y, style: theme[row.3 > 8 ? .gaugeCritical : .gaugeOK])
    }
    buffer.restyle(Rect(x: 0, y: 4, width: width, height: 1)) { _ in theme[.selection] }
    buffer.write(String(repeating: glyphs.horizontal, count: width), x: 0, y: 7, style: theme[.border])
    buffer.fill(Rect(x: 0, y: 8, width: width, height: 1), with: Cell(" ", theme[.statusBar]))
    buffer.write(" q quit  ? help ", x: 0, y: 8, style: theme[.statusBar])
    buffer.write("DEMO", x: width - 5, y: 8, style: theme[.badgeDemo])
    return buffer
}

final class ExportTests: XCTestCase {
    func testPlainTextTrimsRowsAndEndsLines() {
        var buffer = CellBuffer(size: Size(width: 8, height: 2))
        buffer.write("ab 中", x: 0, y: 0, style: Style(foreground: .red))
        XCTAssertEqual(CellBufferExport.plainText(buffer), "ab 中\n\n")
    }

    func testANSIEmitsSGROnlyWhenTheStyleChanges() {
        var buffer = CellBuffer(size: Size(width: 10, height: 2))
        buffer.write("ab", x: 0, y: 0, style: Style(foreground: .red))
        buffer.write("c", x: 2, y: 0, style: Style(foreground: .red, bold: true))
        buffer.write("中", x: 3, y: 0, style: Style(foreground: .rgb(1, 2, 3), background: .indexed(200)))
        buffer.write("d", x: 0, y: 1, style: .plain)
        let esc = "\u{1B}["
        XCTAssertEqual(CellBufferExport.ansi(buffer),
                       "\(esc)38;5;1mab\(esc)1mc\(esc)0;38;2;1;2;3;48;5;200m中\(esc)0m\n" + "d\n",
                       "a reset plus the new style is shorter than 22;38;2;... here")
    }

    func testANSIKeepsTrailingCellsThatShowSomething() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer.write("a", x: 0, y: 0, style: .plain)
        buffer.write(" ", x: 2, y: 0, style: Style(reverse: true))
        XCTAssertEqual(CellBufferExport.ansi(buffer), "a \u{1B}[7m \u{1B}[0m\n")
    }

    func testANSINeverPassesControlCharactersThrough() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer[0, 0] = Cell("\u{1B}")
        XCTAssertEqual(CellBufferExport.ansi(buffer), "\u{241B}\n", "ESC is shown as its control picture")
    }

    // MARK: SVG

    func testSVGEscapesTextAndTitle() {
        var buffer = CellBuffer(size: Size(width: 20, height: 1))
        buffer.write("a<b>&\"c\" ok", x: 0, y: 0, style: .plain)
        buffer[19, 0] = Cell("\u{7}")
        let svg = CellBufferExport.svg(buffer, title: "Tom & \"Jerry\" <3")
        XCTAssertTrue(svg.contains("<title>Tom &amp; &quot;Jerry&quot; &lt;3</title>"))
        XCTAssertTrue(svg.contains(">a&lt;b&gt;&amp;&quot;c&quot; ok</tspan>"), svg)
        XCTAssertFalse(svg.contains("\u{7}"))
        XCTAssertTrue(svg.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "))
    }

    func testSVGIsWellFormed() throws {
        let svg = CellBufferExport.svg(sampleScreen(), title: "stacktop <demo>")
        try assertWellFormedXML(svg)
        XCTAssertEqual(svg.components(separatedBy: "<text ").count - 1, 7, "one <text> per row that shows text")
    }

    func testSVGColoursGeometryAndAttributes() {
        var buffer = CellBuffer(size: Size(width: 10, height: 2))
        buffer.write("ab", x: 1, y: 0, style: Style(foreground: .red, background: .blue, bold: true, underline: true))
        buffer.write("x", x: 0, y: 1, style: Style(reverse: true))
        buffer.write("中z", x: 4, y: 1, style: .plain)
        let svg = CellBufferExport.svg(buffer, title: "t")
        XCTAssertTrue(svg.contains("width=\"84\" height=\"34\" viewBox=\"0 0 84 34\""))
        XCTAssertTrue(svg.contains("<rect width=\"84\" height=\"34\" fill=\"#1e1e1e\"/>"))
        // Background run merged over both cells, in the xterm palette's blue.
        XCTAssertTrue(svg.contains("<rect x=\"8.4\" y=\"0\" width=\"16.8\" height=\"17\" fill=\"#0000ee\"/>"), svg)
        XCTAssertTrue(svg.contains("<tspan x=\"8.4 16.8\" fill=\"#cd0000\" font-weight=\"bold\" text-decoration=\"underline\">ab</tspan>"), svg)
        // Reverse: the default colours swap.
        XCTAssertTrue(svg.contains("<rect x=\"0\" y=\"17\" width=\"8.4\" height=\"17\" fill=\"#d4d4d4\"/>"), svg)
        XCTAssertTrue(svg.contains("<tspan x=\"0\" fill=\"#1e1e1e\">x</tspan>"), svg)
        // The wide character sits at its cell and the next one two cells further.
        XCTAssertTrue(svg.contains("<tspan x=\"33.6 50.4\">中z</tspan>"), svg)
    }

    /// A tiny XML checker: tags balance, attributes are quoted, no raw '&' or '<' in text.
    private func assertWellFormedXML(_ xml: String, file: StaticString = #filePath, line: UInt = #line) throws {
        var stack: [String] = []
        var rest = Substring(xml)
        if rest.hasPrefix("<?xml") { rest = rest[rest.firstIndex(of: ">")!...].dropFirst() }
        while let open = rest.firstIndex(of: "<") {
            let text = rest[..<open]
            XCTAssertFalse(text.contains(">"), "raw > in text", file: file, line: line)
            for (i, c) in zip(text.indices, text) where c == "&" {
                let entity = text[i...].prefix { $0 != ";" }
                XCTAssertTrue(["&amp", "&lt", "&gt", "&quot"].contains(String(entity)), "bad entity \(entity)", file: file, line: line)
            }
            let close = try XCTUnwrap(rest[open...].firstIndex(of: ">"))
            let tag = rest[rest.index(after: open)..<close]
            XCTAssertEqual(tag.filter { $0 == "\"" }.count % 2, 0, "unbalanced quotes in <\(tag)>", file: file, line: line)
            XCTAssertFalse(tag.contains("<"), file: file, line: line)
            let name = String(tag.prefix { $0 != " " && $0 != "/" && $0 != ">" })
            if tag.hasPrefix("/") {
                XCTAssertEqual(stack.popLast(), String(tag.dropFirst()), file: file, line: line)
            } else if !tag.hasSuffix("/") {
                stack.append(name)
            }
            rest = rest[close...].dropFirst()
        }
        XCTAssertTrue(stack.isEmpty, "unclosed \(stack)", file: file, line: line)
        XCTAssertTrue(rest.allSatisfy(\.isWhitespace), file: file, line: line)
    }
}

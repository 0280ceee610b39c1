import XCTest
import TerminalUI
import TextSafety

final class CellBufferTests: XCTestCase {
    func testWriteReturnsTheNextColumnAndClips() {
        var buffer = CellBuffer(size: Size(width: 6, height: 2))
        XCTAssertEqual(buffer.write("abc", x: 1, y: 0, style: .plain), 4)
        XCTAssertEqual(buffer.text(row: 0), " abc  ")
        XCTAssertEqual(buffer.write("abcdef", x: 2, y: 1, style: .plain, maxX: 5), 5)
        XCTAssertEqual(buffer.text(row: 1), "  abc ")
        XCTAssertEqual(buffer.write("zz", x: 0, y: 9, style: .plain), 0, "rows outside are ignored")
        XCTAssertEqual(buffer.write("xyz", x: -1, y: 0, style: .plain), 2)
        XCTAssertEqual(buffer.text(row: 0), "yzbc  ")
    }

    func testWideCharactersTakeTwoCells() {
        var buffer = CellBuffer(size: Size(width: 5, height: 1))
        let style = Style(foreground: .green)
        XCTAssertEqual(buffer.write("中a", x: 0, y: 0, style: style), 3)
        XCTAssertEqual(buffer[0, 0], Cell("中", style))
        XCTAssertTrue(buffer[1, 0].isContinuation)
        XCTAssertEqual(buffer[1, 0].style, style)
        XCTAssertEqual(buffer[2, 0].character, "a")
        XCTAssertEqual(buffer.text, "中a")

        // A wide character that would straddle the edge becomes a space.
        var edge = CellBuffer(size: Size(width: 3, height: 1), fill: Cell("."))
        XCTAssertEqual(edge.write("ab中", x: 0, y: 0, style: .plain), 3)
        XCTAssertEqual(edge.text, "ab")
        XCTAssertEqual(edge[2, 0].character, " ")
    }

    /// The ranges measured without a category lookup (borders, blocks, shapes, arrows, dashes) hold no mark and
    /// no wide character: what the lookup would have said.
    func testTheFastWidthRangesAgreeWithTheCategories() {
        for range in [0x2010...0x2027, 0x2190...0x21FF, 0x2500...0x25FF] {
            for value in range {
                guard let scalar = Unicode.Scalar(value) else { continue }
                let category = scalar.properties.generalCategory
                XCTAssertFalse(category == .nonspacingMark || category == .enclosingMark, "U+\(String(value, radix: 16))")
                XCTAssertEqual(DisplayWidth.of(Character(scalar)), 1, "U+\(String(value, radix: 16))")
            }
        }
    }

    func testDisplayWidthTruncateAndPad() {
        XCTAssertEqual(DisplayWidth.of("a中é"), 4)
        XCTAssertEqual(DisplayWidth.of("e\u{301}"), 1, "a combining accent joins its letter")
        XCTAssertEqual(DisplayWidth.truncate("abcdef", to: 4), "abc…")
        XCTAssertEqual(DisplayWidth.truncate("中文字", to: 4), "中…")
        XCTAssertEqual(DisplayWidth.truncate("abc", to: 3), "abc")
        XCTAssertEqual(DisplayWidth.truncate("abcd", to: 3, ellipsis: "~"), "ab~")
        XCTAssertEqual(DisplayWidth.pad("中", to: 4), "中  ")
        XCTAssertEqual(DisplayWidth.pad("ab", to: 4, alignRight: true), "  ab")
    }

    func testChangesSinceAFrame() {
        let frame = sampleScreen()
        XCTAssertEqual(frame.changes(since: frame), [])

        var next = frame
        next.write("Z", x: 10, y: 5, style: .plain)
        next.write("Q", x: 11, y: 5, style: .plain)
        let runs = next.changes(since: frame)
        XCTAssertEqual(runs.count, 1)
        XCTAssertEqual(runs.first?.x, 10)
        XCTAssertEqual(runs.first?.y, 5)
        XCTAssertEqual(runs.first?.cells, [Cell("Z"), Cell("Q")])

        XCTAssertEqual(frame.changes(since: nil).count, frame.size.height, "a first frame is every row")
        let resized = CellBuffer(size: Size(width: 3, height: 2))
        XCTAssertEqual(resized.changes(since: frame).map(\.cells.count), [3, 3])
    }

    func testRestyleKeepsCharacters() {
        var buffer = CellBuffer(size: Size(width: 4, height: 1))
        buffer.write("abcd", x: 0, y: 0, style: .plain)
        buffer.restyle(Rect(x: 1, y: 0, width: 2, height: 5)) { $0.with(reverse: true) }
        XCTAssertEqual(buffer.text, "abcd")
        XCTAssertEqual(buffer.cells.map(\.style.reverse), [false, true, true, false])
    }
}

private extension Style {
    func with(reverse: Bool) -> Style { var copy = self; copy.reverse = reverse; return copy }
}

final class WideCharacterOverwriteTests: XCTestCase {
    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        buffer.write("中文", x: 0, y: 0, style: .plain)
        buffer.write("a", x: 1, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(row: 0), " a文  ")
        buffer.write("b", x: 2, y: 0, style: .plain)
        XCTAssertEqual(buffer.text(row: 0), " ab   ")
        XCTAssertFalse(buffer.cells.contains { $0.isContinuation })
    }

    func testFillBreaksWideCharactersAtItsEdges() {
        var buffer = CellBuffer(size: Size(width: 6, height: 1))
        buffer.write("中文中", x: 0, y: 0, style: .plain)
        buffer.fill(Rect(x: 1, y: 0, width: 3, height: 1), with: Cell("."))
        XCTAssertEqual(buffer.text(row: 0), " ...中")
    }
}

final class JoinerWidthTests: XCTestCase {
    /// "👩‍💻" drawn as 👩 and 💻, two cells each: the row ends where every terminal puts it.
    func testAZeroWidthJoinerSequenceTakesTheColumnsOfItsParts() {
        var buffer = CellBuffer(size: Size(width: 10, height: 1))
        let end = buffer.write("a\u{1F469}\u{200D}\u{1F4BB}b", x: 0, y: 0, style: .plain)
        XCTAssertEqual(end, 6)
        XCTAssertEqual(buffer[5, 0].character, "b")
        XCTAssertFalse(buffer.cells.contains { $0.character.unicodeScalars.contains("\u{200D}") })
        XCTAssertEqual(TerminalText.sanitize("a\u{1F469}\u{200D}\u{1F4BB}b"), "a\u{1F469}\u{1F4BB}b")
        XCTAssertEqual(DisplayWidth.of(TerminalText.sanitize("a\u{1F469}\u{200D}\u{1F4BB}b")), 6)
    }
}

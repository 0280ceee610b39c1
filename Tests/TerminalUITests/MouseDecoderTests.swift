import XCTest
@testable import TerminalUI

/// SGR mouse reports taken out of the input: whole, split across reads, malformed, huge, legacy.
final class MouseDecoderTests: XCTestCase {
    private func feed(_ text: String, into decoder: inout MouseSequenceDecoder, end: Bool = true) -> [MouseSequenceDecoder.Output] {
        var out: [MouseSequenceDecoder.Output] = []
        for scalar in text.unicodeScalars { out += decoder.feed(scalar.value) }
        if end { out += decoder.endOfInput() }
        return out
    }

    private func decode(_ text: String) -> [MouseSequenceDecoder.Output] {
        var decoder = MouseSequenceDecoder()
        let out = feed(text, into: &decoder)
        XCTAssertFalse(decoder.isPending, "nothing may stay pending after \(text.debugDescription)")
        return out
    }

    private func chars(_ text: String) -> [MouseSequenceDecoder.Output] {
        text.unicodeScalars.map { .character($0.value) }
    }

    func testCompleteReportsBecomeEvents() {
        XCTAssertEqual(decode("\u{1B}[<0;10;5M"), [.mouse(MouseEvent(button: .left, pressed: true, x: 9, y: 4))])
        XCTAssertEqual(decode("\u{1B}[<0;10;5m"), [.mouse(MouseEvent(button: .left, pressed: false, x: 9, y: 4))])
        XCTAssertEqual(decode("\u{1B}[<2;1;1M"), [.mouse(MouseEvent(button: .right, x: 0, y: 0))])
        XCTAssertEqual(decode("\u{1B}[<1;3;3M"), [.mouse(MouseEvent(button: .middle, x: 2, y: 2))])
        XCTAssertEqual(decode("\u{1B}[<64;7;8M"), [.mouse(MouseEvent(button: .wheelUp, x: 6, y: 7))])
        XCTAssertEqual(decode("\u{1B}[<65;7;8M"), [.mouse(MouseEvent(button: .wheelDown, x: 6, y: 7))])
        // Shift/Alt/Ctrl bits do not change the button.
        XCTAssertEqual(decode("\u{1B}[<16;300;200M"), [.mouse(MouseEvent(button: .left, x: 299, y: 199))])
        // Two reports and typing around them, in one read.
        XCTAssertEqual(decode("a\u{1B}[<0;2;2M\u{1B}[<0;2;2mb"),
                       chars("a") + [.mouse(MouseEvent(button: .left, x: 1, y: 1)),
                                     .mouse(MouseEvent(button: .left, pressed: false, x: 1, y: 1))] + chars("b"))
    }

    func testReportSplitAcrossReadsIsStillOneReport() {
        let report = "\u{1B}[<0;12;34M"
        let scalars = Array(report.unicodeScalars)
        for cut in 1..<scalars.count {
            var decoder = MouseSequenceDecoder()
            var out: [MouseSequenceDecoder.Output] = []
            for scalar in scalars[..<cut] { out += decoder.feed(scalar.value) }
            out += decoder.endOfInput()
            for scalar in scalars[cut...] { out += decoder.feed(scalar.value) }
            out += decoder.endOfInput()
            // Cut right after its ESC, the ESC was already the Escape key (a lone ESC is, at once), but
            // nothing of the rest is typed.
            XCTAssertEqual(out, (cut == 1 ? [.escape] : []) + [.mouse(MouseEvent(button: .left, x: 11, y: 33))],
                           "cut after \(cut) characters")
        }
    }

    func testMalformedSequencesLeakNothing() {
        for junk in ["\u{1B}[<0;10M", "\u{1B}[<0;10;5;7M", "\u{1B}[<;;M", "\u{1B}[<a", "\u{1B}[<0;0;0M", "\u{1B}[<0;1;1Z",
                     "\u{1B}[<35;10;5M", "\u{1B}[1;5A", "\u{1B}[<0:1;1M", "\u{1B}[?1006h"] {
            XCTAssertEqual(decode(junk), [], junk.debugDescription)
        }
        // A control character breaks a sequence off: it is the user's key, and only it comes through.
        XCTAssertEqual(decode("\u{1B}[<0;1\r"), chars("\r"))
        // A sequence broken by the start of another: the second one still counts.
        XCTAssertEqual(decode("\u{1B}[<0;1\u{1B}[<0;4;4M"), [.mouse(MouseEvent(button: .left, x: 3, y: 3))])
        // A partial report at the end of a read stays pending rather than turning into text.
        var decoder = MouseSequenceDecoder()
        XCTAssertEqual(feed("\u{1B}[<0;1", into: &decoder), [])
        XCTAssertTrue(decoder.isPending)
        // A key the terminal library decoded itself ends it, without a character.
        XCTAssertEqual(decoder.interrupt(), [])
        XCTAssertEqual(feed("x", into: &decoder), chars("x"))
    }

    func testHugeNumbersSaturateAndOverlongSequencesAreDropped() {
        XCTAssertEqual(decode("\u{1B}[<0;99999999999999999999999;5M"),
                       [.mouse(MouseEvent(button: .left, x: MouseSequenceDecoder.largestNumber - 1, y: 4))])
        let overlong = "\u{1B}[<0;" + String(repeating: "1", count: 500) + ";5M"
        XCTAssertEqual(decode(overlong), [])
        XCTAssertEqual(decode(overlong + "q"), chars("q"))
    }

    func testLegacyX10ReportsAreDroppedWhole() {
        // ESC [ M then button, column and row as raw bytes (+32), some beyond ASCII.
        XCTAssertEqual(decode("\u{1B}[M !!"), [])
        XCTAssertEqual(decode("\u{1B}[M`\u{E9}\u{FF}q"), chars("q"))
    }

    func testEscapeStaysTheEscapeKey() {
        XCTAssertEqual(decode("\u{1B}"), [.escape])
        XCTAssertEqual(decode("\u{1B}/"), [.escape] + chars("/"))
        XCTAssertEqual(decode("\u{1B}\u{1B}"), [.escape, .escape])
        // After a lone ESC, the next read's ordinary keys are keys.
        var after = MouseSequenceDecoder()
        XCTAssertEqual(feed("\u{1B}", into: &after), [.escape])
        XCTAssertEqual(feed("/x", into: &after), chars("/x"))
        var decoder = MouseSequenceDecoder()
        XCTAssertEqual(feed("\u{1B}", into: &decoder, end: false), [])
        XCTAssertEqual(decoder.interrupt(), [.escape])
    }

    func testDoubleClickIsTheSecondPressOnTheSameCellSoonAfter() {
        var counter = ClickCounter()
        let press = MouseEvent(button: .left, x: 5, y: 5)
        XCTAssertEqual(counter.count(press, at: 10).clickCount, 1)
        XCTAssertEqual(counter.count(MouseEvent(button: .left, pressed: false, x: 5, y: 5), at: 10.1).clickCount, 1)
        XCTAssertEqual(counter.count(press, at: 10.2).clickCount, 2)
        XCTAssertEqual(counter.count(press, at: 10.3).clickCount, 1, "a third press starts again")
        XCTAssertEqual(counter.count(press, at: 11).clickCount, 1, "too late")
        XCTAssertEqual(counter.count(MouseEvent(button: .left, x: 6, y: 5), at: 11.1).clickCount, 1, "another cell")
        XCTAssertEqual(counter.count(MouseEvent(button: .right, x: 6, y: 5), at: 11.2).clickCount, 1)
    }
}

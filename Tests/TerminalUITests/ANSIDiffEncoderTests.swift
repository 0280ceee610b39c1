import XCTest
import TerminalUI

final class ANSIDiffEncoderTests: XCTestCase {
    private let encoder = ANSIDiffEncoder()

    func testIdenticalFrameCostsNothing() {
        let frame = sampleScreen()
        XCTAssertEqual(encoder.bytes(from: frame, to: frame), [])
    }

    func testOneChangedCellIsOneMoveAndOneCharacter() {
        let before = sampleScreen()
        var after = before
        after.write("X", x: 5, y: 3, style: .plain)
        XCTAssertEqual(String(decoding: encoder.bytes(from: before, to: after), as: UTF8.self), "\u{1B}[4;6HX")

        var styled = before
        styled.write("Y", x: 5, y: 3, style: Style(foreground: .red))
        XCTAssertEqual(String(decoding: encoder.bytes(from: before, to: styled), as: UTF8.self),
                       "\u{1B}[4;6H\u{1B}[38;5;1mY\u{1B}[0m", "a frame leaves the terminal in the plain style")
    }

    func testAdjacentChangesNeedOneMoveAndRowsNeedTheirOwn() {
        let before = CellBuffer(size: Size(width: 6, height: 2))
        var after = before
        after.write("ab", x: 1, y: 0, style: .plain)
        after.write("c", x: 4, y: 0, style: .plain)
        after.write("d", x: 0, y: 1, style: .plain)
        XCTAssertEqual(String(decoding: encoder.bytes(from: before, to: after), as: UTF8.self),
                       "\u{1B}[1;2Hab\u{1B}[1;5Hc\u{1B}[2;1Hd")
    }

    func testFullFramesAndDiffsReproduceEveryFrameOnATerminal() throws {
        var light = sampleScreen(theme: try ThemeLoader.load(nameOrPath: "light", searchDirectories: [ThemeLoaderTests.themesDirectory]))
        let frames: [CellBuffer] = [
            sampleScreen(),
            {
                var frame = sampleScreen()
                frame.write("中文 shutoff", x: 20, y: 5, style: Style(foreground: .brightBlack, underline: true))
                frame.restyle(Rect(x: 0, y: 3, width: 60, height: 1)) { $0.monochrome }
                return frame
            }(),
            sampleScreen(theme: Theme.builtIn.monochrome),
            { light.restyle(Rect(x: 3, y: 4, width: 1, height: 1)) { _ in Style(background: .red) }; return light }(),
            sampleScreen(),
        ]
        var terminal = TerminalModel(size: frames[0].size)
        var previous: CellBuffer?
        for (index, frame) in frames.enumerated() {
            try terminal.apply(encoder.bytes(from: previous, to: frame))
            for y in 0..<frame.size.height {
                for x in 0..<frame.size.width {
                    let expected = frame[x, y], shown = terminal.cells[y * frame.size.width + x]
                    XCTAssertEqual(shown.character, expected.character, "frame \(index) at \(x),\(y)")
                    if !expected.isContinuation {
                        XCTAssertEqual(shown.style, expected.style, "frame \(index) at \(x),\(y)")
                    }
                }
            }
            XCTAssertEqual(terminal.style, .plain, "frame \(index) ends in the plain style")
            previous = frame
        }
    }

    func testChangedSizeRedrawsEverything() {
        let small = CellBuffer(size: Size(width: 3, height: 1))
        let large = CellBuffer(size: Size(width: 4, height: 1))
        XCTAssertEqual(String(decoding: encoder.bytes(from: small, to: large), as: UTF8.self), "\u{1B}[1;1H    ")
    }
}

/// Just enough of a terminal to replay what the encoder sends: cursor addressing, the SGR
/// parameters the encoder uses, and wide characters.
struct TerminalModel {
    struct Failure: Error, CustomStringConvertible { var description: String }

    let size: Size
    var cells: [Cell]
    var style = Style.plain
    var x = 0, y = 0
    var pendingWrap = false

    init(size: Size) {
        self.size = size
        cells = Array(repeating: .blank, count: size.width * size.height)
    }

    mutating func apply(_ bytes: [UInt8]) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "\u{1B}" {
                let bracket = text.index(after: index)
                guard bracket < text.endIndex, text[bracket] == "[" else { throw Failure(description: "bare ESC") }
                let body = text[text.index(after: bracket)...]
                guard let final = body.firstIndex(where: { $0.isLetter }) else { throw Failure(description: "unterminated CSI") }
                let parameters = body[..<final].split(separator: ";", omittingEmptySubsequences: false).map { Int($0) ?? 0 }
                switch body[final] {
                case "H":
                    y = parameters[0] - 1; x = parameters[1] - 1; pendingWrap = false
                case "m":
                    try sgr(parameters)
                default:
                    throw Failure(description: "unexpected CSI \(body[final])")
                }
                index = text.index(after: final)
                continue
            }
            guard !pendingWrap else { throw Failure(description: "character written in the pending-wrap state") }
            let width = DisplayWidth.of(character)
            cells[y * size.width + x] = Cell(character, style)
            if width == 2 { cells[y * size.width + x + 1] = Cell(Cell.continuationCharacter, style) }
            x += width
            if x >= size.width { x = size.width - 1; pendingWrap = true }
            index = text.index(after: index)
        }
    }

    private mutating func sgr(_ parameters: [Int]) throws {
        var i = 0
        func color() throws -> Color {
            switch parameters[i + 1] {
            case 5: i += 2; return .indexed(UInt8(parameters[i]))
            case 2: i += 4; return .rgb(UInt8(parameters[i - 2]), UInt8(parameters[i - 1]), UInt8(parameters[i]))
            default: throw Failure(description: "bad extended colour")
            }
        }
        while i < parameters.count {
            switch parameters[i] {
            case 0: style = .plain
            case 1: style.bold = true
            case 2: style.dim = true
            case 4: style.underline = true
            case 7: style.reverse = true
            case 22: style.bold = false; style.dim = false
            case 24: style.underline = false
            case 27: style.reverse = false
            case 38: style.foreground = try color()
            case 39: style.foreground = .default
            case 48: style.background = try color()
            case 49: style.background = .default
            default: throw Failure(description: "unexpected SGR \(parameters[i])")
            }
            i += 1
        }
    }
}

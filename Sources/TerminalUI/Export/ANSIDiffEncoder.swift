/// The bytes a minimal terminal writer sends to turn the screen showing `previous` into `next`:
/// for each run of changed cells a cursor move (`ESC[row;colH`, skipped when the cursor is already
/// there), SGR changes only when the style differs, and the characters. The benchmark counts these
/// bytes per refresh; an identical frame costs nothing.
///
/// Convention between frames: the terminal is left in the plain style (a frame that changed the
/// style ends with a reset), so each frame can be encoded on its own.
public struct ANSIDiffEncoder: Sendable {
    public init() {}

    public func bytes(from previous: CellBuffer?, to next: CellBuffer) -> [UInt8] {
        var output: [UInt8] = []
        var style = Style.plain
        // nil when unknown: after writing the last column the terminal's cursor is in the
        // "pending wrap" state, which terminals disagree about.
        var cursor: (x: Int, y: Int)?

        func put(_ x: Int, _ y: Int, _ cell: Cell) {
            if cursor == nil || cursor! != (x, y) {
                output.append(contentsOf: "\u{1B}[\(y + 1);\(x + 1)H".utf8)
            }
            output.append(contentsOf: SGR.transition(from: style, to: cell.style).utf8)
            style = cell.style
            let character = SGR.printable(cell.character)
            output.append(contentsOf: String(character).utf8)
            let end = x + max(1, DisplayWidth.of(character))
            cursor = end < next.size.width ? (end, y) : nil
        }

        for run in next.changes(since: previous) {
            // A run that starts on the right half of a wide character: only the whole character
            // can be redrawn.
            if let first = run.cells.first, first.isContinuation, run.x > 0 {
                put(run.x - 1, run.y, next[run.x - 1, run.y])
            }
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                put(run.x + offset, run.y, cell)
            }
        }
        if style != .plain { output.append(contentsOf: SGR.reset.utf8) }
        return output
    }
}

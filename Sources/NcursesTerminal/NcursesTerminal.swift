import CTerminalShim
import TerminalUI

/// The full-screen terminal, through ncurses. Not Sendable: it lives on the main thread only.
///
/// Crash safety: from `init` until `shutdown`, fd 2 goes to `crashLogPath`, and a crash (see
/// `CrashReporting`, installed by main for the whole process) leaves the alternate screen first.
/// Input is in raw mode: Ctrl-C arrives as `.signal(.interrupt)`, Ctrl-Z and Ctrl-S as `.ctrl`.
public final class NcursesTerminal: TerminalDevice {
    public let capabilities: TerminalCapabilities
    /// Other threads call `wakeup.signal()` to end `waitForInput` early.
    public let wakeup: TerminalWakeup

    private var painter: StylePainter
    private var previous: CellBuffer?
    private var needsClear = false
    private var isOpen = true
    private var scalars: [UInt32] = [0, 0, 0, 0, 0]
    private var lastSize: Size

    /// Takes over the terminal (alternate screen, raw input). Call `TerminalCapabilities.detect`
    /// first; a capability set that is not interactive is refused.
    public init(capabilities: TerminalCapabilities, crashLogPath: String) throws {
        guard capabilities.isInteractive else {
            throw TerminalError.notInteractive(reason: capabilities.reasonNotInteractive ?? "not a terminal")
        }
        self.capabilities = capabilities
        wakeup = try TerminalWakeup()
        var error: Int32 = 0, colors: Int32 = 0, defaultColors: Int32 = 0
        switch st_start(wakeup.writeDescriptor, crashLogPath, Int32(capabilities.colors),
                        &error, &colors, &defaultColors) {
        case Int32(ST_START_OK): break
        case Int32(ST_START_ALREADY_ACTIVE): throw TerminalError.alreadyActive
        case Int32(ST_START_CRASH_LOG):
            throw TerminalError.crashLogUnavailable(path: crashLogPath, reason: TerminalError.errnoText(error))
        default: throw TerminalError.cannotStart
        }
        painter = StylePainter(
            mapping: ColorMapping(colors: TerminalCapabilities.colorLevel(Int(colors)),
                                  hasDefaultColors: defaultColors == 1),
            maxPairs: st_max_pairs())
        lastSize = Size(width: Int(st_cols()), height: Int(st_lines()))
    }

    deinit { shutdown() }

    public var colorCount: Int { capabilities.colors }
    public var waker: any TerminalWaker { wakeup }

    public var size: Size {
        if st_is_active() == 1 { lastSize = Size(width: Int(st_cols()), height: Int(st_lines())) }
        return lastSize
    }

    /// Writes only the cells that differ from the last frame written (first frame, after a size
    /// change or `invalidate`: all of them). Returns the number of cells written; a frame without
    /// changes writes no bytes at all.
    @discardableResult
    public func draw(_ buffer: CellBuffer) -> Int {
        guard st_is_active() == 1 else { return 0 }
        let screen = size
        let repaint = needsClear || previous?.size != buffer.size
        if repaint { st_erase(previous != nil || needsClear ? 1 : 0) }
        let runs = buffer.changes(since: repaint ? nil : previous)
        var written = 0
        for run in runs where run.y < screen.height {
            for (offset, cell) in run.cells.enumerated() where !cell.isContinuation {
                let x = run.x + offset
                guard x < screen.width else { break }
                let wide = x + 1 < buffer.size.width && buffer[x + 1, run.y].isContinuation
                put(cell, x: x, y: run.y, columns: wide && x + 1 < screen.width ? 2 : 1)
                written += 1
            }
        }
        if written > 0 || repaint { st_flush() }
        previous = buffer
        needsClear = false
        return written
    }

    /// Forces a full repaint on the next draw (after a resize or Ctrl-L).
    public func invalidate() { needsClear = true }

    /// Waits up to `timeoutMilliseconds` (-1: forever) for a key, a resize, a quit signal or
    /// `wakeup.signal()`; returns what is available now, possibly nothing.
    public func waitForInput(timeoutMilliseconds: Int32) -> [TerminalInput] {
        let active = st_is_active() == 1
        let ready = st_poll(wakeup.readDescriptor, active ? 1 : 0, timeoutMilliseconds)
        if ready & Int32(ST_READY_WAKE) != 0 { wakeup.drain() }
        var events = signals()
        if ready & Int32(ST_READY_HANGUP) != 0 { events.append(.signal(.hangup)) }
        if active { readKeys(into: &events) }
        return events
    }

    /// Gives the terminal back exactly as it was found. Idempotent.
    public func shutdown() {
        guard isOpen else { return }
        isOpen = false
        st_stop()
    }

    /// Hands the terminal back temporarily (normal screen, cooked mode, fd 2 on the terminal).
    public func suspend() { if isOpen { st_suspend() } }

    /// Takes the terminal again after `suspend` and repaints the last frame.
    public func resume() { if isOpen { st_resume() } }

    /// Ctrl-Z: the terminal goes back to the shell as it was found and the process stops (SIGTSTP);
    /// after `fg` it is taken again and the next draw repaints every cell.
    public func stopForJobControl() {
        guard isOpen else { return }
        st_job_stop()
        needsClear = true
    }

    // MARK: - Drawing one cell

    private func put(_ cell: Cell, x: Int, y: Int, columns: Int) {
        let (attributes, pair) = painter.paint(cell.style)
        var count = 0
        var width = 1
        for scalar in cell.character.unicodeScalars {
            let value = scalar.value
            if count == 0 {
                width = glyphWidth(value)
                // Unprintable, or wider than the columns the buffer gave it: show "?" instead.
                if width <= 0 || width > columns {
                    scalars[0] = 0x3F; count = 1; width = 1
                    break
                }
                scalars[0] = value; count = 1
            } else {
                // Only zero-width marks may follow in one cell (cchar_t's rule).
                guard count < scalars.count, capabilities.utf8, value > 0x7E, st_wcwidth(value) == 0 else { break }
                scalars[count] = value; count += 1
            }
        }
        if count == 0 { scalars[0] = 0x20; count = 1; width = 1 }
        st_put(Int32(y), Int32(x), scalars, Int32(count), attributes, pair)
        if width < columns {
            // The buffer reserved two columns for a character the terminal shows in one.
            scalars[0] = 0x20
            st_put(Int32(y), Int32(x + 1), scalars, 1, attributes, pair)
        }
    }

    private func glyphWidth(_ value: UInt32) -> Int {
        if value < 0x20 || (0x7F..<0xA0).contains(value) { return -1 }
        if !capabilities.utf8 && value > 0x7E { return -1 }
        return Int(st_wcwidth(value))
    }

    // MARK: - Input

    private func signals() -> [TerminalInput] {
        let bits = st_take_signals()
        var events: [TerminalInput] = []
        if bits & Int32(ST_SIGNAL_INTERRUPT) != 0 { events.append(.signal(.interrupt)) }
        if bits & Int32(ST_SIGNAL_TERMINATE) != 0 { events.append(.signal(.terminate)) }
        if bits & Int32(ST_SIGNAL_HANGUP) != 0 { events.append(.signal(.hangup)) }
        if bits & Int32(ST_SIGNAL_CONTINUE) != 0, st_is_active() == 1 {
            // Continued after a stop (Ctrl-Z then fg, or SIGSTOP/SIGCONT from outside): repaint everything,
            // at whatever size the terminal has now.
            needsClear = true
            events.append(.resize(size))
        }
        return events
    }

    private func readKeys(into events: inout [TerminalInput]) {
        // Every ESC is Escape, even when another character follows at once: stacktop binds no Alt
        // keys, and typed-ahead or scripted input (Esc then /) must not lose the second key.
        while true {
            var value: UInt32 = 0
            let kind = st_read_input(&value)
            if kind == Int32(ST_INPUT_NONE) { break }
            if kind == Int32(ST_INPUT_CHARACTER) {
                if value == 0x1B {
                    events.append(.key(.escape))
                } else if let event = InputDecoder.character(value) {
                    events.append(event)
                }
            } else if kind == Int32(ST_INPUT_RESIZE) {
                // Several resizes in one batch: only the final size matters.
                events.removeAll { if case .resize = $0 { true } else { false } }
                events.append(.resize(size))
            } else if let key = InputDecoder.key(kind: kind, value: value) {
                events.append(.key(key))
            }
        }
    }
}

/// A mouse button pressed or released, or a wheel notch, at a cell (0-based, from the top left).
public struct MouseEvent: Sendable, Equatable {
    public enum Button: Sendable, Equatable {
        case left, middle, right, wheelUp, wheelDown
        /// Buttons 8 and up, horizontal wheels: reported, never acted on.
        case other
    }

    public var button: Button
    /// False for a release (SGR's final `m`).
    public var pressed: Bool
    public var x: Int
    public var y: Int
    /// 2 for the second press of a double click (same cell, soon after the first), else 1.
    public var clickCount: Int

    public init(button: Button, pressed: Bool = true, x: Int, y: Int, clickCount: Int = 1) {
        self.button = button; self.pressed = pressed; self.x = x; self.y = y; self.clickCount = clickCount
    }
}

/// The terminal's mouse reporting: SGR extended coordinates (mode 1006) over normal tracking (1000),
/// so presses and releases arrive as `ESC [ < b ; x ; y M|m` at any column (X10's `ESC [ M bxy`
/// stops at column 223 and sends bytes that are not text).
public enum MouseReporting {
    public static let enable = "\u{1B}[?1000h\u{1B}[?1006h"
    public static let disable = "\u{1B}[?1006l\u{1B}[?1000l"
}

/// Takes mouse reports out of the characters the terminal sends, so none of their bytes ever reach a
/// filter or the command line. Fed one character at a time, it keeps a partial sequence across reads
/// (a report split between two reads is still one report). Every control sequence introduced by
/// `ESC [` that is not a mouse report (a key the terminal library did not know) is swallowed whole;
/// a lone ESC is the Escape key. Pure and deterministic: nothing here reads a clock or a terminal.
public struct MouseSequenceDecoder: Sendable {
    public enum Output: Sendable, Equatable {
        /// Not part of a sequence: the character as typed.
        case character(UInt32)
        case escape
        case mouse(MouseEvent)
    }

    private enum State: Sendable, Equatable {
        case ground
        /// ESC seen; `[` starts a control sequence, anything else makes it the Escape key.
        case escape
        /// A read ended on a lone ESC, already reported as Escape. If the next read starts with `[`, the
        /// terminal's sequence was split right after its ESC (a slow link): the rest is swallowed, not typed.
        case afterEscape
        /// Inside `ESC [`: the parameter and intermediate characters so far.
        case sequence([UInt8], overflowed: Bool)
        /// X10's `ESC [ M` is followed by three raw bytes: that many are still to be dropped.
        case legacy(remaining: Int)
    }

    /// Longer parameter strings are no report any terminal sends: the rest is dropped unread.
    public static let maximumLength = 48
    /// Coordinates and button codes saturate here rather than overflow.
    static let largestNumber = 100_000

    private var state: State = .ground

    public init() {}

    /// True while a sequence is partly read.
    public var isPending: Bool { state != .ground && state != .afterEscape }

    public mutating func feed(_ value: UInt32) -> [Output] {
        switch state {
        case .ground:
            if value == 0x1B { state = .escape; return [] }
            return [.character(value)]
        case .escape:
            if value == 0x5B { state = .sequence([], overflowed: false); return [] }
            if value == 0x1B { return [.escape] }
            state = .ground
            return [.escape, .character(value)]
        case .afterEscape:
            state = .ground
            if value == 0x5B { state = .sequence([], overflowed: false); return [] }
            return feed(value)
        case .legacy(let remaining):
            state = remaining > 1 ? .legacy(remaining: remaining - 1) : .ground
            return []
        case .sequence(var bytes, var overflowed):
            switch value {
            case 0x20...0x3F:
                // Parameter (digits ; < = > ?) and intermediate characters.
                if bytes.count < Self.maximumLength { bytes.append(UInt8(value)) } else { overflowed = true }
                state = .sequence(bytes, overflowed: overflowed)
                return []
            case 0x40...0x7E:
                state = .ground
                if bytes.isEmpty, value == 0x4D { state = .legacy(remaining: 3); return [] }
                guard !overflowed, let event = Self.report(bytes, final: value) else { return [] }
                return [.mouse(event)]
            case 0x1B:
                // A broken sequence, then a new one.
                state = .escape
                return []
            default:
                // Cannot belong to a control sequence (a control character, text): the broken sequence is
                // dropped and the character is the user's.
                state = .ground
                return [.character(value)]
            }
        }
    }

    /// The terminal library decoded a key by itself (an arrow, a resize): a pending ESC was the Escape
    /// key, and a partial sequence cannot continue.
    public mutating func interrupt() -> [Output] {
        let wasEscape = state == .escape
        state = .ground
        return wasEscape ? [.escape] : []
    }

    /// Nothing more to read for now. A lone ESC is the Escape key (the terminal library already waited
    /// for what might follow it); a partial sequence stays pending for the next read.
    public mutating func endOfInput() -> [Output] {
        guard state == .escape else { return [] }
        state = .afterEscape
        return [.escape]
    }

    /// `< b ; x ; y` with final `M` (press) or `m` (release); nil for anything else, motion included.
    static func report(_ bytes: [UInt8], final: UInt32) -> MouseEvent? {
        guard final == 0x4D || final == 0x6D, bytes.first == 0x3C else { return nil }
        let fields = bytes.dropFirst().split(separator: 0x3B, omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        var numbers: [Int] = []
        for field in fields {
            guard !field.isEmpty, field.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
            numbers.append(field.reduce(0) { min(largestNumber, $0 * 10 + Int($1 - 0x30)) })
        }
        let code = numbers[0], x = numbers[1], y = numbers[2]
        guard x >= 1, y >= 1, code & 32 == 0 else { return nil }
        let button: MouseEvent.Button
        if code & 128 != 0 {
            button = .other
        } else if code & 64 != 0 {
            button = code & 3 == 0 ? .wheelUp : code & 3 == 1 ? .wheelDown : .other
        } else {
            button = [MouseEvent.Button.left, .middle, .right, .other][code & 3]
        }
        return MouseEvent(button: button, pressed: final == 0x4D, x: x - 1, y: y - 1)
    }
}

/// Tells a double click from two clicks: the second left press on the same cell within `interval`
/// seconds of the first counts 2 (a third starts again at 1). Times are whatever monotonic seconds the
/// caller reads, so this stays pure.
public struct ClickCounter: Sendable {
    public static let interval = 0.4
    private var last: (x: Int, y: Int, time: Double)?

    public init() {}

    public mutating func count(_ event: MouseEvent, at time: Double) -> MouseEvent {
        guard event.pressed, event.button == .left else { return event }
        var counted = event
        if let last, last.x == event.x, last.y == event.y, time >= last.time, time - last.time <= Self.interval {
            counted.clickCount = 2
            self.last = nil
        } else {
            self.last = (event.x, event.y, time)
        }
        return counted
    }
}

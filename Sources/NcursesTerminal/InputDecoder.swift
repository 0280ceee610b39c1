import CTerminalShim
import TerminalUI

/// What the bytes and key codes from ncurses mean to the app.
enum InputDecoder {
    /// A character from get_wch: control characters become keys; Ctrl-C is the interrupt request
    /// (raw mode turns it into a byte, not a signal).
    static func character(_ value: UInt32) -> TerminalInput? {
        switch value {
        case 3: return .signal(.interrupt)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(Unicode.Scalar(UInt8(value) + 0x60))))
        case 0..<0x20, 0x80..<0xA0: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .key(.character(Character(scalar)))
        }
    }

    /// A function key or a named key code (ST_INPUT_FUNCTION / ST_INPUT_KEY).
    static func key(kind: Int32, value: UInt32) -> Key? {
        if kind == Int32(ST_INPUT_FUNCTION) { return .function(Int(value)) }
        guard kind == Int32(ST_INPUT_KEY) else { return nil }
        switch Int32(value) {
        case Int32(ST_KEY_UP): return .up
        case Int32(ST_KEY_DOWN): return .down
        case Int32(ST_KEY_LEFT): return .left
        case Int32(ST_KEY_RIGHT): return .right
        case Int32(ST_KEY_HOME): return .home
        case Int32(ST_KEY_END): return .end
        case Int32(ST_KEY_PAGE_UP): return .pageUp
        case Int32(ST_KEY_PAGE_DOWN): return .pageDown
        case Int32(ST_KEY_DELETE): return .delete
        case Int32(ST_KEY_BACKSPACE): return .backspace
        case Int32(ST_KEY_BACK_TAB): return .backTab
        case Int32(ST_KEY_ENTER): return .enter
        default: return nil
        }
    }
}

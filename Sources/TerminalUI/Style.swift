/// A terminal colour: the terminal's default, one of the 256 indexed colours, or an RGB value that
/// the terminal layer maps to the nearest colour it can show.
public enum Color: Sendable, Hashable {
    case `default`
    case indexed(UInt8)
    case rgb(UInt8, UInt8, UInt8)

    public static let black = Color.indexed(0), red = Color.indexed(1), green = Color.indexed(2)
    public static let yellow = Color.indexed(3), blue = Color.indexed(4), magenta = Color.indexed(5)
    public static let cyan = Color.indexed(6), white = Color.indexed(7)
    public static let brightBlack = Color.indexed(8), brightRed = Color.indexed(9)
    public static let brightGreen = Color.indexed(10), brightYellow = Color.indexed(11)
    public static let brightBlue = Color.indexed(12), brightMagenta = Color.indexed(13)
    public static let brightCyan = Color.indexed(14), brightWhite = Color.indexed(15)

    /// The colour as 8-bit RGB (xterm's palette for indexed colours), for SVG output and for
    /// mapping down to 8 or 16 colours.
    public var rgbValue: (r: UInt8, g: UInt8, b: UInt8)? {
        switch self {
        case .default: return nil
        case .rgb(let r, let g, let b): return (r, g, b)
        case .indexed(let index): return Color.xtermRGB(index)
        }
    }

    static func xtermRGB(_ index: UInt8) -> (r: UInt8, g: UInt8, b: UInt8) {
        let base16: [(UInt8, UInt8, UInt8)] = [
            (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
            (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
            (255, 0, 255), (0, 255, 255), (255, 255, 255),
        ]
        if index < 16 { return base16[Int(index)] }
        if index >= 232 {
            let level = UInt8(8 + Int(index - 232) * 10)
            return (level, level, level)
        }
        let cube = Int(index) - 16
        let steps: [UInt8] = [0, 95, 135, 175, 215, 255]
        return (steps[cube / 36], steps[(cube / 6) % 6], steps[cube % 6])
    }
}

/// How one cell looks. `Hashable` so the terminal layer can cache colour pairs.
public struct Style: Sendable, Hashable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var underline: Bool
    public var reverse: Bool
    public var dim: Bool

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                underline: Bool = false, reverse: Bool = false, dim: Bool = false) {
        self.foreground = foreground; self.background = background; self.bold = bold
        self.underline = underline; self.reverse = reverse; self.dim = dim
    }

    public static let plain = Style()

    /// The same style without colours: what a monochrome terminal (or NO_COLOR) shows.
    /// Emphasis survives so selection and headers stay visible.
    public var monochrome: Style {
        Style(bold: bold, underline: underline, reverse: reverse, dim: dim)
    }
}

import TerminalUI

/// Maps TerminalUI colours onto the colour numbers a terminal actually has.
struct ColorMapping {
    /// 0, 8, 16 or 256.
    let colors: Int
    /// `use_default_colors` worked, so -1 means "the terminal's own colour".
    let hasDefaultColors: Bool

    /// The ncurses colour number for `color`. On 8-colour terminals a bright foreground becomes the
    /// base colour plus bold (`bright`), which is how such terminals show bright text.
    func number(for color: Color, foreground: Bool) -> (number: Int32, bright: Bool) {
        switch color {
        case .default:
            return (hasDefaultColors ? -1 : (foreground ? 7 : 0), false)
        case .indexed(let index) where Int(index) < colors:
            return (Int32(index), false)
        case .indexed(let index) where index < 16:
            return (Int32(index - 8), foreground)
        default:
            guard let rgb = color.rgbValue else { return (-1, false) }
            return nearest(rgb, foreground: foreground)
        }
    }

    private func nearest(_ rgb: (r: UInt8, g: UInt8, b: UInt8), foreground: Bool) -> (number: Int32, bright: Bool) {
        if colors >= 256 { return (Int32(Self.nearest256(rgb)), false) }
        // Among the 16 ANSI colours, as xterm draws them.
        var best = 0, bestDistance = Int.max
        for index in 0..<16 {
            let d = Self.distance(rgb, Color.indexed(UInt8(index)).rgbValue!)
            if d < bestDistance { best = index; bestDistance = d }
        }
        if colors >= 16 || best < 8 { return (Int32(best), false) }
        return (Int32(best - 8), foreground)
    }

    /// The closest entry of xterm's 6x6x6 cube (16...231) or grey ramp (232...255). The first 16
    /// are left out: users recolour them, so they are not a reliable match for an exact RGB.
    static func nearest256(_ rgb: (r: UInt8, g: UInt8, b: UInt8)) -> Int {
        let steps = [0, 95, 135, 175, 215, 255]
        func step(_ v: UInt8) -> Int {
            var best = 0
            for i in 1..<steps.count where abs(steps[i] - Int(v)) < abs(steps[best] - Int(v)) { best = i }
            return best
        }
        let (ri, gi, bi) = (step(rgb.r), step(rgb.g), step(rgb.b))
        let cube = 16 + 36 * ri + 6 * gi + bi
        let cubeRGB = (UInt8(steps[ri]), UInt8(steps[gi]), UInt8(steps[bi]))
        let average = (Int(rgb.r) + Int(rgb.g) + Int(rgb.b)) / 3
        let greyIndex = min(23, max(0, (average - 8 + 5) / 10))
        let level = UInt8(8 + greyIndex * 10)
        return distance(rgb, (level, level, level)) < distance(rgb, cubeRGB) ? 232 + greyIndex : cube
    }

    static func distance(_ a: (r: UInt8, g: UInt8, b: UInt8), _ b: (r: UInt8, g: UInt8, b: UInt8)) -> Int {
        let dr = Int(a.r) - Int(b.r), dg = Int(a.g) - Int(b.g), db = Int(a.b) - Int(b.b)
        return dr * dr + dg * dg + db * db
    }
}

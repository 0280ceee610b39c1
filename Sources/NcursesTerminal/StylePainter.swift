import CTerminalShim
import TerminalUI

/// Turns a Style into ncurses attribute bits and a colour pair, allocating pairs on first use.
/// Pairs are never redefined: changing one would recolour cells already on screen.
struct StylePainter {
    private struct PairKey: Hashable { var foreground: Int32; var background: Int32 }

    private let mapping: ColorMapping
    private let maxPairs: Int32
    private var styles: [Style: (attributes: UInt32, pair: Int32)] = [:]
    private var pairs: [PairKey: Int32] = [:]
    private var nextPair: Int32 = 1

    init(mapping: ColorMapping, maxPairs: Int32) {
        self.mapping = mapping
        self.maxPairs = maxPairs
    }

    mutating func paint(_ style: Style) -> (attributes: UInt32, pair: Int32) {
        if let known = styles[style] { return known }
        var attributes: UInt32 = 0
        if style.bold { attributes |= UInt32(ST_ATTR_BOLD) }
        if style.underline { attributes |= UInt32(ST_ATTR_UNDERLINE) }
        if style.reverse { attributes |= UInt32(ST_ATTR_REVERSE) }
        if style.dim { attributes |= UInt32(ST_ATTR_DIM) }
        var pair: Int32 = 0
        if mapping.colors > 0 {
            let foreground = mapping.number(for: style.foreground, foreground: true)
            let background = mapping.number(for: style.background, foreground: false)
            if foreground.bright { attributes |= UInt32(ST_ATTR_BOLD) }
            pair = self.pair(PairKey(foreground: foreground.number, background: background.number))
        }
        styles[style] = (attributes, pair)
        return (attributes, pair)
    }

    private mutating func pair(_ key: PairKey) -> Int32 {
        let defaults = mapping.hasDefaultColors ? PairKey(foreground: -1, background: -1)
                                                : PairKey(foreground: 7, background: 0)
        if key == defaults { return 0 }
        if let known = pairs[key] { return known }
        // Out of pairs: fall back to the default colours rather than recolouring the screen.
        guard nextPair < maxPairs, st_init_pair(nextPair, key.foreground, key.background) == 0 else { return 0 }
        pairs[key] = nextPair
        nextPair += 1
        return nextPair - 1
    }
}

import TerminalUI

/// What a click lands on. Screens record these where they draw, so hit-testing uses the same layout as
/// the picture and nothing recomputes geometry.
public enum HitTarget: Sendable, Equatable {
    case tab(Panel)
    /// A row of the current list, by its position among the shown rows.
    case row(position: Int)
    /// A key written in a dialog or form ("y confirms", "Esc cancel"): a click presses it.
    case button(Key)
    /// An entry of the row action menu.
    case menuItem(Int)
}

public struct HitRegion: Sendable, Equatable {
    public var rect: Rect
    public var target: HitTarget
}

/// The clickable places of one frame, in drawing order (later ones lie on top).
public struct ScreenRegions: Sendable, Equatable {
    public var regions: [HitRegion] = []

    public init() {}

    mutating func add(_ rect: Rect, _ target: HitTarget) {
        guard !rect.isEmpty else { return }
        regions.append(HitRegion(rect: rect, target: target))
    }

    /// The topmost target at a cell.
    public func target(atX x: Int, y: Int) -> HitTarget? {
        regions.last { x >= $0.rect.x && x < $0.rect.maxX && y >= $0.rect.y && y < $0.rect.maxY }?.target
    }

    /// Where a target was drawn.
    public func rect(of target: HitTarget) -> Rect? {
        regions.last { $0.target == target }?.rect
    }
}

extension Painter {
    /// Writes hint segments joined by the separator ("y confirms · any other key cancels"), each a button
    /// for its key (a segment without one is only text); the text is what one `text` call of the joined string would write.
    mutating func buttons(_ segments: [(String, Key?)], x: Int, y: Int, width: Int, style: Style) {
        let separator = glyphs.separator
        text(segments.map(\.0).joined(separator: separator), x: x, y: y, width: width, style: style)
        var at = x
        for (label, key) in segments {
            let labelWidth = DisplayWidth.of(label)
            let visible = min(labelWidth, x + width - at)
            if visible > 0, let key { regions.add(Rect(x: at, y: y, width: visible, height: 1), .button(key)) }
            at += labelWidth + DisplayWidth.of(separator)
        }
    }
}

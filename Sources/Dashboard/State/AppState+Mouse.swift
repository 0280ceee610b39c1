import TerminalUI

/// Clicks and the wheel. What lies under the pointer comes from the frame's own layout
/// (`DashboardView.regions`), so a click means what the user sees there.
extension AppState {
    /// Rows one wheel notch moves, as most terminals scroll.
    public static let wheelStep = 3

    mutating func handleMouse(_ event: MouseEvent) -> [Effect] {
        // The wall takes no clicks; while the bottom line is being typed into, clicks do not interrupt it.
        guard wall == nil, !isTooSmall, input == .normal else { return [] }
        notice = nil
        consoleTakeover = nil
        switch event.button {
        case .wheelUp, .wheelDown:
            return wheel(down: event.button == .wheelDown)
        case .left, .right:
            guard event.pressed else { return [] }
        case .middle, .other:
            return []
        }
        let target = DashboardView.regions(self).target(atX: event.x, y: event.y)
        switch topOverlay {
        case .actionMenu?:
            if case .menuItem(let index)? = target { return runMenuItem(index) }
            overlays.removeLast()  // a click anywhere else closes the menu
            return []
        case .confirm?, .form?:
            // Only the dialog's own buttons answer; a stray click beside it neither confirms nor cancels.
            if event.button == .left, case .button(let key)? = target { return handleKey(key) }
            return []
        default:
            break
        }
        switch target {
        case .tab(let target)?:
            status = nil
            switchPanel(to: target)
        case .row(let position)? where topOverlay == nil:
            let height = listBodyHeight
            tables[panel]?.setCursor(position)
            tables[panel]?.scrollToCursor(height: height)
            status = nil
            if event.button == .right { return openRowMenu(atX: event.x, y: event.y) }
            if event.clickCount >= 2 { return perform(.openDetails) }
        case .button(let key)?:
            return handleKey(key)
        default:
            break
        }
        return []
    }

    /// A notch moves the cursor (a list, the menu) or scrolls (help, details, logs) by `wheelStep`.
    private mutating func wheel(down: Bool) -> [Effect] {
        switch topOverlay {
        case .actionMenu(var menu)?:
            menu.cursor = max(0, min(menu.items.count - 1, menu.cursor + (down ? 1 : -1)))
            overlays[overlays.count - 1] = .actionMenu(menu)
        case .confirm?, .form?:
            break
        case .consoleLog?:
            for _ in 0..<Self.wheelStep { _ = handleKey(down ? .down : .up) }
        default:
            for _ in 0..<Self.wheelStep { move(down ? .down : .up) }
        }
        return []
    }
}

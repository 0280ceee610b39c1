import StacktopModel
import StacktopServices
import TerminalUI

/// Draws the whole screen from the state. Pure: the same state always gives the same cells, which
/// is what makes every screen a text snapshot test.
public enum DashboardView {
    public static func render(_ state: AppState) -> CellBuffer {
        paint(state).buffer
    }

    /// Where the frame `render` draws put its tabs, rows and buttons: what a click at a cell means.
    public static func regions(_ state: AppState) -> ScreenRegions {
        paint(state).regions
    }

    static func paint(_ state: AppState) -> Painter {
        var painter = Painter(size: state.size, theme: state.theme, glyphs: state.glyphs)
        if state.isTooSmall {
            TooSmallScreen.draw(state, into: &painter)
            return painter
        }
        let full = Rect(x: 0, y: 0, width: state.size.width, height: state.size.height)
        if let wall = state.wall {
            WallScreen.draw(state, wall: wall, in: full, into: &painter)
            painter.regions = ScreenRegions()  // the wall takes no clicks
            return painter
        }
        let (titleRow, belowTitle) = full.splitTop(1)
        let (tabRow, belowTabs) = belowTitle.splitTop(1)
        let (content, bottom) = belowTabs.splitBottom(2)
        Chrome.drawTitleBar(state, in: titleRow, into: &painter)
        Chrome.drawTabs(state, in: tabRow, into: &painter)
        drawContent(state, in: content, into: &painter)
        CommandPaletteView.draw(state, aboveRow: bottom.y, into: &painter)
        Chrome.drawStatusLine(state, y: bottom.y, into: &painter)
        Chrome.drawInputLine(state, y: bottom.y + 1, into: &painter)
        state.glyphs.asciiOnly(&painter.buffer)
        return painter
    }

    static func drawContent(_ state: AppState, in rect: Rect, into painter: inout Painter) {
        switch state.topOverlay {
        case .details(let panel, let id, let scroll):
            DetailsScreen.draw(state, panel: panel, id: id, scroll: scroll, in: rect, into: &painter)
        case .raw(_, let name, let text, let scroll):
            RawScreen.draw(name: name, text: text, scroll: scroll, in: rect, into: &painter,
                           title: name + state.glyphs.separator + state.backend.rawDefinitionTitle)
        case .help(let pane):
            HelpScreen.draw(state, pane: pane, in: rect, into: &painter)
        case .messages(let scroll):
            MessagesScreen.draw(state.messages, scroll: scroll, utcOffsetSeconds: state.utcOffsetSeconds, in: rect, into: &painter)
        case .confirm(let pending):
            // The dialog sits over what it is about, so the user still sees the rows it will touch.
            var underneath = state
            underneath.overlays.removeLast()
            drawContent(underneath, in: rect, into: &painter)
            painter.regions = ScreenRegions()  // only the dialog answers clicks
            ConfirmDialog.draw(pending, over: rect, into: &painter)
        case .audit(let records, let scroll):
            AuditScreen.draw(records, scroll: scroll, in: rect, into: &painter)
        case .consoleLog(let pane):
            ConsoleLogScreen.draw(pane, in: rect, into: &painter)
        case .vnc(let name, let lines):
            RawScreen.draw(name: name, text: lines.joined(separator: "\n"), scroll: 0, in: rect, into: &painter,
                           title: "VNC display" + state.glyphs.separator + name)
        case .topology(let scroll):
            RawScreen.draw(name: "Topology", text: Topology.lines(state.snapshot, glyphs: state.glyphs).joined(separator: "\n"),
                           scroll: scroll, in: rect, into: &painter, title: "Topology" + state.glyphs.separator + "networks and their instances")
        case .contexts(let cursor):
            ContextsScreen.draw(state, cursor: cursor, in: rect, into: &painter)
        case .form(let form):
            var underneath = state
            underneath.overlays.removeLast()
            drawContent(underneath, in: rect, into: &painter)
            painter.regions = ScreenRegions()
            FormScreen.draw(form, over: rect, into: &painter)
        case .actionMenu(let menu):
            var underneath = state
            underneath.overlays.removeLast()
            drawContent(underneath, in: rect, into: &painter)
            painter.regions = ScreenRegions()
            RowMenuScreen.draw(menu, readOnly: state.readOnly, over: rect, into: &painter)
        case nil:
            if state.panel == .overview {
                OverviewScreen.draw(state, in: rect, into: &painter)
            } else {
                ListScreen.draw(state, in: rect, into: &painter)
            }
        }
    }
}

enum TooSmallScreen {
    static func draw(_ state: AppState, into painter: inout Painter) {
        let lines = [
            "Terminal too small: \(state.size.width)x\(state.size.height).",
            "stacktop needs at least \(AppState.minimumSize.width)x\(AppState.minimumSize.height).",
            "Enlarge the window, or press q to quit.",
        ]
        let top = max(0, (state.size.height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let width = min(DisplayWidth.of(line), state.size.width)
            painter.text(line, x: max(0, (state.size.width - width) / 2), y: top + offset, width: width,
                         role: offset == 0 ? .statusError : .text)
        }
    }
}

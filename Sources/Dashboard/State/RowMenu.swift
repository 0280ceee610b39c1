import StacktopModel
import StacktopServices
import TerminalUI

/// The row action menu (`a`, or a right click on a row): the actions the row's state allows, each with
/// the key that runs it. Choosing one runs exactly what its key runs (same gate, same confirmation).
public struct RowMenu: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public var command: Command
        public var key: Key
        public var title: String
        /// Read-only refuses it: listed greyed with "(read-only)", as the help lists it.
        public var refused: Bool
    }

    /// The row's name.
    public var title: String
    public var items: [Item]
    public var cursor: Int
    /// The cell the menu hangs from: the row it is about (below it, or above when there is no room).
    public var anchorX: Int
    public var anchorY: Int
}

/// Which instance actions make sense in which state, for the menu only: the backend's own rules (see
/// LocalBackend's InstanceActionRules, Nova's state checks) still decide, and refuse with a sentence.
/// An action not named here (resize, snapshot, attach…) is offered in every state.
enum InstanceStateRules {
    static func offers(_ action: ActionKind, state: InstanceState, locked: Bool) -> Bool {
        if locked { return action == .unlock }
        switch action {
        case .start: return [.shutoff, .crashed].contains(state)
        case .stop, .reboot, .pause: return state == .running
        case .powerOff, .hardReboot: return [.running, .paused, .shutdown].contains(state)
        case .unpause: return state == .paused
        case .suspend: return [.running, .paused].contains(state)
        case .resume: return state == .suspended
        case .lock: return true
        case .unlock: return false
        case .rename: return [.shutoff, .crashed].contains(state)
        default: return state != .building
        }
    }

    /// The serial console and VNC need a guest that runs; its console log can be read any time.
    static func offers(_ command: Command, state: InstanceState) -> Bool {
        switch command {
        case .console, .vnc: [.running, .paused].contains(state)
        default: true
        }
    }
}

extension AppState {
    /// The menu's entries for a row of the current list, in the help's order: its actions, then (for an
    /// instance) console, console log and VNC.
    func rowMenuItems(rowID: String) -> [RowMenu.Item] {
        guard let kind = panel.resourceKind else { return [] }
        let instance = kind == .instance ? snapshot?.instances.first { $0.id == rowID } : nil
        if kind == .instance, instance == nil { return [] }  // a launch still building has no actions yet
        var items: [RowMenu.Item] = []
        for action in offeredActions where ![.create, .upload].contains(action) {
            guard let key = action.traits.key else { continue }
            if let instance, !InstanceStateRules.offers(action, state: instance.state, locked: instance.locked) { continue }
            items.append(RowMenu.Item(command: .action(action), key: .character(key), title: action.traits.title,
                                      refused: readOnly))
        }
        if let instance {
            for binding in KeyMap.consoleBindings(kind: kind) where binding.command != .takeOverConsole {
                guard InstanceStateRules.offers(binding.command, state: instance.state), let key = binding.keys.first else { continue }
                let title = binding.command == .console ? "Serial console" : binding.command == .vnc ? "VNC display" : "Console log"
                items.append(RowMenu.Item(command: binding.command, key: key, title: title,
                                          refused: readOnly && binding.command.refusedWhenReadOnly))
            }
        }
        return items
    }

    /// Opens the menu for the selected row, hanging from the cell (`x`, `y`); nil: where the row is drawn.
    mutating func openRowMenu(atX x: Int? = nil, y: Int? = nil) -> [Effect] {
        // From the details of an item, the menu is that item's (its actions then act on it, as its keys do).
        var details: String?
        if case .details(let detailsPanel, let id, _)? = topOverlay, detailsPanel == panel { details = id }
        guard let model = tables[panel], let rowID = details ?? model.selectedID else {
            status = StatusMessage("Select a row first; the actions menu lists what can be done to the selected row.", isError: true)
            return []
        }
        let name = panel.name(of: rowID, in: snapshot) ?? rowID
        let items = rowMenuItems(rowID: rowID)
        guard !items.isEmpty else {
            status = StatusMessage("Nothing can be done to \(name) in its present state from here.", isError: true)
            return []
        }
        var anchor = (x: x ?? 2, y: y ?? 2)
        if x == nil, details == nil, let rect = DashboardView.regions(self).rect(of: .row(position: model.cursor)) {
            anchor = (rect.x + 2, rect.y)
        }
        overlays.append(.actionMenu(RowMenu(title: name, items: items, cursor: 0, anchorX: anchor.x, anchorY: anchor.y)))
        return []
    }

    /// Keys while the menu is open: ↑↓ choose, Enter or an entry's own key runs it, Esc closes.
    mutating func handleMenuKey(_ key: Key, menu: RowMenu) -> [Effect] {
        var menu = menu
        switch KeyMap.command(for: key, in: .menu) {
        case .up?: menu.cursor = max(0, menu.cursor - 1)
        case .down?: menu.cursor = min(menu.items.count - 1, menu.cursor + 1)
        case .top?, .pageUp?: menu.cursor = 0
        case .bottom?, .pageDown?: menu.cursor = menu.items.count - 1
        case .confirmYes?: return runMenuItem(menu.cursor)
        case .back?:
            overlays.removeLast()
            return []
        default:
            if let index = menu.items.firstIndex(where: { $0.key == key }) { return runMenuItem(index) }
            if key == .ctrl("c") { quitRequested = true; return [.quit] }
            status = StatusMessage("\(key.label) is not in this menu; choose with \(glyphs.label(.up))\(glyphs.label(.down)) and Enter, or press Esc.")
            return []
        }
        overlays[overlays.count - 1] = .actionMenu(menu)
        return []
    }

    /// Closes the menu and does what the entry's key does.
    mutating func runMenuItem(_ index: Int) -> [Effect] {
        guard case .actionMenu(let menu)? = topOverlay, menu.items.indices.contains(index) else { return [] }
        overlays.removeLast()
        status = nil
        return perform(menu.items[index].command)
    }
}

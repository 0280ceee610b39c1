import StacktopModel
import StacktopServices
import TerminalUI

/// Serial console, console log and VNC from the dashboard. The terminal hand-over itself happens in
/// the runner (`.openConsole`); here is only who is asked for and whether it is allowed.
extension AppState {
    /// The instance a console command means: the named one, else the open details, else the selection.
    func consoleTarget(named name: String?) -> Instance? {
        guard let instances = snapshot?.instances else { return nil }
        if let name { return instances.first { $0.name == name } ?? instances.first { $0.id == name } }
        if case .details(.instances, let id, _)? = topOverlay { return instances.first { $0.id == id } }
        guard panel == .instances, let id = tables[.instances]?.selectedID else { return nil }
        return instances.first { $0.id == id }
    }

    mutating func openConsole(named name: String?) -> [Effect] {
        guard let instance = consoleTarget(named: name) else { return noInstance(name, for: "the serial console") }
        // Typing into a guest's console changes the guest: not in read-only mode.
        if readOnly {
            status = StatusMessage("Refused to open the serial console of \(instance.name): stacktop is read-only "
                                   + "(the console log, T, is safe to read).", isError: true)
            return []
        }
        status = StatusMessage("Opening the serial console of \(instance.name); \(consoleEscapeLabel) comes back here" + glyphs.dots)
        return [.openConsole(instanceID: instance.id, name: instance.name, force: false)]
    }

    mutating func openConsoleLog(named name: String?) -> [Effect] {
        guard let instance = consoleTarget(named: name) else { return noInstance(name, for: "a console log") }
        overlays.append(.consoleLog(ConsoleLogPane(instanceID: instance.id, name: instance.name)))
        return [.loadConsoleLog(instanceID: instance.id)]
    }

    mutating func openVNC(named name: String?) -> [Effect] {
        guard let instance = consoleTarget(named: name) else { return noInstance(name, for: "a VNC display") }
        if readOnly {
            status = StatusMessage("Refused to open the VNC display of \(instance.name): stacktop is read-only.", isError: true)
            return []
        }
        status = StatusMessage("Looking up the VNC display of \(instance.name)" + glyphs.dots)
        return [.openVNC(instanceID: instance.id, name: instance.name)]
    }

    private mutating func noInstance(_ name: String?, for what: String) -> [Effect] {
        let text = name.map { "No instance named \"\($0)\"; check the Instances panel (2)." }
            ?? "Select an instance on the Instances panel (2) to open \(what)."
        status = StatusMessage(text, isError: true)
        return []
    }

    mutating func consoleLogLoaded(instanceID: String, text: String) {
        guard let index = overlays.lastIndex(where: {
            if case .consoleLog(let pane) = $0 { return pane.instanceID == instanceID }
            return false
        }), case .consoleLog(var pane) = overlays[index] else { return }
        pane.text = text
        overlays[index] = .consoleLog(pane)
    }

    /// Keys in the console-log pane: ↑↓ PgUp PgDn scroll back (G follows again), `/` searches.
    mutating func handleConsoleLogKey(_ key: Key, pane: ConsoleLogPane) -> [Effect]? {
        var pane = pane
        if pane.searching {
            switch key {
            case .enter: pane.searching = false
            case .escape: pane.searching = false; pane.search = ""
            case .backspace: pane.search = String(pane.search.dropLast())
            case .character(let character): pane.search.append(character)
            default: return []
            }
            overlays[overlays.count - 1] = .consoleLog(pane)
            return []
        }
        let page = max(1, listBodyHeight - 1)
        switch key {
        case .character("/"): pane.searching = true; pane.search = ""
        case .up, .character("k"): pane.scrollFromEnd += 1
        case .down, .character("j"): pane.scrollFromEnd = max(0, pane.scrollFromEnd - 1)
        case .pageUp, .ctrl("b"): pane.scrollFromEnd += page
        case .pageDown, .ctrl("f"): pane.scrollFromEnd = max(0, pane.scrollFromEnd - page)
        case .character("G"), .end: pane.scrollFromEnd = 0
        case .character("g"), .home: pane.scrollFromEnd = Int.max / 2
        case .escape where !pane.search.isEmpty: pane.search = ""
        default: return nil  // not the pane's: the key map decides (Esc closes, q closes, ? helps)
        }
        overlays[overlays.count - 1] = .consoleLog(pane)
        return []
    }
}

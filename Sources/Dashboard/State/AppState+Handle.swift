import StacktopModel
import StacktopServices
import TerminalUI

extension AppState {
    /// Applies one event and returns what the outside world must do. The only place state changes.
    public mutating func handle(_ event: AppEvent) -> [Effect] {
        if case .clock(let now, let offset) = event {
            refresh.clock = now
            let due = now >= refresh.nextRefresh
            var effects = schedule(clockTicks(now, utcOffsetSeconds: offset), after: event)
            if due, startRead(queueIfBusy: false), !effects.contains(.refresh) { effects.append(.refresh) }
            return effects
        }
        return schedule(reduce(event), after: event)
    }

    private mutating func reduce(_ event: AppEvent) -> [Effect] {
        switch event {
        case .started:
            return [.refresh, .subscribeEvents]
        case .clock:
            return []
        case .key(let key):
            notice = nil
            if wall != nil { return handleWallKey(key) }
            if let offer = consoleTakeover {
                // The offer lasts one key: F takes the console over, anything else goes on as usual.
                consoleTakeover = nil
                if KeyMap.command(for: key, in: .consoleTakeover) == .takeOverConsole {
                    return [.openConsole(instanceID: offer.instanceID, name: offer.name, force: true)]
                }
            }
            return handleKey(key)
        case .mouse(let event):
            return handleMouse(event)
        case .resize(let newSize):
            size = newSize
            keepCursorsVisible()
            return []
        case .snapshotLoaded(var snapshot, let origin):
            // A cached snapshot never replaces live data that already arrived.
            if origin == .cached, self.origin == .live { return [] }
            liveStatistics.ingest(&snapshot, live: origin == .live)
            let previous = self.origin == .live ? self.snapshot : nil
            let wasStaleSince = staleSince
            apply(snapshot)
            self.origin = origin
            if origin == .live {
                clearLoadProgress()
                staleSince = nil; lastError = nil; failedRefreshes = 0; retryWaitsForUser = false
                wallRecordLive(snapshot, previous: previous, wasStaleSince: wasStaleSince)
                return readFinished(snapshot)
            }
            return []
        case .snapshotPartial(let partial):
            return partialArrived(partial)
        case .loadFailed(let message, let waitsForUser):
            clearLoadProgress()
            lastError = message
            failedRefreshes += 1
            retryWaitsForUser = waitsForUser
            wallRecordFailure(message, firstFailure: staleSince == nil)
            if staleSince == nil { staleSince = now }
            return readFinished(nil)
        case .backend(let backendEvent):
            return handleBackendEvent(backendEvent)
        case .rawDefinitionLoaded(let id, let text):
            replaceRaw(id: id) { .raw(id: id, name: $0, text: text, scroll: 0) }
            return []
        case .rawDefinitionFailed(let id, let message):
            if case .raw(let rawID, _, _, _)? = topOverlay, rawID == id { overlays.removeLast() }
            status = StatusMessage(message, isError: true)
            return []
        case .themeLoaded(let newTheme):
            theme = newTheme
            status = StatusMessage("Theme \(newTheme.name) applied.")
            return []
        case .themeFailed(let message):
            status = StatusMessage(message, isError: true)
            return []
        case .tick(let date):
            return reduceTick(date)
        case .actionProgress(let request, let text):
            if actionsInFlight.contains(request) { status = StatusMessage(text) }
            return []
        case .actionFinished(let request, let message, let failed):
            return actionFinished(request, message: message, failed: failed)
        case .auditLoaded(let records):
            auditLoaded(records)
            return []
        case .auditFailed(let message):
            if case .audit? = topOverlay { overlays.removeLast() }
            status = StatusMessage(message, isError: true)
            return []
        case .consoleClosed(let message, let failed):
            status = StatusMessage(message, isError: failed)
            return [.redrawAll, .refresh]
        case .consoleBusy(let id, let name, let message):
            status = StatusMessage(message, isError: true)
            consoleTakeover = ConsoleTakeover(instanceID: id, name: name)
            return []
        case .consoleLogLoaded(let id, let text):
            consoleLogLoaded(instanceID: id, text: text)
            return []
        case .consoleLogFailed(let id, let message):
            if case .consoleLog(let pane)? = topOverlay, pane.instanceID == id { overlays.removeLast() }
            status = StatusMessage(message, isError: true)
            return []
        case .backendEventsEnded:
            refresh.resubscribeEvents = true
            return []
        case .contextSwitching, .contextOpened, .contextFailed:
            return reduceContextEvent(event)
        case .capabilitiesChanged(let offered):
            capabilities = readOnly ? .none : offered
            capabilitiesWhenWritable = offered
            return []
        case .vncResult(let name, let lines, let failed):
            status = failed ? StatusMessage(lines.first ?? "The VNC display of \(name) could not be opened.", isError: true) : nil
            if !failed || lines.count > 1 { overlays.append(.vnc(name: name, lines: lines)) }
            return []
        }
    }

    mutating func reduceTick(_ date: Date) -> [Effect] {
        now = date
        wallTick()
        return []
    }

    /// - Parameter rebuild: rebuild the tables even when the data did not change (a launch's Building row leaves).
    /// - Parameter piece: a piece of a read under way (`TableModel.setRows(_:followingSelection:)`).
    mutating func apply(_ snapshot: CloudSnapshot, rebuild: Bool = false, piece: Bool = false) {
        // The usual idle refresh finds nothing new: then no table is rebuilt and nothing counted again (at
        // 10,000 rows that is most of what a refresh costs on screen). Launches in flight show as rows, so
        // while one is, the tables are rebuilt anyway.
        let sameData = self.snapshot?.hasSameData(as: snapshot) ?? false
        self.snapshot = snapshot
        if sameData, !rebuild, !actionsInFlight.contains(where: { $0.kind == .instance && $0.action == .create }) { return }
        counts = SnapshotCounts(snapshot)
        let shown = withLaunchesInFlight(snapshot)
        for panel in Panel.allCases where needsTable(panel) {
            guard let table = panel.table else { continue }
            tables[panel]?.setRows(table.rows(shown), followingSelection: !piece)
        }
        keepCursorsVisible()
        // Details of something that vanished cannot stay open.
        overlays.removeAll { overlay in
            if case .details(let panel, let id, _) = overlay {
                return panel.table?.details(snapshot, id) == nil
            }
            return false
        }
    }

    private mutating func handleBackendEvent(_ event: BackendEvent) -> [Effect] {
        switch event {
        case .instanceStateChanged(let id, let name, let state):
            guard var snapshot, let index = snapshot.instances.firstIndex(where: { $0.id == id }) else {
                return [.refresh]
            }
            wallRecordStateChange(name: name, from: snapshot.instances[index].state, to: state)
            snapshot.instances[index].state = state
            apply(snapshot)
            status = StatusMessage("\(name) is now \(state.label.lowercased()).")
            return []
        case .instancesChanged:
            return [.refresh]
        case .connectionLost(let message):
            lastError = message
            wallRecordFailure(message, firstFailure: staleSince == nil)
            if staleSince == nil { staleSince = now }
            return [.refresh]
        }
    }

    private mutating func replaceRaw(id: String, _ make: (String) -> Overlay) {
        guard let index = overlays.lastIndex(where: {
            if case .raw(let rawID, _, _, _) = $0 { return rawID == id }
            return false
        }), case .raw(_, let name, _, _) = overlays[index] else { return }
        overlays[index] = make(name)
    }

    private mutating func scrollSelectedIntoView() {
        let height = listBodyHeight
        tables[panel]?.scrollToCursor(height: height)
    }

    mutating func keepCursorsVisible() {
        let height = listBodyHeight
        for panel in Array(tables.keys) { tables[panel]?.scrollToCursor(height: height) }
    }

    // MARK: keys

    mutating func handleKey(_ key: Key) -> [Effect] {
        switch input {
        case .filter(let text): return handleFilterKey(key, text: text)
        case .command(let text): return handleCommandKey(key, text: text)
        case .normal: break
        }
        if case .confirm(let pending)? = topOverlay { return handleConfirmKey(key, pending: pending) }
        if case .help(let pane)? = topOverlay, let effects = handleHelpKey(key, pane: pane) { return effects }
        if case .form(let form)? = topOverlay { return handleFormKey(key, form: form) }
        if case .actionMenu(let menu)? = topOverlay { return handleMenuKey(key, menu: menu) }
        if case .consoleLog(let pane)? = topOverlay, let effects = handleConsoleLogKey(key, pane: pane) { return effects }
        if case .contexts(let cursor)? = topOverlay, let effects = handleContextsKey(key, cursor: cursor) { return effects }
        if key == .ctrl("c") { quitRequested = true; return [.quit] }
        let kind = (topOverlay?.detailsPanel ?? panel).resourceKind
        guard let command = KeyMap.command(for: key, in: keyContext, actions: offeredActions, kind: kind) else {
            if !isTooSmall { status = StatusMessage("\(key.label) does nothing here; press ? for the keys of this screen.") }
            return []
        }
        status = nil
        return perform(command)
    }

    public mutating func perform(_ command: Command) -> [Effect] {
        switch command {
        case .quit:
            quitRequested = true
            return [.quit]
        case .refresh:
            if let context = contextToRetry { return retryContext(context) }
            status = StatusMessage(Self.refreshingText)
            // r reads everything, also what the backend reads less often while idle.
            refresh.fullReadAsked = true
            return [.refresh]
        case .redraw:
            return [.redrawAll]
        case .help:
            overlays.append(.help(HelpPane(context: keyContext)))
        case .showMessages:
            overlays.append(.messages(scroll: 0))
        case .suspend:
            return [.suspend]
        case .actionMenu:
            return openRowMenu()
        case .back:
            goBack()
        case .nextPanel, .previousPanel:
            let all = Panel.allCases
            let index = all.firstIndex(of: panel)!
            let step = command == .nextPanel ? 1 : all.count - 1
            switchPanel(to: all[(index + step) % all.count])
        case .panel(let target):
            switchPanel(to: target)
        case .up, .down, .top, .bottom, .pageUp, .pageDown:
            move(command)
        case .openDetails:
            guard let id = tables[panel]?.selectedID else { return [] }
            overlays.append(.details(panel: panel, id: id, scroll: 0))
        case .showRaw:
            return showRaw()
        case .startFilter:
            if case .help(var pane)? = topOverlay {
                pane.filtering = true
                overlays[overlays.count - 1] = .help(pane)
                return []
            }
            input = .filter(tables[panel]?.filter ?? "")
        case .startCommand:
            input = .command("")
        case .sortNext, .sortReverse:
            guard var model = tables[panel], let table = panel.table else { return [] }
            if command == .sortNext {
                model.sort(by: (model.sortColumn + 1) % table.columns.count, ascending: true)
            } else {
                model.sort(by: model.sortColumn, ascending: !model.sortAscending)
            }
            model.scrollToCursor(height: listBodyHeight)
            tables[panel] = model
            let direction = model.sortAscending ? "ascending" : "descending"
            let sorted = table.columns[model.sortColumn]
            status = StatusMessage("Sorted by \(sorted.title.isEmpty ? sorted.key : sorted.title), \(direction).")
        case .mark:
            tables[panel]?.toggleMark()
            tables[panel]?.moveCursor(by: 1)
            scrollSelectedIntoView()
        case .action(let action):
            return actionFromKey(action)
        case .showAudit:
            return showAudit()
        case .confirmYes:
            break
        case .console:
            return openConsole(named: nil)
        case .consoleLog:
            return openConsoleLog(named: nil)
        case .vnc:
            return openVNC(named: nil)
        case .takeOverConsole:
            // Only right after a busy console (handled before the screen's keys); here there is nothing to take.
            status = StatusMessage("No busy console to take over: press C on an instance first.", isError: true)
            return []
        }
        return []
    }

    mutating func switchPanel(to target: Panel) {
        panel = target
        overlays.removeAll()
    }

    private mutating func goBack() {
        if !overlays.isEmpty {
            overlays.removeLast()
        } else if let model = tables[panel], !model.filter.isEmpty {
            tables[panel]?.setFilter("")
            status = StatusMessage("Filter cleared.")
        }
    }

    mutating func move(_ command: Command) {
        let page = max(1, listBodyHeight - 1)
        if let top = topOverlay {
            // An overlay pages by its own height: help shows more lines than a list has rows.
            var page = page
            if case .help(let pane) = top { page = max(1, HelpContent.visibleLines(for: size, pane: pane) - 1) }
            let delta: Int
            switch command {
            case .up: delta = -1
            case .down: delta = 1
            case .pageUp: delta = -page
            case .pageDown: delta = page
            case .top: delta = Int.min / 2
            default: delta = Int.max / 2
            }
            overlays[overlays.count - 1] = top.scrolled(by: delta).clampingHelp(maximum: helpScrollLimit)
            return
        }
        guard var model = tables[panel] else { return }
        switch command {
        case .up: model.moveCursor(by: -1)
        case .down: model.moveCursor(by: 1)
        case .pageUp: model.moveCursor(by: -page)
        case .pageDown: model.moveCursor(by: page)
        case .top: model.setCursor(0)
        default: model.setCursor(model.count - 1)
        }
        model.scrollToCursor(height: listBodyHeight)
        tables[panel] = model
    }

    private mutating func showRaw() -> [Effect] {
        let id: String?
        if case .details(let detailPanel, let detailID, _)? = topOverlay {
            id = detailPanel == .instances ? detailID : nil
        } else {
            id = panel == .instances ? tables[panel]?.selectedID : nil
        }
        guard let id, let instance = snapshot?.instances.first(where: { $0.id == id }) else {
            status = StatusMessage("Raw definitions exist for instances only; select an instance and press y.", isError: true)
            return []
        }
        overlays.append(.raw(id: id, name: instance.name, text: nil, scroll: 0))
        return [.loadRawDefinition(id: id)]
    }

    // MARK: the bottom line's editors

    private mutating func handleFilterKey(_ key: Key, text: String) -> [Effect] {
        switch key {
        case .escape:
            input = .normal
            tables[panel]?.setFilter("")
        case .enter:
            input = .normal
            if let count = tables[panel]?.count { status = StatusMessage("\(count) rows match \"\(text)\".") }
        case .backspace:
            let shorter = String(text.dropLast())
            input = .filter(shorter)
            tables[panel]?.setFilter(shorter)
        case .character(let c):
            input = .filter(text + String(c))
            tables[panel]?.setFilter(text + String(c))
        case .ctrl("u"):
            input = .filter("")
            tables[panel]?.setFilter("")
        case .ctrl("c"):
            quitRequested = true
            return [.quit]
        default:
            break
        }
        scrollSelectedIntoView()
        return []
    }

    private mutating func handleCommandKey(_ key: Key, text: String) -> [Effect] {
        handlePaletteKey(key, text: text)
    }

    /// Runs what was typed after `:`.
    public mutating func runCommandLine(_ text: String) -> [Effect] {
        switch CommandLine.parse(text) {
        case .none:
            return []
        // What a key does too is done as the key does it.
        case .panel(let target):
            return perform(.panel(target))
        case .quit:
            return perform(.quit)
        case .help:
            return perform(.help)
        case .messages:
            return perform(.showMessages)
        case .refresh:
            return perform(.refresh)
        case .theme(let name):
            guard let name else {
                status = StatusMessage("Theme \(theme.name) is in use; type :theme NAME (default, light, high-contrast, mono) or a path.")
                return []
            }
            return [.loadTheme(nameOrPath: name)]
        case .filter(let text):
            tables[panel]?.setFilter(text)
        case .audit:
            return showAudit()
        case .topology:
            overlays.append(.topology(scroll: 0))
        case .project(let name):
            switchProject(to: name)
        case .context(let name):
            return context(named: name)
        case .fleet(let names):
            return openFleet(names)
        case .console(let name):
            return openConsole(named: name)
        case .consoleLog(let name):
            return openConsoleLog(named: name)
        case .vnc(let name):
            return openVNC(named: name)
        case .action(let command):
            return request(command)
        case .invalid(let sentence):
            status = StatusMessage(sentence, isError: true)
        case .unknown(let word):
            status = StatusMessage("Unknown command \":\(word)\"; press ? for the list of commands.", isError: true)
        }
        return []
    }
}

extension Overlay {
    func scrolled(by delta: Int) -> Overlay {
        func clamp(_ value: Int) -> Int { max(0, value) }
        switch self {
        case .details(let panel, let id, let scroll): return .details(panel: panel, id: id, scroll: clamp(scroll &+ delta))
        case .raw(let id, let name, let text, let scroll): return .raw(id: id, name: name, text: text, scroll: clamp(scroll &+ delta))
        case .audit(let records, let scroll): return .audit(records: records, scroll: clamp(scroll &+ delta))
        case .help(var pane):
            pane.scroll = clamp(pane.scroll &+ delta)
            return .help(pane)
        case .messages(let scroll): return .messages(scroll: clamp(scroll &+ delta))
        case .confirm, .form, .consoleLog, .actionMenu: return self
        case .vnc: return self
        case .topology(let scroll): return .topology(scroll: clamp(scroll &+ delta))
        case .contexts(let cursor): return .contexts(cursor: clamp(cursor &+ delta))
        }
    }

    /// The panel whose item the overlay shows in detail, if it is a details view.
    var detailsPanel: Panel? {
        if case .details(let panel, _, _) = self { return panel }
        return nil
    }
}

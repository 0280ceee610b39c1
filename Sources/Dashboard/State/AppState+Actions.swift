import StacktopModel
import StacktopServices
import TerminalUI

/// Mutations from the dashboard: one path from a key or a `:` command, through the capability check
/// and the confirmation gate, to a `.perform` effect.
extension AppState {
    /// The rows an action applies to: the marked ones (those the filter hides too, after the shown ones),
    /// else the selected one (or the open details). `hidden` names the marked rows the filter hides.
    func actionTargets() -> (panel: Panel, names: [String], hidden: [String])? {
        if case .details(let detailPanel, let id, _)? = topOverlay {
            return detailPanel.name(of: id, in: snapshot).map { (detailPanel, [$0], []) }
        }
        guard let model = tables[panel] else { return nil }
        guard !model.marked.isEmpty else {
            let names = model.selectedID.flatMap { panel.name(of: $0, in: snapshot) }.map { [$0] } ?? []
            return names.isEmpty ? nil : (panel, names, [])
        }
        let shown = model.markedInDisplayOrder
        let shownSet = Set(shown)
        let hiddenIDs = model.rows.map(\.id).filter { model.marked.contains($0) && !shownSet.contains($0) }
        let names = shown.compactMap { panel.name(of: $0, in: snapshot) }
        let hidden = hiddenIDs.compactMap { panel.name(of: $0, in: snapshot) }
        return names.isEmpty && hidden.isEmpty ? nil : (panel, names + hidden, hidden)
    }

    mutating func actionFromKey(_ action: ActionKind) -> [Effect] {
        if action == .create || action == .upload, let kind = (topOverlay?.detailsPanel ?? panel).resourceKind {
            return request(ActionCommand(request: ActionRequest(action: action, kind: kind, targets: [])))
        }
        guard let (targetPanel, names, hidden) = actionTargets(), let kind = targetPanel.resourceKind else {
            if readOnly, let kind = (topOverlay?.detailsPanel ?? panel).resourceKind {
                // Read-only is the first thing to say: selecting a row would not help.
                return request(ActionCommand(request: ActionRequest(action: action, kind: kind, targets: [])))
            }
            status = StatusMessage("Select a row first; \(action.traits.title.lowercased()) acts on the selected or marked rows.",
                                   isError: true)
            return []
        }
        return request(ActionCommand(request: ActionRequest(action: action, kind: kind, targets: names)), hiddenTargets: hidden)
    }

    /// A typed target that names nothing in the snapshot, said before any question: nil when all are there,
    /// or when the snapshot cannot tell (not loaded, the kind stale or not offered by the cloud, a kind
    /// with no list, a new name being created, `quota … default`), in which case the backend decides.
    func missingTargets(_ request: ActionRequest) -> String? {
        guard let snapshot, origin != .none, ![.create, .upload].contains(request.action), request.kind != .quota,
              let spec = KindSpec.of(request.kind), snapshot.unavailability(of: spec.title) == nil,
              !snapshot.staleParts.contains(where: { $0.what.lowercased() == spec.title.lowercased() }) else { return nil }
        let missing = request.targets.filter { !spec.holds(snapshot, $0) }
        guard !missing.isEmpty else { return nil }
        let names = missing.map { "\"\($0)\"" }
        let list = names.count == 1 ? names[0] : names.dropLast().joined(separator: ", ") + " or " + names.last!
        return "No \(request.kind.noun) named \(list) among the \(spec.title.lowercased()) read at "
            + "\(Format.clock(snapshot.takenAt)): nothing was asked or done. Check the name, or press r if it was just made."
    }

    /// Keys while a form is open: they edit it; Enter sends its request to the gate.
    mutating func handleFormKey(_ key: Key, form: FormState) -> [Effect] {
        var form = form
        switch form.handle(key) {
        case .cancelled:
            overlays.removeLast()
            status = StatusMessage("Cancelled: nothing was changed.")
            return []
        case .editing:
            overlays[overlays.count - 1] = .form(form)
            return []
        case .submitted:
            switch form.completedRequest() {
            case .failure(let error):
                form.error = error.message
                overlays[overlays.count - 1] = .form(form)
                return []
            case .success(let request):
                overlays.removeLast()
                return self.request(ActionCommand(request: request), skipForm: true)
            }
        }
    }

    /// The gate every mutation passes: read-only, capability, the form for what is missing, then confirmation.
    mutating func request(_ command: ActionCommand, skipForm: Bool = false, hiddenTargets: [String] = []) -> [Effect] {
        var request = command.request
        if request.project == nil { request.project = backend.currentProject }
        if readOnly {
            status = StatusMessage(BackendError.readOnly(action: request.summary).message, isError: true)
            return []
        }
        if let refusal = capabilities.refusal(request.action, on: request.kind) {
            status = StatusMessage(refusal.message, isError: true)
            return []
        }
        if let missing = missingTargets(request) {
            status = StatusMessage(missing, isError: true)
            return []
        }
        // An action that needs more than a name, asked for without options, opens its form first.
        if !skipForm, request.options.isEmpty,
           let form = ActionForms.form(for: request.action, kind: request.kind, targets: request.targets,
                                       snapshot: snapshot, project: request.project) {
            overlays.append(.form(form))
            return []
        }
        var confirmation = command.confirmed ? .none : ConfirmationPolicy.requirement(for: request, snapshot: snapshot)
        if !hiddenTargets.isEmpty { confirmation = Self.naming(hiddenTargets, of: request, in: confirmation) }
        if confirmation == .none {
            let effects = start(request)
            if request.action == .create, request.kind == .instance, let snapshot { apply(snapshot) }
            return effects
        }
        overlays.append(.confirm(PendingAction(request: request, confirmation: confirmation)))
        return []
    }

    /// The question, with the marked rows the filter hides named: acting on rows out of sight always asks.
    static func naming(_ hidden: [String], of request: ActionRequest, in confirmation: Confirmation) -> Confirmation {
        let shown = hidden.prefix(5).joined(separator: ", ") + (hidden.count > 5 ? " and \(hidden.count - 5) more" : "")
        let note = "\(hidden.count) of the \(request.targets.count) marked \(hidden.count == 1 ? "is" : "are") hidden by the filter: \(shown)."
        func with(_ question: String) -> String {
            question.hasSuffix(" (y/N)") ? String(question.dropLast(6)) + " " + note + " (y/N)" : question + " " + note
        }
        switch confirmation {
        case .none:
            let noun = request.targets.count == 1 ? request.kind.noun : request.kind.noun + "s"
            return .yes(question: with("\(request.action.traits.title) \(request.targets.count) \(noun)? (y/N)"))
        case .yes(let question): return .yes(question: with(question))
        case .typeText(let question, let expected): return .typeText(question: with(question), expected: expected)
        }
    }

    /// Instances being launched show as Building rows until the backend has them.
    func withLaunchesInFlight(_ snapshot: CloudSnapshot) -> CloudSnapshot {
        var shown = snapshot
        for request in actionsInFlight where request.kind == .instance && request.action == .create {
            let count = request.integer(.count) ?? 1
            let base = request.targets.first ?? "new instance"
            for name in count == 1 ? [base] : (1...max(1, count)).map({ "\(base)-\($0)" })
            where !snapshot.instances.contains(where: { $0.name == name }) {
                let flavor = snapshot.flavors.first { $0.name == request[.flavor] }
                shown.instances.append(Instance(id: "building:\(name)", name: name, state: .building,
                                                vcpus: flavor?.vcpus ?? 0, memoryMiB: flavor?.ramMiB ?? 0,
                                                image: request[.image], flavor: flavor?.name,
                                                project: request.project))
            }
        }
        return shown
    }

    private mutating func start(_ request: ActionRequest) -> [Effect] {
        actionsInFlight.append(request)
        status = StatusMessage("\(request.action.traits.title) \(request.kind.noun) "
                               + request.targets.joined(separator: ", ") + glyphs.dots)
        return [.perform(request)]
    }

    /// Keys while the confirmation dialog is up. Nothing but the answer gets through.
    mutating func handleConfirmKey(_ key: Key, pending: PendingAction) -> [Effect] {
        switch pending.confirmation {
        case .none:
            overlays.removeLast()
            return start(pending.request)
        case .yes:
            overlays.removeLast()
            if key == .character("y") || key == .character("Y") { return start(pending.request) }
            status = StatusMessage("Cancelled: nothing was changed.")
            return []
        case .typeText:
            var updated = pending
            switch key {
            case .escape, .ctrl("c"):
                overlays.removeLast()
                status = StatusMessage("Cancelled: nothing was changed.")
                return []
            case .enter:
                overlays.removeLast()
                if pending.confirmation.accepts(pending.typed) { return start(pending.request) }
                status = StatusMessage("Cancelled: what was typed did not match, so nothing was changed.", isError: true)
                return []
            case .backspace:
                updated.typed = String(updated.typed.dropLast())
            case .ctrl("u"):
                updated.typed = ""
            case .character(let character):
                updated.typed.append(character)
            default:
                return []
            }
            overlays[overlays.count - 1] = .confirm(updated)
            return []
        }
    }

    mutating func actionFinished(_ request: ActionRequest, message: String, failed: Bool) -> [Effect] {
        if let index = actionsInFlight.firstIndex(of: request) { actionsInFlight.remove(at: index) }
        if let snapshot { apply(snapshot, rebuild: true) }  // drop Building rows of a launch that failed
        status = StatusMessage(message, isError: failed)
        if !failed, let panel = Panel.allCases.first(where: { $0.resourceKind == request.kind }) {
            tables[panel]?.clearMarks()
        }
        return [.refresh]
    }

    /// `:project NAME`. Without a name, says which project is current and which exist.
    mutating func switchProject(to name: String?) {
        let known = snapshot?.projects.map(\.name) ?? []
        guard let name else {
            status = StatusMessage("Project \(backend.currentProject ?? "none") is current; projects: "
                                   + (known.isEmpty ? "none yet" : known.joined(separator: ", ")) + ".")
            return
        }
        guard let match = known.first(where: { $0 == name }) ?? known.first(where: { $0.lowercased() == name.lowercased() }) else {
            status = StatusMessage("No project named \"\(name)\"; projects are "
                                   + (known.isEmpty ? "not loaded yet" : known.joined(separator: ", ")) + ".", isError: true)
            return
        }
        backend.currentProject = match
        status = StatusMessage("Working in project \(match): the Overview shows its quotas, and what you create belongs to it.")
    }

    mutating func showAudit() -> [Effect] {
        overlays.append(.audit(records: nil, scroll: 0))
        return [.loadAudit]
    }

    mutating func auditLoaded(_ records: [AuditRecord]) {
        guard let index = overlays.lastIndex(where: { if case .audit = $0 { true } else { false } }),
              case .audit(_, let scroll) = overlays[index] else { return }
        overlays[index] = .audit(records: records, scroll: scroll)
    }
}

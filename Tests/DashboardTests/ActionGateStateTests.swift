import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// Keys and `:` commands through the capability check and the confirmation gate to `.perform`.
final class ActionGateStateTests: XCTestCase {
    private let lifecycle = Capabilities(supported: Set([ActionKind.start, .stop, .reboot, .delete, .pause].map {
        Capability(.instance, $0)
    }), unsupportedKinds: [.floatingIP: "No floating IPs here."])

    private func state(readOnly: Bool = false) -> AppState {
        var state = AppState(backend: BackendDescription(kind: .local, endpoint: "test", currentProject: "admin"),
                             readOnly: readOnly, capabilities: lifecycle, size: Size(width: 120, height: 40),
                             now: SampleCloud.now, panel: .instances)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        return state
    }

    private func press(_ state: inout AppState, _ keys: String) -> [Effect] {
        keys.flatMap { state.handle(.key(.character($0))) }
    }

    func testStartNeedsNoConfirmationAndNamesTheSelectedRow() {
        var state = state()
        let effects = press(&state, "S")  // cursor on the first row: "db primary"
        XCTAssertEqual(effects, [.perform(ActionRequest(action: .start, kind: .instance, targets: ["db primary"],
                                                        project: "admin"))])
        XCTAssertEqual(state.actionsInFlight.count, 1)
        XCTAssertEqual(state.status?.text, "Start server db primary…")
        let after = state.handle(.actionFinished(state.actionsInFlight[0], message: "Started db primary.", failed: false))
        XCTAssertEqual(after, [.refresh], "the list reloads after a change")
        XCTAssertTrue(state.actionsInFlight.isEmpty)
        XCTAssertEqual(state.status, StatusMessage("Started db primary."))
    }

    func testProgressShowsOnlyForActionsInFlight() {
        var state = state()
        let request = ActionRequest(action: .upload, kind: .image, targets: ["x"])
        _ = state.handle(.actionProgress(request, text: "Uploading x.qcow2: 10% (1.0 MiB of 10.0 MiB)"))
        XCTAssertNil(state.status, "a late update after the action finished is dropped")
        state.actionsInFlight = [request]
        _ = state.handle(.actionProgress(request, text: "Uploading x.qcow2: 10% (1.0 MiB of 10.0 MiB)"))
        XCTAssertEqual(state.status?.text, "Uploading x.qcow2: 10% (1.0 MiB of 10.0 MiB)")
    }

    func testShutOffAsksYAndAnythingElseCancels() {
        var state = state()
        XCTAssertEqual(press(&state, "O"), [])
        guard case .confirm(let pending)? = state.topOverlay else { return XCTFail("no confirmation dialog") }
        XCTAssertEqual(pending.confirmation, .yes(question: "Shut off server db primary? (y/N)"))
        XCTAssertEqual(state.keyContext, .confirm)
        XCTAssertEqual(press(&state, "q"), [], "q at the gate cancels; it does not quit")
        XCTAssertFalse(state.quitRequested)
        XCTAssertNil(state.topOverlay)
        XCTAssertEqual(state.status?.text, "Cancelled: nothing was changed.")

        _ = press(&state, "O")
        let effects = press(&state, "y")
        XCTAssertEqual(effects.count, 1)
        guard case .perform(let request) = effects[0] else { return XCTFail("\(effects)") }
        XCTAssertEqual(request.action, .stop)
    }

    func testDeleteWantsTheNameTypedAndBulkWantsTheCount() {
        var state = state()
        _ = press(&state, "D")
        XCTAssertEqual(press(&state, "y"), [], "y is typed into the field, not taken as yes")
        _ = state.handle(.key(.enter))
        XCTAssertNil(state.topOverlay)
        XCTAssertEqual(state.status?.isError, true, "a wrong name cancels and says so")

        _ = press(&state, "D")
        _ = press(&state, "db primary")
        XCTAssertEqual(state.handle(.key(.enter)),
                       [.perform(ActionRequest(action: .delete, kind: .instance, targets: ["db primary"], project: "admin"))])

        // Mark two rows with space, then reboot both: the count must be typed.
        var bulk = self.state()
        _ = press(&bulk, "  ")
        XCTAssertEqual(bulk.tables[.instances]?.marked.count, 2)
        _ = press(&bulk, "R")
        guard case .confirm(let pending)? = bulk.topOverlay else { return XCTFail("no dialog") }
        XCTAssertEqual(pending.request.targets, ["db primary", "web-01"])
        _ = press(&bulk, "2")
        let effects = bulk.handle(.key(.enter))
        XCTAssertEqual(effects.count, 1)
        _ = bulk.handle(.actionFinished(pending.request, message: "Rebooted 2 servers.", failed: false))
        XCTAssertEqual(bulk.tables[.instances]?.marked, [], "marks clear after the action succeeds")
    }

    func testReadOnlyAndUnsupportedNeverProduceAnEffect() {
        var readOnly = state(readOnly: true)
        XCTAssertTrue(readOnly.capabilities.supported.isEmpty)
        XCTAssertEqual(readOnly.offeredActions, [.start, .stop, .reboot, .pause, .delete], "shown greyed")
        for key in "SORDp" {
            XCTAssertEqual(press(&readOnly, String(key)), [], "\(key) reached the backend in read-only mode")
            XCTAssertNil(readOnly.topOverlay, "no confirmation is asked for something that cannot run")
            XCTAssertTrue(readOnly.status?.text.contains("read-only") ?? false)
        }
        XCTAssertEqual(readOnly.runCommandLine("server delete web-01 --yes"), [])
        XCTAssertTrue(readOnly.status?.text.contains("read-only") ?? false)

        var writable = state()
        XCTAssertEqual(writable.runCommandLine("server hard-reboot web-01"), [])
        XCTAssertEqual(writable.status?.text, "Hard reboot server is not supported by this backend.")
        XCTAssertEqual(writable.runCommandLine("fip create"), [])
        XCTAssertEqual(writable.status?.text, "No floating IPs here.")
        XCTAssertEqual(press(&writable, "H"), [], "no key for an action the backend lacks")
    }

    func testColonCommandsShareTheShellGrammar() {
        var state = state()
        let effects = state.runCommandLine("server reboot \"db primary\"")
        XCTAssertEqual(effects, [])
        guard case .confirm(let pending)? = state.topOverlay else { return XCTFail("no dialog") }
        XCTAssertEqual(pending.request.targets, ["db primary"])
        state.overlays.removeAll()
        XCTAssertEqual(state.runCommandLine("vm stop web-01 --yes"),
                       [.perform(ActionRequest(action: .stop, kind: .instance, targets: ["web-01"], project: "admin"))])
        XCTAssertEqual(state.runCommandLine("server list"), [])
        XCTAssertEqual(state.panel, .instances)
        XCTAssertEqual(state.runCommandLine("server stop"), [])
        XCTAssertEqual(state.status?.text, "Shut off server needs a name, for example `instance stop NAME`.")
        XCTAssertEqual(state.runCommandLine("audit"), [.loadAudit])
        _ = state.handle(.auditLoaded([AuditRecord(time: SampleCloud.now, project: "admin", action: "stop server",
                                                   target: "web-01", result: .succeeded)]))
        guard case .audit(let records, _)? = state.topOverlay else { return XCTFail("no audit view") }
        XCTAssertEqual(records?.count, 1)
    }

    func testProjectSwitchChangesWhereActionsAndQuotasPoint() {
        var state = state()
        XCTAssertEqual(state.runCommandLine("project nope"), [])
        XCTAssertEqual(state.backend.currentProject, "admin")
        XCTAssertTrue(state.status?.text.hasPrefix("No project named \"nope\"; projects are") ?? false)
        _ = state.runCommandLine("project DEMO")
        XCTAssertEqual(state.backend.currentProject, "demo", "matched without case")
        XCTAssertEqual(state.runCommandLine("server stop web-01 --yes"),
                       [.perform(ActionRequest(action: .stop, kind: .instance, targets: ["web-01"], project: "demo"))])
    }

    func testHelpListsTheActionKeysOfThisBackend() {
        let bindings = KeyMap.bindings(for: .list, actions: state().offeredActions, kind: .instance)
        let helps = bindings.map(\.help)
        XCTAssertTrue(helps.contains("delete the marked or selected server (type the name to confirm)"), "\(helps)")
        XCTAssertTrue(helps.contains("shut off the marked or selected server (asks y)"))
        XCTAssertFalse(helps.contains { $0.hasPrefix("hard reboot") })
    }
}

/// Forms: what an action needs besides a name, ending in the same gate.
final class ActionFormTests: XCTestCase {
    private func state() -> AppState {
        let capabilities = Capabilities(supported: [Capability(.instance, .create), Capability(.instance, .rename),
                                                    Capability(.volume, .create)])
        var state = AppState(backend: BackendDescription(kind: .local, endpoint: "test", currentProject: "admin"),
                             readOnly: false, capabilities: capabilities, size: Size(width: 120, height: 40),
                             now: SampleCloud.now, panel: .instances)
        var snapshot = SampleCloud.snapshot
        snapshot.flavors = [Flavor(id: "1", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20)]
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        return state
    }

    func testLaunchWizardShowsQuotaAndBuildsTheRequest() {
        var state = state()
        XCTAssertEqual(state.handle(.key(.character("c"))), [])
        guard case .form(let form)? = state.topOverlay else { return XCTFail("no wizard") }
        XCTAssertEqual(form.title, "Launch instance")
        XCTAssertEqual(form.notes, ["Quota left in admin: Instances 1 of 10, vCPUs 10 of 20."])
        // Submitting without a name is refused inside the form.
        XCTAssertEqual(state.handle(.key(.enter)), [])
        guard case .form(let refused)? = state.topOverlay else { return XCTFail("form closed") }
        XCTAssertEqual(refused.error, "Name is required.")
        for character in "web-03" { _ = state.handle(.key(.character(character))) }
        let effects = state.handle(.key(.enter))
        guard case .perform(let request)? = effects.first else {
            return XCTFail("\(effects) \(String(describing: state.topOverlay)) \(String(describing: state.status))")
        }
        XCTAssertEqual(request.action, .create)
        XCTAssertEqual(request.targets, ["web-03"])
        // The form's text fields arrive parsed by the schema: a list, a number, text.
        XCTAssertEqual(request.options[.networks], .list(["default"]))
        XCTAssertEqual(request.options[.count], .integer(1))
        XCTAssertEqual(request.options[.flavor], .text("m1.small"))
        XCTAssertNil(request.options[.keypair], "(none) is no option at all")
        XCTAssertEqual(request.project, "admin")

        // Until the backend answers, the new instance is listed as Building; a failure takes the row away.
        let building = state.tables[.instances]!.rows.first { $0.id == "building:web-03" }
        XCTAssertNotNil(building)
        XCTAssertTrue(DashboardView.render(state).text.contains("Building"))
        _ = state.handle(.actionFinished(request, message: "Launching web-03 failed: the pool is full.", failed: true))
        XCTAssertNil(state.tables[.instances]!.rows.first { $0.id == "building:web-03" })
    }

    func testRenameFormStartsFromTheCurrentNameAndEscCancels() {
        var state = state()
        _ = state.handle(.key(.character("n")))
        guard case .form(let form)? = state.topOverlay else { return XCTFail("no form") }
        XCTAssertEqual(form.fields.first?.value, .text("db primary"))
        _ = state.handle(.key(.escape))
        XCTAssertNil(state.topOverlay)
        // With the option given, `:` skips the form.
        let effects = state.runCommandLine("server rename web-01 --name web-001")
        XCTAssertEqual(effects, [.perform(ActionRequest(action: .rename, kind: .instance, targets: ["web-01"],
                                                        options: [.name: .text("web-001")], project: "admin"))])
    }

    func testChoicesCycleAndDigitsToggleLists() {
        var form = FormState(title: "t", request: ActionRequest(action: .create, kind: .instance, targets: []), fields: [
            FormField(option: .flavor, label: "Flavor", value: .choice(options: ["a", "b", "c"], selected: 0)),
            FormField(option: .networks, label: "Networks", value: .multiChoice(options: ["x", "y"], selected: [0])),
        ])
        _ = form.handle(.left)
        XCTAssertEqual(form.fields[0].optionValue, "c")
        _ = form.handle(.tab)
        _ = form.handle(.character("2"))
        _ = form.handle(.character("1"))
        XCTAssertEqual(form.fields[1].optionValue, "y")
        _ = form.handle(.character("9"))
        XCTAssertEqual(form.fields[1].optionValue, "y", "a digit past the list does nothing")
    }
}

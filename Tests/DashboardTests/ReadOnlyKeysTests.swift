import XCTest
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// The read-only dashboard, whatever is typed: every key on every panel (then every mutating key and
/// every answer a confirmation could want), every `:KIND ACTION NAME` the grammar knows, and the
/// console commands produce no `.perform` and no `.openConsole`, and say why where a mutation was asked.
final class ReadOnlyKeysTests: XCTestCase {
    /// The demo cloud, plus a floating IP and a router (a libvirt host has none) and a volume snapshot: every panel has rows to select.
    private func demo() async throws -> DemoCloudFixture.Opened {
        var demo = try await DemoCloudFixture.open()
        demo.snapshot.floatingIPs = [FloatingIP(id: "fip-1", address: "203.0.113.10", status: "ACTIVE", network: "public")]
        demo.snapshot.routers = [Router(id: "router-1", name: "edge", status: "ACTIVE")]
        if demo.snapshot.volumeSnapshots.isEmpty, let volume = demo.snapshot.volumes.first {
            demo.snapshot.volumeSnapshots = [VolumeSnapshot(id: "vsnap-1", name: "before-upgrade", volumeID: volume.id,
                                                            volumeName: volume.name, sizeBytes: volume.sizeBytes)]
        }
        return demo
    }

    private func state(_ demo: DemoCloudFixture.Opened, panel: Panel, readOnly: Bool = true) -> AppState {
        var state = AppState(backend: demo.description, readOnly: readOnly, capabilities: .everything,
                             size: Size(width: 120, height: 40), now: demo.snapshot.takenAt, panel: panel)
        _ = state.handle(.snapshotLoaded(demo.snapshot, origin: .live))
        return state
    }

    /// Every printable ASCII character, then the named keys that could open or confirm something.
    private static let allKeys: [Key] = (0x20...0x7E).map { Key.character(Character(UnicodeScalar(UInt8($0)))) }
        + [.enter, .delete, .backspace, .escape, .tab, .backTab, .up, .down, .left, .right, .home, .end,
           .pageUp, .pageDown, .function(1)] + "abcdefghijklmnopqrstuvwxyz".map { Key.ctrl($0) }

    /// The keys that mutate somewhere (the action keys, console and VNC), and the answers a gate takes.
    private static let mutatingKeys: [Character] = Array(Set(ActionKind.allCases.compactMap(\.traits.key))).sorted()
        + ["C", "V"]
    private static let answers: [Key] = [.character("y"), .character("Y"), .enter]

    private static func forbidden(_ effects: [Effect]) -> [Effect] {
        effects.filter {
            switch $0 {
            case .perform, .openConsole: true
            default: false
            }
        }
    }

    /// After `first`, every mutating key, each followed by y/Enter; where a confirmation opened (it
    /// must not), the selected row's name typed in too. `explored` skips contexts already walked:
    /// what a key does depends on the screen, the panel, the input mode and the marked rows.
    private func pressEverythingAfter(_ first: [Key], on start: AppState, name: String?,
                                      explored: inout Set<String>) -> [Effect] {
        var effects: [Effect] = []
        var state = start
        for key in first { effects += state.handle(.key(key)) }
        let context = "\(state.keyContext) \(state.panel) \(state.input) \(state.tables[state.panel]?.marked.count ?? 0) "
            + (state.topOverlay.map { String(String(describing: $0).prefix(12)) } ?? "-")
        guard explored.insert(context).inserted else { return effects }
        let afterFirst = state
        for key in Self.mutatingKeys {
            var attempt = afterFirst
            effects += attempt.handle(.key(.character(key)))
            if case .confirm? = attempt.topOverlay, let name {
                var typed = attempt
                for character in name { effects += typed.handle(.key(.character(character))) }
                effects += typed.handle(.key(.enter))
            }
            for answer in Self.answers { effects += attempt.handle(.key(answer)) }
        }
        return effects
    }

    private func selectedName(_ state: AppState) -> String? {
        guard let model = state.tables[state.panel], let id = model.selectedID else { return nil }
        return state.panel.table.flatMap { table in state.snapshot.flatMap { table.name($0, id) } }
    }

    func testEveryKeyOnEveryPanelProducesNoMutation() async throws {
        let demo = try await demo()
        var checked = 0
        for panel in Panel.allCases {
            let start = state(demo, panel: panel)
            if panel != .overview {
                XCTAssertNotNil(selectedName(start), "\(panel) has no selected row to act on")
            }
            let name = selectedName(start)
            var explored = Set<String>()
            for key in Self.allKeys {
                let effects = pressEverythingAfter([key], on: start, name: name, explored: &explored)
                XCTAssertEqual(Self.forbidden(effects), [], "\(panel): \(key) then a mutating key got through")
                checked += 1
            }
            // Marked rows (bulk actions), and the details view of the selected row.
            for first in [[Key.character(" ")], [.character(" "), .down, .character(" ")], [.enter], [.character("d")]] {
                XCTAssertEqual(Self.forbidden(pressEverythingAfter(first, on: start, name: name, explored: &explored)), [],
                               "\(panel): \(first) then a mutating key got through")
            }
            XCTAssertGreaterThan(explored.count, 4, "\(panel): the walk reached too few screens")
        }
        XCTAssertEqual(checked, Panel.allCases.count * Self.allKeys.count)
    }

    func testEveryMutatingKeySaysReadOnly() async throws {
        let demo = try await demo()
        var refusals = 0
        for panel in Panel.allCases {
            guard let kind = panel.resourceKind else { continue }
            let start = state(demo, panel: panel)
            XCTAssertTrue(start.capabilities.supported.isEmpty, "read-only offers nothing")
            var keys = Capabilities.everything.actions(for: kind).compactMap(\.traits.key)
            if kind == .instance { keys += ["C", "V"] }
            XCTAssertFalse(keys.isEmpty)
            for prefix in [[], [Key.character(" ")], [.enter]] {
                for key in keys {
                    var state = start
                    for step in prefix { _ = state.handle(.key(step)) }
                    let effects = state.handle(.key(.character(key)))
                    XCTAssertEqual(Self.forbidden(effects), [], "\(panel) \(prefix) \(key)")
                    let status = state.status?.text ?? ""
                    XCTAssertTrue(status.contains("read-only"), "\(panel) \(prefix) \(key): status \"\(status)\"")
                    XCTAssertEqual(state.status?.isError, true, "\(panel) \(key)")
                    if case .confirm? = state.topOverlay { XCTFail("\(panel) \(key) asked for a confirmation") }
                    if case .form? = state.topOverlay { XCTFail("\(panel) \(key) opened a form") }
                    refusals += 1
                }
            }
        }
        XCTAssertGreaterThan(refusals, 3 * 20)
    }

    /// The same walk without read-only does produce mutations, so the checks above can fail.
    func testTheWalkFindsMutationsWhenWritable() async throws {
        let demo = try await demo()
        let start = state(demo, panel: .instances, readOnly: false)
        var explored = Set<String>()
        let effects = pressEverythingAfter([.character(" ")], on: start, name: selectedName(start), explored: &explored)
        XCTAssertFalse(Self.forbidden(effects).isEmpty)
        var typed = start
        let perform = typed.runCommandLine("server stop \(selectedName(start) ?? "") --yes")
        XCTAssertEqual(Self.forbidden(perform).count, 1)
    }

    func testEveryActionCommandIsRefused() async throws {
        let demo = try await demo()
        let names = commandNames(demo.snapshot)
        var commands = 0
        for panel in [Panel.overview, .instances] {
            let start = state(demo, panel: panel)
            for kind in ResourceKind.allCases {
                for action in ActionKind.allCases {
                    let name = names[kind] ?? "web-01"
                    for text in ["\(kind.rawValue) \(action.word) \(name)",
                                 "\(kind.rawValue) \(action.word) \(name) --yes",
                                 "\(kind.aliases.last!) \(action.word) \(name) other --yes --force"] {
                        var state = start
                        var effects = state.runCommandLine(text)
                        let status = state.status?.text ?? ""
                        effects += Self.answers.flatMap { state.handle(.key($0)) }
                        XCTAssertEqual(Self.forbidden(effects), [], ":\(text)")
                        if case .action = CommandLine.parse(text) {
                            XCTAssertTrue(status.contains("read-only"), ":\(text) said \"\(status)\"")
                        } else if case .invalid(let sentence) = CommandLine.parse(text) {
                            // A flag the action does not take (`--force` on most) is refused by the schema first.
                            XCTAssertEqual(status, sentence, ":\(text)")
                        } else {
                            XCTAssertEqual(state.status?.isError, true, ":\(text) said \"\(status)\"")
                        }
                        commands += 1
                    }
                    // Typed through the keyboard, as a user would.
                    var typed = start
                    var effects = typed.handle(.key(.character(":")))
                    for character in "\(kind.rawValue) \(action.word) \(name) --yes" {
                        effects += typed.handle(.key(.character(character)))
                    }
                    effects += typed.handle(.key(.enter))
                    effects += Self.answers.flatMap { typed.handle(.key($0)) }
                    XCTAssertEqual(Self.forbidden(effects), [], "typed :\(kind.rawValue) \(action.word)")
                }
            }
        }
        XCTAssertEqual(commands, 2 * ResourceKind.allCases.count * ActionKind.allCases.count * 3)
    }

    func testConsoleCommandsAreRefused() async throws {
        let demo = try await demo()
        let instance = try XCTUnwrap(demo.snapshot.instances.first { $0.state == .running })
        for panel in [Panel.overview, .instances] {
            for text in ["console", "console \(instance.name)", "vnc \(instance.name)", "log \(instance.name)"] {
                var state = state(demo, panel: panel)
                let effects = state.runCommandLine(text) + Self.answers.flatMap { state.handle(.key($0)) }
                XCTAssertEqual(Self.forbidden(effects), [], ":\(text)")
            }
            var state = state(demo, panel: panel)
            _ = state.runCommandLine("console \(instance.name)")
            XCTAssertTrue(state.status?.text.contains("read-only") ?? false, state.status?.text ?? "no status")
        }
    }

    func testChromeShowsReadOnlyOnEveryPanel() async throws {
        let demo = try await demo()
        for panel in Panel.allCases {
            XCTAssertTrue(DashboardView.render(state(demo, panel: panel)).text.contains("READ-ONLY"), "\(panel)")
            XCTAssertFalse(DashboardView.render(state(demo, panel: panel, readOnly: false)).text.contains("READ-ONLY"))
        }
        var narrow = state(demo, panel: .instances)
        _ = narrow.handle(.resize(AppState.minimumSize))
        XCTAssertTrue(DashboardView.render(narrow).text.contains("READ-ONLY"), "at the smallest size too")
    }

    /// A real name of each kind from the demo, so a command would resolve if it were not refused.
    private func commandNames(_ snapshot: CloudSnapshot) -> [ResourceKind: String] {
        var names: [ResourceKind: String] = [:]
        names[.instance] = snapshot.instances.first?.name
        names[.image] = snapshot.images.first?.name
        names[.volume] = snapshot.volumes.first?.name
        names[.network] = snapshot.networks.first?.name
        names[.securityGroup] = snapshot.securityGroups.first?.name
        names[.flavor] = snapshot.flavors.first?.name
        names[.keypair] = snapshot.keypairs.first?.name
        names[.project] = snapshot.projects.first?.name
        names[.quota] = snapshot.projects.first?.name
        return names
    }
}

import FoundationEssentials
import Glibc
import StacktopModel
import StacktopServices
import TerminalUI
import Dashboard

/// Runs `body` (async) to completion from synchronous code. Used only by the one-shot commands,
/// never inside the dashboard's loop.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let result = ResultBox<T>()
    let semaphore = DispatchSemaphoreLite()
    Task.detached {
        do { result.set(.success(try await body())) } catch { result.set(.failure(error)) }
        semaphore.signal()
    }
    semaphore.wait()
    return try result.get()
}

/// `stacktop KIND list`: the dashboard's table for scripts.
enum ListCommand {
    static func run(kind word: String, format: Options.OutputFormat, columns: [String], opened: OpenedBackend) throws -> String {
        let (table, snapshot) = try read(kind: word, opened: opened)
        // A script must not take a list with a part missing for the whole answer.
        if let stale = snapshot.staleParts.first { throw PartialAnswer(part: stale) }
        let exportFormat = TableExport.Format(rawValue: format.rawValue) ?? .table
        return try TableExport.render(table, snapshot: snapshot, format: exportFormat, columns: columns, now: Date())
    }

    /// `stacktop KIND show NAME`: one item's every field, by name or id.
    static func show(kind word: String, name: String, format: Options.OutputFormat, opened: OpenedBackend) throws -> String {
        let (table, snapshot) = try read(kind: word, opened: opened)
        let exportFormat = TableExport.Format(rawValue: format.rawValue) ?? .table
        guard let shown = TableExport.show(table, snapshot: snapshot, name: name, format: exportFormat, now: Date()) else {
            if let stale = snapshot.staleParts.first { throw PartialAnswer(part: stale) }
            throw BackendError.notFound(kind: table.kind.noun, name: name)
        }
        guard shown.matches == 1 else {
            throw UsageError(description: "\(shown.matches) \(table.title.lowercased()) are called \"\(name)\"; "
                             + "name one by its ID (`stacktop \(word) list -c id -c name`).")
        }
        return shown.text
    }

    /// The kind's table and a snapshot that has its list.
    private static func read(kind word: String, opened: OpenedBackend) throws -> (KindSpec, CloudSnapshot) {
        guard let table = table(for: word) else {
            throw UsageError(description: "Unknown kind \"\(word)\"; use instance (server), image, volume, network, "
                             + "port, router, floating-ip, secgroup, quota, flavor, keypair, project or hypervisor.")
        }
        let backend = opened.backend
        let snapshot = try runBlocking { try await backend.snapshot() }
        // A list the cloud does not offer is not an empty list: a script must learn why, from the exit code too.
        if let missing = snapshot.unavailability(of: table.title) { throw PartialAnswer(part: missing) }
        return (table, snapshot)
    }

    static func table(for word: String) -> KindSpec? {
        ResourceKind.named(word).flatMap(KindSpec.of)
    }
}

/// A list one of whose services did not answer: its sentence is the service's failure.
struct PartialAnswer: Error, CustomStringConvertible {
    let part: StalePart
    var description: String { part.reason }
}

/// `stacktop render VIEW`: a screen drawn from the cell buffer into a file (screenshots, docs).
enum RenderCommand {
    static func run(view: String, sizeText: String, format: String, output: String?, theme: Theme,
                    glyphs: Glyphs, opened: OpenedBackend, readOnly: Bool,
                    contexts: ContextList = ContextList()) throws -> String {
        guard let size = Size(parsing: sizeText) else {
            throw UsageError(description: "--size takes WIDTHxHEIGHT such as 120x40, not \"\(sizeText)\".")
        }
        // A cell buffer is allocated whole: bound it by what a screen can be (the wall goes to 300x80).
        guard (RenderBounds.minWidth...RenderBounds.maxWidth).contains(size.width),
              (RenderBounds.minHeight...RenderBounds.maxHeight).contains(size.height) else {
            throw UsageError(description: "--size \(size.width)x\(size.height) is outside what stacktop draws: "
                             + "\(RenderBounds.minWidth)x\(RenderBounds.minHeight) to \(RenderBounds.maxWidth)x\(RenderBounds.maxHeight).")
        }
        let backend = opened.backend
        let snapshot = try runBlocking { try await backend.snapshot() }
        var state = AppState(backend: backend.description, readOnly: readOnly, capabilities: backend.capabilities,
                             theme: theme, glyphs: glyphs, size: size, now: snapshot.takenAt)
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        switch view.lowercased() {
        case "launch", "wizard":
            state.panel = .instances
            _ = state.handle(.key(.character("c")))
            for character in "web-04" { _ = state.handle(.key(.character(character))) }
        case "confirm":
            state.panel = .instances
            _ = state.handle(.key(.character("D")))
        case "topology":
            _ = state.runCommandLine("topology")
        case "contexts", "ctx":
            // The contexts this user has (config.yaml, clouds.yaml) and the demo.
            var list = contexts
            state.currentContext = ContextCatalog.current(of: backend.description, in: &list)
            state.contexts = list
            _ = state.runCommandLine("ctx")
        case "wall":
            // An hour of the demo on the wall: load curves and a few state changes, ending now.
            let start = snapshot.takenAt.addingTimeInterval(-3600)
            state.now = start
            state.enterWall(WallSettings())
            WallRehearsal(base: snapshot, start: start, refreshSeconds: 30).play(into: &state, steps: 0..<121, changeEvery: 40)
        case "details":
            state.panel = .instances
            _ = state.perform(.openDetails)
        case "live", "live-details":
            // Ten minutes of live statistics replayed on the demo (its test driver measures nothing).
            state.panel = .instances
            let start = snapshot.takenAt.addingTimeInterval(-600)
            LiveRehearsal(base: snapshot, start: start, refreshSeconds: 10).play(into: &state, reads: 60)
            if view.lowercased() == "live-details" {
                _ = state.handle(.key(.character("j")))
                _ = state.perform(.openDetails)
                // Down to the live section, after the definition's.
                _ = state.handle(.key(.character("G")))
            }
        case "menu":
            state.panel = .instances
            _ = state.handle(.key(.character("a")))
        case "fleet":
            // The demo as three contexts of a fleet: lab-a live, lab-b gone stale, lab-c never answered.
            let fleet = CloudSnapshot.merging([
                FleetMember(context: "lab-a", snapshot: snapshot, health: .up),
                FleetMember(context: "lab-b", snapshot: snapshot,
                            health: .stale(reason: "Could not connect to qemu+ssh://root@lab-b/system: no route to host.")),
                FleetMember(context: "lab-c", snapshot: CloudSnapshot(takenAt: Date(timeIntervalSince1970: 0)),
                            health: .down(reason: "lab-c did not open within 30 s; stacktop tries again on its own.")),
            ], takenAt: snapshot.takenAt)
            state = AppState(backend: BackendDescription(kind: .fleet, endpoint: "fleet lab-a,lab-b,lab-c"), readOnly: readOnly,
                             capabilities: backend.capabilities, theme: theme, glyphs: glyphs, size: size, now: snapshot.takenAt)
            _ = state.handle(.snapshotLoaded(fleet, origin: .live))
            state.panel = .instances
        case "xml", "raw":
            state.panel = .instances
            if case .loadRawDefinition(let id)? = state.perform(.showRaw).first {
                let text = try runBlocking { try await backend.rawDefinition(instanceID: id) }
                _ = state.handle(.rawDefinitionLoaded(id: id, text: text))
            }
        case "help":
            state.panel = .instances
            _ = state.perform(.help)
        default:
            guard let panel = Panel.named(view) else {
                throw UsageError(description: "Unknown view \"\(view)\"; use a panel name ("
                                 + Panel.allCases.map(\.word).joined(separator: ", ") + "), details, xml, help, "
                                 + "launch, confirm, topology, contexts, menu, live, live-details, fleet or wall.")
            }
            state.panel = panel
        }
        let buffer = DashboardView.render(state)
        switch format.lowercased() {
        case "txt", "text": return CellBufferExport.plainText(buffer)
        case "ansi": return CellBufferExport.ansi(buffer)
        case "svg": return CellBufferExport.svg(buffer, title: "stacktop \(view) \(size)")
        default: throw UsageError(description: "Unknown render format \"\(format)\"; use txt, ansi or svg.")
        }
    }
}

/// The screens `render` draws: from the smallest a dashboard can be read at to far beyond any monitor.
enum RenderBounds {
    static let minWidth = 20, minHeight = 5
    static let maxWidth = 1000, maxHeight = 500
}

/// What stacktop prints instead of the dashboard when there is no usable terminal (TERM=dumb, a
/// pipe): the Overview's facts and the instance list, as plain text.
enum PlainOutput {
    static func run(opened: OpenedBackend, reason: String) throws -> String {
        let backend = opened.backend
        let snapshot = try runBlocking { try await backend.snapshot() }
        var out = "stacktop: no full-screen terminal (\(reason)); printing a summary instead.\n"
        if let notice = opened.notice { out += notice + "\n" }
        out += "\nInstances by state: " + snapshot.instanceCountsByState.map { "\($0.state.label) \($0.count)" }
            .joined(separator: ", ") + "\n"
        if let quotas = snapshot.quotas.first(where: { $0.project == backend.description.currentProject }) ?? snapshot.quotas.first {
            out += "Quotas of \(quotas.project): " + quotas.usages.map { usage in
                "\(usage.resource.label) \(usage.resource.amount(usage.used))/\(usage.isUnlimited ? "unlimited" : usage.resource.amount(usage.limit))"
            }.joined(separator: ", ") + "\n"
        }
        out += "\n" + (try TableExport.render(.instances, snapshot: snapshot, format: .table, now: Date()))
        return out
    }
}

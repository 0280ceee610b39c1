import FoundationEssentials
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopConfig
import LocalBackend

/// `--fleet [A,B,…]` and `:fleet`: the contexts named (or all of them) opened as one `FleetBackend`. Each
/// context opens the way `--context NAME` opens it (its read-only mark, audit log and store included), off
/// the event loop and under its own deadline; the store's last snapshot of each is drawn first.
enum FleetFactory {
    /// The contexts of a fleet, in the order config.yaml and clouds.yaml list them (or as named).
    static func members(_ options: Options, environment: [String: String]) throws -> [StacktopContext] {
        let list = try ContextCatalog.load(environment: environment)
        let names = options.fleet ?? []
        var chosen: [StacktopContext] = []
        if names.isEmpty {
            chosen = list.contexts
        } else {
            for name in names {
                guard let context = list[name] else { throw UsageError(description: list.unknown(name)) }
                if !chosen.contains(context) { chosen.append(context) }
            }
        }
        guard !chosen.isEmpty else {
            throw UsageError(description: "--fleet found no contexts: name libvirt hosts under hosts: in stacktop's "
                             + "config.yaml (\(StacktopConfig.path(environment: environment) ?? "$XDG_CONFIG_HOME/stacktop/config.yaml")) or clouds in clouds.yaml.")
        }
        if let bad = chosen.first(where: { $0.name.contains(FleetID.separator) }) {
            throw UsageError(description: "The context \"\(ErrorText.visible(bad.name))\" (\(bad.origin)) has an \"@\" in its "
                             + "name, which a fleet uses to say where a row lives (web-01@lab-a); rename it to use it in a fleet.")
        }
        return chosen
    }

    /// The fleet's backend, wrapped like any other (read-only outside when --readonly or the wall).
    static func open(_ options: Options, environment: [String: String]) throws -> OpenedBackend {
        let contexts = try members(options, environment: environment)
        // Every context opens the same state store at once: it is created (and migrated) here first, or one
        // would find the file another has only begun to make.
        if !options.readOnly {
            _ = try BackendFactory.openStore(path: options.statePath ?? StateStore.defaultPath(environment: environment),
                                             readOnly: false)
        }
        let sources = contexts.map { context in
            var promptless = ContextCatalog.options(options, for: context)
            promptless.promptless = true
            let memberOptions = promptless
            return FleetMemberSource(context: context,
                                     cached: CachedFirstFrame.peek(memberOptions, environment: environment)?.snapshot,
                                     waitsOnNetwork: waitsOnNetwork(context)) {
                let opened = try BackendFactory.open(memberOptions, environment: environment)
                return FleetMemberBackend(backend: opened.backend, consoles: opened.consoles, cache: opened.cache,
                                          readSeconds: opened.refreshDeadline)
            }
        }
        let fleet = FleetBackend(sources: sources)
        var opened = OpenedBackend(backend: fleet, cache: FleetCache(fleet: fleet), auditLog: nil, cleanup: {})
        opened.capabilitiesNow = { fleet.capabilities }
        opened.consoles = options.readOnly ? ReadOnlyConsoles(wrapping: fleet) : fleet
        if options.readOnly { opened.backend = ReadOnlyBackend(wrapping: AnyCloudBackend(fleet)) }
        return opened
    }

    /// A cloud, or a libvirt host reached over a transport or on another machine (see `FleetMemberSource`).
    static func waitsOnNetwork(_ context: StacktopContext) -> Bool {
        switch context.kind {
        case .openstack: true
        case .libvirt: LibvirtConnection.isDistant(uri: context.endpoint)
        case .demo, .fleet: false
        }
    }

    /// The fleet's first frame from the store, before any context is opened.
    static func cachedFrame(_ options: Options, environment: [String: String]) -> CachedFirstFrame? {
        guard let contexts = try? members(options, environment: environment) else { return nil }
        let members = contexts.compactMap { context -> FleetMember? in
            CachedFirstFrame.peek(ContextCatalog.options(options, for: context), environment: environment).map {
                FleetMember(context: context.name, snapshot: $0.snapshot, health: .cached, readOnly: context.readOnly)
            }
        }
        guard !members.isEmpty else { return nil }
        let present = Set(members.map(\.context))
        let all = contexts.map { context in
            present.contains(context.name) ? members.first { $0.context == context.name }!
                : FleetMember(context: context.name, snapshot: CloudSnapshot(takenAt: Date(timeIntervalSince1970: 0)),
                              health: .down(reason: "Not read yet."), readOnly: context.readOnly)
        }
        return CachedFirstFrame(description: BackendDescription(kind: .fleet, endpoint: "fleet " + contexts.map(\.name).joined(separator: ",")),
                                snapshot: .merging(all))
    }
}

/// The runner's cache for a fleet: its first frame is every context's cached snapshot merged; saving is the
/// fleet's own work (each context under its own endpoint, after each of its reads), so here it does nothing.
struct FleetCache: SnapshotCache {
    let fleet: FleetBackend
    func loadSnapshot(for endpoint: String) throws -> CloudSnapshot? { fleet.cachedSnapshot() }
    func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws {}
}

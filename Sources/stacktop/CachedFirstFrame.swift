import FoundationEssentials
import StacktopModel
import StacktopServices
import StacktopStore
import OpenStackBackend
import TerminalUI
import Dashboard
import NcursesTerminal

/// The store's last snapshot of the backend the options name, read before that backend is opened, so
/// a warm start draws names before libvirt or Keystone is contacted (marked CACHED, as any cached
/// frame). Only where the target is known without asking it: a URI given (or libvirtd's socket there),
/// or a cloud named; the demo keeps no cache. Opening the backend afterwards may still fail or land
/// elsewhere (the local probe falls back to the demo): the runner's first frame then replaces this one.
struct CachedFirstFrame {
    var description: BackendDescription
    var snapshot: CloudSnapshot

    static func peek(_ options: Options, environment: [String: String]) -> CachedFirstFrame? {
        guard !options.demo else { return nil }
        if options.fleet != nil { return FleetFactory.cachedFrame(options, environment: environment) }
        let storePath = options.statePath ?? StateStore.defaultPath(environment: environment)
        // Never creates, migrates or writes the file; no store yet means no cache.
        guard FileManager.default.fileExists(atPath: storePath),
              let store = try? StateStore(readOnlyAt: storePath) else { return nil }
        let description: BackendDescription
        if BackendFactory.wantsOpenStack(options, environment: environment) {
            let home = environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path
            guard let cloud = try? CloudConfigLoader.load(cloud: options.osCloud, environment: environment, homeDirectory: home,
                                                          currentDirectory: FileManager.default.currentDirectoryPath)
            else { return nil }
            description = BackendDescription(kind: .openstack, endpoint: OpenStackCloudBackend.endpointName(for: cloud),
                                             currentProject: cloud.projectName)
        } else if let uri = options.connect ?? environment["LIBVIRT_DEFAULT_URI"] ?? BackendFactory.localURIs().first {
            description = BackendDescription(kind: .local, endpoint: uri, currentProject: (try? store.projects())?.first?.name)
        } else {
            return nil
        }
        guard let snapshot = try? store.loadSnapshot(for: description.endpoint) else { return nil }
        return CachedFirstFrame(description: description, snapshot: snapshot)
    }
}

/// The dashboard's first frame from the cache, drawn before the backend is opened, and the state it was
/// drawn from, which the runner goes on with (so the tables are not built twice).
struct EarlyFrame {
    var state: AppState
    /// Input typed while stacktop started that the early frame did not apply: the runner replays it.
    var notApplied: [TerminalInput]

    @MainActor
    static func draw(_ options: Options, environment: [String: String], wall: WallSettings?, theme: Theme, glyphs: Glyphs,
                     terminal: NcursesTerminal, context: String? = nil) -> EarlyFrame? {
        guard let frame = CachedFirstFrame.peek(options, environment: environment) else { return nil }
        var state = AppState(backend: frame.description, readOnly: options.readOnly, theme: theme, glyphs: glyphs,
                             size: terminal.size, now: Date())
        state.currentContext = context
        if let wall { state.enterWall(wall) }
        _ = state.handle(.snapshotLoaded(frame.snapshot, origin: .cached))
        // Keys typed while stacktop started (`2` for the Instances) move the early frame when they only move
        // around; the first that would do more, and all after it, wait for the backend.
        var typed = terminal.waitForInput(timeoutMilliseconds: 0)[...]
        while case .key(let key)? = typed.first,
              let command = KeyMap.command(for: key, in: state.keyContext), command.onlyMoves {
            _ = state.handle(.key(key))
            typed.removeFirst()
        }
        terminal.draw(DashboardView.render(state))
        return EarlyFrame(state: state, notApplied: Array(typed))
    }
}

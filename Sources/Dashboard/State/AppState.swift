import StacktopModel
import StacktopServices
import TerminalUI

/// Where the data on screen came from.
public enum DataOrigin: Sendable, Equatable {
    /// Nothing loaded yet.
    case none
    /// The store's last-known snapshot, drawn at once while live data loads.
    case cached
    case live
}

/// A screen stacked over the panels; Esc pops it.
public enum Overlay: Sendable, Equatable {
    case details(panel: Panel, id: String, scroll: Int)
    /// The raw definition of an instance; `text` nil while it loads.
    case raw(id: String, name: String, text: String?, scroll: Int)
    case help(HelpPane)
    /// The recent status messages in full, newest first (`M`, `:messages`).
    case messages(scroll: Int)
    /// A mutation waiting for the user's confirmation (`y`, or the typed name or count).
    case confirm(PendingAction)
    /// The audit log, newest first; nil while it loads.
    case audit(records: [AuditRecord]?, scroll: Int)
    /// What an action needs besides a name (launch wizard, rename, resize…).
    case form(FormState)
    /// The last lines of an instance's serial output, following new output while open; `search` is `/`.
    case consoleLog(ConsoleLogPane)
    /// How to reach an instance's VNC display (the viewer started, or the ssh -L command to use).
    case vnc(name: String, lines: [String])
    /// Networks with the instances on them (`:topology`), drawn from the live snapshot.
    case topology(scroll: Int)
    /// The selected row's actions (`a`, a right click).
    case actionMenu(RowMenu)
    /// Every context (`:ctx`), the cursor on one; Enter switches to it.
    case contexts(cursor: Int)
}

/// The help screen: the keys of the screen it was opened from, scrolled, maybe filtered (`/`).
public struct HelpPane: Sendable, Equatable {
    public var context: KeyContext
    public var scroll: Int
    public var filter: String
    /// `/` was pressed: keys type into the filter until Enter or Esc.
    public var filtering: Bool

    public init(context: KeyContext, scroll: Int = 0, filter: String = "", filtering: Bool = false) {
        self.context = context; self.scroll = scroll; self.filter = filter; self.filtering = filtering
    }
}

/// The console-log pane: text nil while it loads.
public struct ConsoleLogPane: Sendable, Equatable {
    public var instanceID: String
    public var name: String
    public var text: String?
    /// Lines from the end (0 = following the newest output).
    public var scrollFromEnd: Int
    public var search: String
    public var searching: Bool

    public init(instanceID: String, name: String, text: String? = nil, scrollFromEnd: Int = 0, search: String = "",
                searching: Bool = false) {
        self.instanceID = instanceID; self.name = name; self.text = text; self.scrollFromEnd = scrollFromEnd
        self.search = search; self.searching = searching
    }
}

/// An action that passed the capability check and now waits at the confirmation gate.
public struct PendingAction: Sendable, Equatable {
    public var request: ActionRequest
    public var confirmation: Confirmation
    /// What the user has typed so far (for `.typeText`).
    public var typed: String

    public init(request: ActionRequest, confirmation: Confirmation, typed: String = "") {
        self.request = request; self.confirmation = confirmation; self.typed = typed
    }
}

/// What the bottom line is for right now.
public enum InputMode: Sendable, Equatable {
    case normal
    case filter(String)
    case command(String)
}

/// A message on the status line.
public struct StatusMessage: Sendable, Equatable {
    public var text: String
    public var isError: Bool
    public init(_ text: String, isError: Bool = false) { self.text = text; self.isError = isError }
}

/// The status line's recent messages with their times, kept whole: a line cut to the screen's width
/// can be read in full on the messages screen. Bounded, newest last.
public struct MessageLog: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var time: Date
        public var text: String
        public var isError: Bool
    }

    public static let capacity = 200
    public private(set) var entries: [Entry] = []

    public init() {}

    /// Adds `text` unless it repeats the newest entry (a failing refresh says the same thing each time).
    mutating func add(_ text: String, isError: Bool, at time: Date) {
        guard !text.isEmpty, entries.last?.text != text else { return }
        entries.append(Entry(time: time, text: text, isError: isError))
        if entries.count > Self.capacity { entries.removeFirst(entries.count - Self.capacity) }
    }
}

/// What happened lately outside any one screen: host load history and events, which the wall and the
/// large Overview draw. On a wall they live in `WallState`; otherwise here.
public struct RecentActivity: Sendable, Equatable {
    public var history = HostHistory()
    public var events = WallEvents()
    public init() {}
}

/// The counts of a snapshot that screens show on every frame.
public struct SnapshotCounts: Sendable, Equatable {
    public var instances = 0
    /// By state, in the state order, only states that occur.
    public var instancesByState: [(state: InstanceState, count: Int)] = []
    public var running = 0
    public var volumes = 0
    public var networks = 0

    public init() {}

    public init(_ snapshot: CloudSnapshot) {
        instances = snapshot.instances.count
        instancesByState = snapshot.instanceCountsByState
        running = instancesByState.first { $0.state == .running }?.count ?? 0
        volumes = snapshot.volumes.count
        networks = snapshot.networks.count
    }

    public static func == (a: SnapshotCounts, b: SnapshotCounts) -> Bool {
        a.instances == b.instances && a.running == b.running && a.volumes == b.volumes && a.networks == b.networks
            && a.instancesByState.elementsEqual(b.instancesByState) { $0.state == $1.state && $0.count == $1.count }
    }
}

/// Everything the screen shows. Screens draw from it and nothing else; `handle` is the only place it
/// changes.
public struct AppState: Sendable, Equatable {
    public var backend: BackendDescription
    public var readOnly: Bool
    /// What the backend can do now (empty when read-only).
    public var capabilities: Capabilities
    /// What it could do if stacktop were not read-only: shown greyed out, never offered.
    public var capabilitiesWhenWritable: Capabilities
    /// Mutations sent and not yet answered, so the status line can say what is in flight.
    public var actionsInFlight: [ActionRequest] = []
    /// Set by `apply` only, which keeps `counts` and the tables in step with it.
    public internal(set) var snapshot: CloudSnapshot?
    /// Counts the status line and the Overview show, computed once per snapshot rather than per frame
    /// (a frame at 10,000 instances must not walk them all).
    public internal(set) var counts = SnapshotCounts()
    public var origin: DataOrigin = .none
    /// Set when the last refresh failed: the data on screen is older than it should be.
    public var staleSince: Date?
    /// Refreshes that failed in a row (0 once one succeeds): the retry delay and the wall's banner.
    public var failedRefreshes = 0
    /// The last failure cannot be cured by trying again (refused credentials): no retry until `r`.
    public var retryWaitsForUser = false
    public var lastError: String? {
        didSet { if let lastError, lastError != oldValue { messages.add(lastError, isError: true, at: refresh.clock) } }
    }
    public var panel: Panel = .overview
    public var tables: [Panel: TableModel]
    public var overlays: [Overlay] = []
    public var input: InputMode = .normal
    /// Every message set here is also kept in `messages`, whole, with its time.
    public var status: StatusMessage? {
        didSet { if let status, status != oldValue { messages.add(status.text, isError: status.isError, at: refresh.clock) } }
    }
    /// The status line's recent messages (and refresh failures), for the messages screen.
    public internal(set) var messages = MessageLog()
    /// The local time zone's offset from UTC now, as the runner's clock says (0 in tests): message times.
    public var utcOffsetSeconds = 0
    /// Each running instance's previous statistics read and a few minutes of its rates (libvirt hosts).
    public internal(set) var liveStatistics = LiveStatistics()
    /// Host history and events outside a wall (the large Overview shows them).
    public internal(set) var activity = RecentActivity()
    public var theme: Theme
    public var glyphs: Glyphs
    public var size: Size
    public var now: Date
    /// Why the demo opened instead of what the user asked for, shown until the first key.
    public var notice: String? {
        didSet { if let notice, notice != oldValue { messages.add(notice, isError: false, at: refresh.clock) } }
    }
    public var quitRequested = false
    /// How the key that leaves a serial console is named ("Ctrl-]" unless --escape says otherwise).
    public var consoleEscapeLabel = "Ctrl-]"
    /// Set by `enterWall`: the unattended wall screen (read-only for good; see AppState+Wall).
    public var wall: WallState?
    /// When the backend is read next, and whether a read is on its way (AppState+Schedule).
    public var refresh: RefreshSchedule
    /// The snapshot last handed to the cache: a save of the same data again would only cost its encode.
    var lastSavedSnapshot: CloudSnapshot?
    /// Set for one key after a busy serial console: F takes it over.
    public var consoleTakeover: ConsoleTakeover?
    /// The instance whose console log is being read while its pane is open.
    public var followingConsoleLog: String?
    /// The `:` line's completion list and history (AppState+Palette).
    public var palette = CommandPalette()
    /// Every context stacktop knows (config.yaml's hosts, clouds.yaml's clouds), and the one on screen
    /// (nil when what the command line opened is none of them). See AppState+Contexts.
    public var contexts = ContextList()
    public var currentContext: String?
    /// The context being opened after `:ctx NAME` (its cached data is on screen meanwhile).
    public var connectingTo: String?
    /// The context that could not be opened: `r` tries it again.
    public var contextToRetry: StacktopContext?
    /// The progress figure of a read that arrives in pieces ("Loading servers 240/1000…"), while it does.
    public var loadProgress: String?

    public init(backend: BackendDescription, readOnly: Bool, capabilities: Capabilities = .none,
                capabilitiesWhenWritable: Capabilities? = nil, theme: Theme = .builtIn, glyphs: Glyphs = .unicode,
                size: Size = Size(width: 80, height: 24), now: Date = Date(), panel: Panel = .overview) {
        self.backend = backend
        self.readOnly = readOnly
        // Read-only is enforced below the UI too; here it only decides what is offered.
        self.capabilities = readOnly ? .none : capabilities
        self.capabilitiesWhenWritable = capabilitiesWhenWritable ?? capabilities
        self.theme = theme
        self.glyphs = glyphs
        self.size = size
        self.now = now
        self.refresh = RefreshSchedule(clock: now)
        self.panel = panel
        var tables: [Panel: TableModel] = [:]
        for panel in Panel.allCases {
            if let table = panel.table {
                tables[panel] = TableModel(table: panel.word, sortColumn: table.defaultSortColumn)
            }
        }
        self.tables = tables
    }

    public var topOverlay: Overlay? { overlays.last }

    /// The actions the current list offers, in declaration order; greyed ones when read-only.
    public var offeredActions: [ActionKind] {
        guard let kind = panel.resourceKind else { return [] }
        return (readOnly ? capabilitiesWhenWritable : capabilities).actions(for: kind).filter { $0.traits.key != nil }
    }

    /// The key context of what is on top.
    public var keyContext: KeyContext {
        if consoleTakeover != nil { return .consoleTakeover }
        return switch topOverlay {
        case .details: .details
        case .raw: .raw
        case .help: .help
        case .messages: .messages
        case .confirm: .confirm
        case .audit: .audit
        case .form: .form
        case .consoleLog: .consoleLog
        case .vnc, .topology, .contexts: .raw
        case .actionMenu: .menu
        case nil: panel == .overview ? .overview : .list
        }
    }

    /// The smallest terminal the layout is made for.
    public static let minimumSize = Size(width: 80, height: 24)
    public var isTooSmall: Bool { size.width < AppState.minimumSize.width || size.height < AppState.minimumSize.height }

    /// Rows available to a list's body: everything but the title, tabs, box, header, status and hint lines.
    public var listBodyHeight: Int { max(1, size.height - 7) }
}

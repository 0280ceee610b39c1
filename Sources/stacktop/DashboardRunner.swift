import FoundationEssentials
import Synchronization
import StacktopModel
import StacktopServices
import TerminalUI
import Dashboard

/// The one event loop: keys, resizes, signals, backend results and libvirt events arrive here as
/// `AppEvent`s; `AppState.handle` changes the state and says what to do; every effect it returns is
/// performed here, and nothing else is decided here (loading, back-off, resubscribing and the busy
/// console's takeover are the state's). Sleeps in poll(2) while nothing happens.
@MainActor
final class DashboardRunner {
    /// Replaced when the user switches context (`.adoptContext`).
    private var opened: OpenedBackend
    private let options: Options
    private let themeDirectories: [String]
    private let terminal: any TerminalDevice
    /// A new one per context switch: results still on their way from the old backend go to the old mailbox,
    /// which nobody reads, so they cannot land on the new context's screen.
    private var mailbox: Mailbox
    private let environment: [String: String]
    private let history: CommandHistoryFile?
    /// The backend the latest context switch opened, until the state adopts it: a new slot per switch, so a
    /// slow open from an earlier switch cannot be adopted for a later one.
    private var openedContext = OpenedSlot()
    private var switchedContext = false
    /// The options as the command line gave them, before any context's: a switch starts from these, so a
    /// read-only context's mark does not follow the user to the next one (--readonly does).
    private let contextBase: Options
    private(set) var state: AppState
    private var eventsTask: Task<Void, Never>?
    /// Reads the console log about once a second while its pane is open.
    private var consoleLogTask: Task<Void, Never>?

    /// - Parameter continuing: the state the early cached frame was drawn from (same backend), which goes on
    ///   with what the open backend says it is and can do.
    init(opened: OpenedBackend, options: Options, wall: WallSettings?, theme: Theme, glyphs: Glyphs,
         themeDirectories: [String], terminal: any TerminalDevice, continuing early: AppState? = nil,
         contexts: ContextList = ContextList(), currentContext: String? = nil, history: CommandHistoryFile? = nil,
         environment: [String: String] = [:], contextBase: Options? = nil) {
        self.opened = opened
        self.options = options
        self.contextBase = contextBase ?? options
        self.themeDirectories = themeDirectories
        self.terminal = terminal
        self.mailbox = Mailbox(wakeup: terminal.waker)
        self.environment = environment
        self.history = history
        let fresh = AppState(backend: opened.backend.description, readOnly: options.readOnly,
                             capabilities: opened.backend.capabilities,
                             capabilitiesWhenWritable: opened.writableCapabilities, theme: theme,
                             glyphs: glyphs, size: terminal.size, now: Date())
        if var early {
            early.backend = fresh.backend
            early.capabilities = fresh.capabilities
            early.capabilitiesWhenWritable = fresh.capabilitiesWhenWritable
            state = early
        } else {
            state = fresh
            if let wall { state.enterWall(wall) }
        }
        state.refresh.refreshSeconds = options.refreshSeconds
        state.contexts = contexts
        state.currentContext = currentContext
        state.palette.history = CommandHistory(history?.load() ?? [])
        state.palette.themeNames = ThemePaths.names(in: themeDirectories)
        state.notice = opened.notice
        state.consoleEscapeLabel = ConsolePump.escapeName(options.consoleEscape)
        if state.wall != nil { state.wall?.utcOffsetSeconds = LocalTime.offsetSeconds(at: Date()) }
    }

    /// - Parameter typedAhead: input read before the runner started (keys typed while the backend opened).
    func run(typedAhead: [TerminalInput] = []) {
        // The first frame comes from the store's last-known data, before the backend answers (unless the early
        // frame's state already holds it).
        if state.origin == .none, let cached = try? opened.cache?.loadSnapshot(for: state.backend.endpoint) {
            dispatch(.snapshotLoaded(cached, origin: .cached))
        }
        for input in typedAhead { handle(input) }
        draw()
        dispatch(.started)
        while !state.quitRequested {
            let wait = state.secondsUntilWake(now: Date())
            let inputs = terminal.waitForInput(timeoutMilliseconds: Int32((wait * 1000).rounded(.up)))
            // The clock first, so what follows (a failed read's back-off) counts from now.
            let now = Date()
            dispatch(.clock(now, utcOffsetSeconds: LocalTime.offsetSeconds(at: now)))
            for input in inputs { handle(input) }
            for event in mailbox.drain() { dispatch(event) }
            if state.quitRequested { break }
            draw()
        }
        eventsTask?.cancel()
        consoleLogTask?.cancel()
        // The backend the command line opened is closed by main; one a context switch opened, here.
        if switchedContext { opened.cleanup() }
    }

    private func handle(_ input: TerminalInput) {
        switch input {
        case .key(let key): dispatch(.key(key))
        case .mouse(let event): dispatch(.mouse(event))
        case .resize(let size):
            dispatch(.resize(size))
            terminal.invalidate()
        case .signal: perform(.quit)
        }
    }

    /// Hands one event to the state and performs everything it asks for.
    private func dispatch(_ event: AppEvent) {
        for effect in state.handle(event) { perform(effect) }
    }

    private func draw() {
        terminal.draw(DashboardView.render(state))
    }

    private func perform(_ effect: Effect) {
        switch effect {
        case .quit:
            state.quitRequested = true
        case .refresh:
            startLoad()
        case .saveSnapshot(let snapshot):
            let cache = opened.cache
            let endpoint = state.backend.endpoint
            Task.detached { try? cache?.saveSnapshot(snapshot, for: endpoint) }
        case .subscribeEvents:
            listenForEvents()
        case .stopConsoleLog:
            consoleLogTask?.cancel()
            consoleLogTask = nil
        case .redrawAll:
            terminal.invalidate()
        case .suspend:
            terminal.stopForJobControl()
        case .loadRawDefinition(let id):
            let backend = opened.backend
            let mailbox = self.mailbox
            Task.detached {
                do {
                    mailbox.post(.rawDefinitionLoaded(id: id, text: try await backend.rawDefinition(instanceID: id)))
                } catch {
                    mailbox.post(.rawDefinitionFailed(id: id, message: ErrorText.sentence(error)))
                }
            }
        case .perform(let request):
            let backend = opened.backend
            let mailbox = self.mailbox
            // Progress of long actions reaches the status line, at most a few times a second.
            let throttle = ProgressThrottle()
            let reporter = ActionProgress.Reporter { update in
                if throttle.shouldReport(update) { mailbox.post(.actionProgress(request, text: update.sentence)) }
            }
            Task.detached {
                do {
                    let outcome = try await ActionProgress.withReporter(reporter) { try await backend.perform(request) }
                    mailbox.post(.actionFinished(request, message: outcome.message, failed: false))
                } catch {
                    mailbox.post(.actionFinished(request, message: ErrorText.sentence(error), failed: true))
                }
            }
        case .loadAudit:
            guard let log = opened.auditLog else {
                dispatch(.auditFailed(message: "This backend keeps no audit log."))
                return
            }
            do {
                dispatch(.auditLoaded(try log.recent(limit: 500)))
            } catch {
                dispatch(.auditFailed(message: "The audit log could not be read: \(ErrorText.sentence(error))"))
            }
        case .openConsole(let id, let name, let force):
            openConsole(instanceID: id, name: name, force: force)
        case .loadConsoleLog(let id):
            followConsoleLog(instanceID: id)
        case .openVNC(let id, let name):
            guard let consoles = opened.consoles else {
                dispatch(.vncResult(instanceName: name, lines: ["This backend has no graphical consoles."], failed: true))
                return
            }
            let mailbox = self.mailbox
            let environment = ProcessInfo.processInfo.environment
            Task.detached {
                let result = await VNCLauncher.run(consoles: consoles, instanceID: id, instanceName: name,
                                                   environment: environment, showPassword: false)
                mailbox.post(.vncResult(instanceName: name, lines: result.lines, failed: result.failed))
            }
        case .recordCommand(let line):
            history?.append(line)
        case .switchContext(let context):
            switchContext(to: context)
        case .adoptContext:
            if let next = openedContext.take() { opened = next }
        case .loadTheme(let nameOrPath):
            do {
                var theme = try ThemeLoader.load(nameOrPath: nameOrPath, searchDirectories: themeDirectories)
                if options.noColor || terminal.colorCount == 0 { theme = theme.monochrome }
                dispatch(.themeLoaded(theme))
            } catch {
                dispatch(.themeFailed(message: ErrorText.sentence(error)))
            }
        }
    }

    /// `:ctx NAME`: the old backend is closed, the target's cached snapshot drawn at once, and the new backend
    /// opened in the background; the state hears `.contextOpened` (then adopts it) or `.contextFailed`.
    private func switchContext(to context: StacktopContext) {
        eventsTask?.cancel()
        consoleLogTask?.cancel()
        // The first backend is main's to close (it closes it at exit whatever happens here).
        if switchedContext { opened.cleanup() }
        switchedContext = true
        let target = ContextCatalog.options(contextBase, for: context)
        let early = CachedFirstFrame.peek(target, environment: environment)
        let description = early?.description ?? ContextCatalog.description(of: context)
        opened = OpenedBackend(backend: UnopenedBackend(description: description, reason: "it is still being opened"),
                               cache: nil, auditLog: nil, cleanup: {})
        mailbox = Mailbox(wakeup: terminal.waker)
        openedContext = OpenedSlot()
        dispatch(.contextSwitching(context, description: description, readOnly: target.readOnly, cached: early?.snapshot))
        draw()
        let mailbox = self.mailbox
        let slot = openedContext
        let environment = self.environment
        Task.detached {
            do {
                let next = try BackendFactory.open(target, environment: environment)
                slot.put(next)
                mailbox.post(.contextOpened(name: context.name, description: next.backend.description,
                                            capabilities: next.backend.capabilities,
                                            writableCapabilities: next.writableCapabilities, notice: next.notice))
            } catch {
                mailbox.post(.contextFailed(name: context.name, message: ErrorText.sentence(error)))
            }
        }
    }

    /// Hands the terminal to the serial console until the escape key, then redraws everything.
    private func openConsole(instanceID: String, name: String, force: Bool) {
        guard let consoles = opened.consoles else {
            dispatch(.consoleClosed(message: "This backend has no serial consoles.", failed: true))
            return
        }
        let session: any SerialConsoleSession
        // A cloud's console takes a moment (Nova, then its proxy): the screen says what it waits for meanwhile.
        state.status = StatusMessage("Connecting to the serial console of \(name)\(state.glyphs.dots)")
        draw()
        do {
            // libvirt attaches at once; a cloud asks Nova for the URL and connects to its proxy (at most 10 s).
            session = try runBlocking { try await consoles.openSerialConsole(instanceID: instanceID, force: force) }
        } catch let busy as ConsoleBusy {
            dispatch(.consoleBusy(instanceID: instanceID, name: name, message: busy.dashboardMessage))
            return
        } catch {
            dispatch(.consoleClosed(message: ErrorText.sentence(error), failed: true))
            return
        }
        terminal.suspend()
        ConsoleCommand.printBanner(name, escape: options.consoleEscape, notice: session.notice)
        let terminal = self.terminal
        let end = ConsolePump.run(session, escape: options.consoleEscape, quitRequested: { ConsoleTargets.quitSignalled(terminal) })
        session.close()
        terminal.resume()
        var (message, failed) = ConsoleTargets.ending(end, name: name, opened: opened)
        // What the banner warned of (TLS not verified) stays said after the console's output is gone.
        if let notice = session.notice { message += " " + notice + (notice.hasSuffix(".") ? "" : ".") }
        // .consoleClosed asks for .redrawAll: the next frame repaints every cell over the console's output.
        dispatch(.consoleClosed(message: message, failed: failed))
        if end == .signal { perform(.quit) }
    }

    /// Reads the console log now and then about once a second until `.stopConsoleLog`.
    private func followConsoleLog(instanceID: String) {
        consoleLogTask?.cancel()
        guard let consoles = opened.consoles else {
            dispatch(.consoleLogFailed(instanceID: instanceID, message: "This backend keeps no console logs."))
            return
        }
        let mailbox = self.mailbox
        consoleLogTask = Task.detached {
            var last: String?
            while !Task.isCancelled {
                do {
                    let text = try await consoles.consoleLog(instanceID: instanceID, maxBytes: 64 * 1024)
                    if text != last { mailbox.post(.consoleLogLoaded(instanceID: instanceID, text: text)) }
                    last = text
                } catch {
                    mailbox.post(.consoleLogFailed(instanceID: instanceID, message: ErrorText.sentence(error)))
                    return
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Reads a fresh snapshot in the background (the state asks only when none is on its way).
    private func startLoad() {
        let backend = opened.backend
        let mailbox = self.mailbox
        let request = state.refresh.request
        let capabilitiesNow = opened.capabilitiesNow
        Task.detached {
            do {
                let snapshot = try await backend.snapshot(request) { mailbox.post(.snapshotPartial($0)) }
                // A backend that learns what it can do as it runs (a fleet, as its contexts open) says it after each read.
                if let capabilitiesNow { mailbox.post(.capabilitiesChanged(capabilitiesNow())) }
                mailbox.post(.snapshotLoaded(snapshot, origin: .live))
            } catch {
                mailbox.post(.loadFailed(message: ErrorText.sentence(error),
                                         waitsForUser: (error as? BackendError)?.stopsRetries ?? false))
            }
        }
    }

    private func listenForEvents() {
        eventsTask?.cancel()
        let backend = opened.backend
        let mailbox = self.mailbox
        eventsTask = Task.detached {
            var lostConnection = false
            for await event in backend.events() {
                if case .connectionLost = event { lostConnection = true }
                mailbox.post(.backend(event))
            }
            // A stream that ended because its connection died is renewed once the backend answers again.
            if lostConnection, !Task.isCancelled { mailbox.post(.backendEventsEnded) }
        }
    }
}

/// Hands a backend opened in the background to the loop, which adopts it when the state says so.
final class OpenedSlot: Sendable {
    private let value = Mutex<OpenedBackend?>(nil)
    func put(_ opened: OpenedBackend) { value.withLock { $0 = opened } }
    func take() -> OpenedBackend? { value.withLock { $0.take() } }
}

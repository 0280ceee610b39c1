import FoundationEssentials
import StacktopModel
import StacktopServices
import TerminalUI
import Dashboard
import NcursesTerminal

/// The one event loop: keys, resizes, signals, backend results and libvirt events arrive here; the
/// state changes in `AppState.handle`; the screen is drawn from the state; only changed cells are
/// written. Sleeps in poll(2) while nothing happens.
@MainActor
final class DashboardRunner {
    private let opened: OpenedBackend
    private let options: Options
    private let themeDirectories: [String]
    private let terminal: NcursesTerminal
    private let mailbox: Mailbox
    private var state: AppState
    private var loading = false
    /// A refresh was asked for while a load was on its way (e.g. an action finished): that load may
    /// predate the change, so one more follows it.
    private var reloadWhenDone = false
    private var loadsDone = 0
    private var nextRefresh = Date()
    private var eventsTask: Task<Void, Never>?
    /// The event stream ended with its connection; subscribe again after the next good refresh.
    private var resubscribeEvents = false
    /// The console that was busy, while the status line offers F to take it over.
    private var consoleForceOffer: (id: String, name: String)?
    /// Reloads the console-log pane about once a second while it is open.
    private var consoleLogFollow: (id: String, task: Task<Void, Never>)?

    init(opened: OpenedBackend, options: Options, wall: WallSettings?, theme: Theme, glyphs: Glyphs,
         themeDirectories: [String], terminal: NcursesTerminal) {
        self.opened = opened
        self.options = options
        self.themeDirectories = themeDirectories
        self.terminal = terminal
        self.mailbox = Mailbox(wakeup: terminal.wakeup)
        state = AppState(backend: opened.backend.description, readOnly: options.readOnly,
                         capabilities: opened.backend.capabilities,
                         capabilitiesWhenWritable: opened.writableCapabilities, theme: theme,
                         glyphs: glyphs, size: terminal.size, now: Date())
        state.notice = opened.notice
        state.consoleEscapeLabel = ConsolePump.escapeName(options.consoleEscape)
        if let wall {
            state.enterWall(wall)
            state.wall?.utcOffsetSeconds = LocalTime.offsetSeconds(at: Date())
        }
    }

    func run() {
        // The first frame comes from the store's last-known data, before the backend answers.
        if let cached = try? opened.cache?.loadSnapshot(for: state.backend.endpoint) {
            _ = state.handle(.snapshotLoaded(cached, origin: .cached))
        }
        draw()
        startLoad()
        listenForEvents()
        while !state.quitRequested {
            let inputs = terminal.waitForInput(timeoutMilliseconds: pollTimeout())
            var effects: [Effect] = []
            for input in inputs {
                switch input {
                case .key(let key):
                    if let offer = consoleForceOffer.take(), key == .character("F") {
                        effects.append(.openConsole(instanceID: offer.id, name: offer.name, force: true))
                    } else {
                        effects += state.handle(.key(key))
                    }
                case .resize(let size):
                    effects += state.handle(.resize(size))
                    terminal.invalidate()
                case .signal: effects.append(.quit)
                }
            }
            for event in mailbox.drain() {
                switch event {
                case .snapshotLoaded(_, .live):
                    loading = false
                    if reloadWhenDone { reloadWhenDone = false; effects.append(.refresh) }
                    if resubscribeEvents { resubscribeEvents = false; listenForEvents() }
                case .snapshotLoaded, .loadFailed:
                    loading = false
                    if reloadWhenDone { reloadWhenDone = false; effects.append(.refresh) }
                case .backendEventsEnded:
                    resubscribeEvents = true
                default: break
                }
                effects += state.handle(event)
                if case .loadFailed = event {
                    // Back off instead of hammering a backend that is down or overloaded; refused
                    // credentials are not sent again until the user presses r (a lockout counts tries).
                    nextRefresh = state.retryWaitsForUser ? .distantFuture : Date().addingTimeInterval(
                        RetrySchedule.delay(afterFailures: state.failedRefreshes, refreshSeconds: options.refreshSeconds))
                }
            }
            let now = Date()
            if now >= nextRefresh { startLoad(queueIfBusy: false) }
            if state.wall != nil {
                // The wall's clock, age counter and rotation all run on the clock.
                state.wall?.utcOffsetSeconds = LocalTime.offsetSeconds(at: now)
                _ = state.handle(.tick(now))
            } else if state.staleSince != nil || now.timeIntervalSince(state.now) >= 60 {
                _ = state.handle(.tick(now))
            }
            for effect in effects { perform(effect) }
            stopFollowingClosedConsoleLog()
            if state.quitRequested { break }
            draw()
        }
        eventsTask?.cancel()
        consoleLogFollow?.task.cancel()
    }

    private func pollTimeout() -> Int32 {
        let now = Date()
        var limit = max(0, nextRefresh.timeIntervalSince(now))
        if let wall = state.wall {
            if let rotation = wall.nextRotation { limit = min(limit, max(0, rotation.timeIntervalSince(now))) }
            // The clock changes on the second: wake just after it (with --no-clock, only when stale).
            if !wall.settings.hideClock || state.staleSince != nil {
                let intoSecond = now.timeIntervalSince1970 - now.timeIntervalSince1970.rounded(.down)
                limit = min(limit, 1 - intoSecond + 0.002)
            }
        } else if state.staleSince != nil {
            // While stale, tick every second so the age on the status line is true.
            limit = min(limit, 1)
        }
        return Int32(min(limit * 1000, 60_000).rounded(.up))
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
        case .redrawAll:
            terminal.invalidate()
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
                _ = state.handle(.auditFailed(message: "This backend keeps no audit log."))
                return
            }
            do {
                _ = state.handle(.auditLoaded(try log.recent(limit: 500)))
            } catch {
                _ = state.handle(.auditFailed(message: "The audit log could not be read: \(ErrorText.sentence(error))"))
            }
        case .openConsole(let id, let name, _) where opened.consoles?.serialConsoleIsRemote == true:
            // Nova's serial console is a websocket behind its proxy: shown as a URL, like the web console.
            guard let consoles = opened.consoles else { return }
            let mailbox = self.mailbox
            Task.detached {
                do {
                    let url = try await consoles.serialConsoleURL(instanceID: id) ?? ""
                    mailbox.post(.vncResult(instanceName: name, lines: RemoteSerialConsole.lines(name: name, url: url),
                                            failed: false))
                } catch {
                    mailbox.post(.consoleClosed(message: ErrorText.sentence(error), failed: true))
                }
            }
        case .openConsole(let id, let name, let force):
            openConsole(instanceID: id, name: name, force: force)
        case .loadConsoleLog(let id):
            followConsoleLog(instanceID: id)
        case .openVNC(let id, let name):
            guard let consoles = opened.consoles else {
                _ = state.handle(.vncResult(instanceName: name, lines: ["This backend has no graphical consoles."], failed: true))
                return
            }
            let mailbox = self.mailbox
            let environment = ProcessInfo.processInfo.environment
            Task.detached {
                let result = await VNCLauncher.run(consoles: consoles, instanceID: id, instanceName: name,
                                                   environment: environment, showPassword: false)
                mailbox.post(.vncResult(instanceName: name, lines: result.lines, failed: result.failed))
            }
        case .loadTheme(let nameOrPath):
            do {
                var theme = try ThemeLoader.load(nameOrPath: nameOrPath, searchDirectories: themeDirectories)
                if options.noColor || terminal.capabilities.colors == 0 { theme = theme.monochrome }
                _ = state.handle(.themeLoaded(theme))
            } catch {
                _ = state.handle(.themeFailed(message: ErrorText.sentence(error)))
            }
        }
    }

    /// Hands the terminal to the serial console until the escape key, then redraws everything.
    private func openConsole(instanceID: String, name: String, force: Bool) {
        guard let consoles = opened.consoles else {
            _ = state.handle(.consoleClosed(message: "This backend has no serial consoles.", failed: true))
            return
        }
        let session: any SerialConsoleSession
        do {
            session = try consoles.openSerialConsole(instanceID: instanceID, force: force)
        } catch let busy as ConsoleBusy {
            consoleForceOffer = (instanceID, name)
            state.handle(.consoleClosed(message: busy.dashboardMessage, failed: true)).forEach(perform)
            return
        } catch {
            state.handle(.consoleClosed(message: ErrorText.sentence(error), failed: true)).forEach(perform)
            return
        }
        terminal.suspend()
        ConsoleCommand.printBanner(name, escape: options.consoleEscape)
        let terminal = self.terminal
        let end = ConsolePump.run(session, escape: options.consoleEscape, quitRequested: { ConsoleTargets.quitSignalled(terminal) })
        session.close()
        terminal.resume()
        let (message, failed) = ConsoleTargets.ending(end, name: name, opened: opened)
        // .consoleClosed asks for .redrawAll: the next frame repaints every cell over the console's output.
        state.handle(.consoleClosed(message: message, failed: failed)).forEach(perform)
        terminal.invalidate()
        if end == .signal { state.quitRequested = true }
    }

    /// Reads the console log now and then about once a second until its pane closes.
    private func followConsoleLog(instanceID: String) {
        consoleLogFollow?.task.cancel()
        guard let consoles = opened.consoles else {
            _ = state.handle(.consoleLogFailed(instanceID: instanceID, message: "This backend keeps no console logs."))
            return
        }
        let mailbox = self.mailbox
        let task = Task.detached {
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
        consoleLogFollow = (instanceID, task)
    }

    private func stopFollowingClosedConsoleLog() {
        guard let follow = consoleLogFollow else { return }
        if case .consoleLog(let pane)? = state.topOverlay, pane.instanceID == follow.id { return }
        follow.task.cancel()
        consoleLogFollow = nil
    }

    /// Loads a fresh snapshot in the background unless one is already on its way. An explicit refresh
    /// (a key, a finished action) queues one more load; the timer does not pile up behind a slow backend.
    private func startLoad(queueIfBusy: Bool = true) {
        nextRefresh = Date().addingTimeInterval(options.refreshSeconds)
        guard !loading else {
            if queueIfBusy { reloadWhenDone = true }
            return
        }
        loading = true
        loadsDone += 1
        let backend = opened.backend
        let mailbox = self.mailbox
        let cache = opened.cache
        let endpoint = state.backend.endpoint
        // Saving the snapshot costs a JSON encode; once at start and then every ~30 loads is plenty.
        let save = (loadsDone == 1 || loadsDone % 30 == 0) && !options.readOnly
        Task.detached {
            do {
                let snapshot = try await backend.snapshot()
                mailbox.post(.snapshotLoaded(snapshot, origin: .live))
                if save { try? cache?.saveSnapshot(snapshot, for: endpoint) }
            } catch {
                mailbox.post(.loadFailed(message: ErrorText.sentence(error),
                                         waitsForUser: (error as? BackendError)?.stopsRetries ?? false))
            }
        }
    }

    private func listenForEvents() {
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

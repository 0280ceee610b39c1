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

    init(opened: OpenedBackend, options: Options, theme: Theme, glyphs: Glyphs, themeDirectories: [String],
         terminal: NcursesTerminal) {
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
                case .key(let key): effects += state.handle(.key(key))
                case .resize(let size):
                    effects += state.handle(.resize(size))
                    terminal.invalidate()
                case .signal: effects.append(.quit)
                }
            }
            for event in mailbox.drain() {
                switch event {
                case .snapshotLoaded, .loadFailed:
                    loading = false
                    if reloadWhenDone { reloadWhenDone = false; effects.append(.refresh) }
                default: break
                }
                effects += state.handle(event)
            }
            let now = Date()
            if now >= nextRefresh { startLoad(queueIfBusy: false) }
            if state.staleSince != nil || now.timeIntervalSince(state.now) >= 60 { _ = state.handle(.tick(now)) }
            for effect in effects { perform(effect) }
            if state.quitRequested { break }
            draw()
        }
        eventsTask?.cancel()
    }

    private func pollTimeout() -> Int32 {
        let untilRefresh = max(0, nextRefresh.timeIntervalSinceNow)
        // While stale, tick every second so the age on the status line is true.
        let limit = state.staleSince != nil ? min(untilRefresh, 1) : untilRefresh
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
            let reporter: @Sendable (ActionProgress.Update) -> Void = { update in
                if throttle.shouldReport(update) { mailbox.post(.actionProgress(request, text: update.sentence)) }
            }
            Task.detached {
                do {
                    let outcome = try await ActionProgress.$reporter.withValue(reporter) { try await backend.perform(request) }
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
        case .openConsole(_, let name, _):
            _ = state.handle(.consoleClosed(message: "The serial console of \(name) is not available in this build.",
                                            failed: true))
        case .loadConsoleLog(let id):
            _ = state.handle(.consoleLogFailed(instanceID: id, message: "Console logs are not available in this build."))
        case .openVNC(_, let name):
            _ = state.handle(.vncResult(instanceName: name, lines: ["VNC is not available in this build."], failed: true))
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
        let save = loadsDone == 1 || loadsDone % 30 == 0
        Task.detached {
            do {
                let snapshot = try await backend.snapshot()
                mailbox.post(.snapshotLoaded(snapshot, origin: .live))
                if save { try? cache?.saveSnapshot(snapshot, for: endpoint) }
            } catch {
                mailbox.post(.loadFailed(message: ErrorText.sentence(error)))
            }
        }
    }

    private func listenForEvents() {
        let backend = opened.backend
        let mailbox = self.mailbox
        eventsTask = Task.detached {
            for await event in backend.events() {
                mailbox.post(.backend(event))
            }
        }
    }
}

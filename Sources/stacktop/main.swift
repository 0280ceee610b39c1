import FoundationEssentials
import Glibc
import StacktopServices
import TerminalUI
import Dashboard
import NcursesTerminal

/// Composition only: parse the command line, open the backend, pick a theme, run a mode.
@MainActor
func runStacktop() -> Int32 {
    let environment = ProcessInfo.processInfo.environment
    var options: Options
    do {
        options = try OptionParser.parse(Array(Swift.CommandLine.arguments.dropFirst()))
    } catch {
        printError(ErrorText.sentence(error))
        return 2
    }
    switch options.mode {
    case .help:
        print(OptionParser.usage)
        return 0
    case .actionHelp(let text):
        print(text, terminator: "")
        return 0
    case .version:
        print("stacktop \(stacktopVersion)")
        return 0
    case .bench(let settings):
        if settings.help {
            print(BenchSettings.usage)
            return 0
        }
        return BenchCommand.run(settings)
    default:
        break
    }

    // Contexts: config.yaml's hosts and clouds.yaml's clouds; --context NAME opens one.
    var contexts = ContextList()
    var currentContext: String?
    let contextBase = options
    var wantsContexts = options.context != nil || options.mode == Options.Mode.dashboard
    if case .render(let view, _, _, _) = options.mode, ["contexts", "ctx"].contains(view.lowercased()) { wantsContexts = true }
    if wantsContexts {
        do {
            contexts = try ContextCatalog.load(environment: environment)
        } catch {
            printError(ErrorText.sentence(error))
            return 1
        }
        if options.fleet != nil {
            do {
                _ = try FleetFactory.members(options, environment: environment)
            } catch {
                printError(ErrorText.sentence(error))
                return 2
            }
        }
        if let name = options.context {
            guard let context = contexts[name] else {
                printError(contexts.unknown(name))
                return 2
            }
            options = ContextCatalog.options(options, for: context)
            currentContext = name
        }
    }

    let wall: WallSettings?
    do {
        wall = try WallOptions.settings(from: options)
    } catch {
        printError(ErrorText.sentence(error))
        return 2
    }

    let capabilities = TerminalCapabilities.detect(environment: environment)
    let themeDirectories = ThemePaths.directories(environment: environment)
    var theme: Theme
    do {
        if let asked = options.theme {
            theme = try ThemeLoader.load(nameOrPath: asked, searchDirectories: themeDirectories)
        } else if options.wall {
            // A wall is read from across a room: high contrast unless a theme is asked for. That theme is a
            // file shipped beside the sources; a binary copied elsewhere without it still opens its wall.
            theme = (try? ThemeLoader.load(nameOrPath: "high-contrast", searchDirectories: themeDirectories)) ?? .builtIn
        } else {
            theme = try ThemeLoader.load(nameOrPath: "default", searchDirectories: themeDirectories)
        }
    } catch {
        printError(ErrorText.sentence(error))
        return 1
    }
    let glyphs: Glyphs = options.ascii || !capabilities.utf8 ? .ascii : .unicode
    if options.noColor || environment["NO_COLOR"].map({ !$0.isEmpty }) == true {
        theme = theme.monochrome
    }

    // A dashboard takes the terminal first and draws the store's last snapshot before the backend is
    // opened (a big libvirt host or a login can take a while); the runner's first frame replaces it.
    var earlyTerminal: NcursesTerminal?
    var early: EarlyFrame?
    if case .dashboard = options.mode, capabilities.isInteractive {
        do {
            let terminal = try NcursesTerminal(capabilities: capabilities, crashLogPath: CrashLog.path(environment: environment))
            early = EarlyFrame.draw(options, environment: environment, wall: wall, theme: theme, glyphs: glyphs,
                                    terminal: terminal, context: currentContext)
            earlyTerminal = terminal
        } catch {
            printError(ErrorText.sentence(error))
            return 1
        }
    }

    let opened: OpenedBackend
    do {
        var chosen = options
        if case .render = options.mode, options.connect == nil, environment["LIBVIRT_DEFAULT_URI"] == nil {
            chosen.demo = true  // screenshots come from the demo unless a URI is given
        }
        if options.wall, case .dashboard = options.mode {
            opened = WallBackend.open(chosen, environment: environment)
        } else {
            opened = try BackendFactory.open(chosen, environment: environment)
        }
    } catch {
        earlyTerminal?.shutdown()
        printError(ErrorText.sentence(error))
        return 1
    }
    defer { opened.cleanup() }

    do {
        switch options.mode {
        case .action(let command):
            if let notice = opened.notice { printError(notice) }
            return ActionCommandRunner.run(command, opened: opened, readOnly: options.readOnly)
        case .console(let instance, let force, let escape):
            return ConsoleCommand.run(instance: instance, force: force, escape: escape, opened: opened,
                                      readOnly: options.readOnly, environment: environment)
        case .vnc(let instance, let showPassword):
            return VNCCommand.run(instance: instance, showPassword: showPassword, opened: opened,
                                  readOnly: options.readOnly, environment: environment)
        case .list(let kind, let format, let columns):
            if let notice = opened.notice { printError(notice) }
            printOut(try ListCommand.run(kind: kind, format: format, columns: columns, opened: opened), terminator: "")
        case .show(let kind, let name, let format):
            if let notice = opened.notice { printError(notice) }
            printOut(try ListCommand.show(kind: kind, name: name, format: format, opened: opened), terminator: "")
        case .render(let view, let size, let format, let output):
            let text = try RenderCommand.run(view: view, sizeText: size, format: format, output: output, theme: theme,
                                             glyphs: glyphs, opened: opened, readOnly: options.readOnly, contexts: contexts)
            if let output {
                try Data(text.utf8).write(to: URL(fileURLWithPath: output))
            } else {
                printVerbatim(text, terminator: text.hasSuffix("\n") ? "" : "\n")
            }
        case .dashboard:
            guard capabilities.isInteractive else {
                printOut(try PlainOutput.run(opened: opened, reason: capabilities.reasonNotInteractive ?? "not a terminal"),
                      terminator: "")
                return 0
            }
            if capabilities.colors == 0 { theme = theme.monochrome }
            let terminal = try earlyTerminal ?? NcursesTerminal(capabilities: capabilities,
                                                                crashLogPath: CrashLog.path(environment: environment))
            // The wall takes no clicks; everywhere else the mouse is on unless --no-mouse.
            terminal.setMouseReporting(!options.noMouse && !options.wall)
            // The early frame's state goes on when it showed the opened backend's data; else it is dropped.
            let continued = early.flatMap { $0.state.backend.endpoint == opened.backend.description.endpoint ? $0.state : nil }
            if currentContext == nil {
                currentContext = ContextCatalog.current(of: opened.backend.description, in: &contexts)
            }
            let runner = DashboardRunner(opened: opened, options: options, wall: wall, theme: theme, glyphs: glyphs,
                                         themeDirectories: themeDirectories, terminal: terminal, continuing: continued,
                                         contexts: contexts, currentContext: currentContext,
                                         history: CommandHistoryFile(options: options, environment: environment),
                                         environment: environment, contextBase: contextBase)
            runner.run(typedAhead: early?.notApplied ?? [])
            terminal.shutdown()
        default:
            break
        }
    } catch {
        printError(ErrorText.sentence(error))
        return 1
    }
    return 0
}

let stacktopVersion = "0.1.0"

// Before anything else: the backtracer's settings (a re-exec, once) and the crash handler.
CrashReporting.configureBacktracer()
CrashReporting.install(logPath: CrashLog.path(environment: ProcessInfo.processInfo.environment))
exit(runStacktop())

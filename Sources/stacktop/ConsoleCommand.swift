import Glibc
import StacktopModel
import StacktopServices
import TerminalUI
import NcursesTerminal
import LocalBackend
import TextSafety

/// `stacktop console INSTANCE`: the serial console on this terminal until the escape key.
enum ConsoleCommand {
    @MainActor
    static func run(instance name: String, force: Bool, escape: UInt8, opened: OpenedBackend,
                    readOnly: Bool, environment: [String: String]) -> Int32 {
        if readOnly {
            printError("Refused to open the serial console of \(name): stacktop is read-only (typing into it changes "
                       + "the guest); restart it without --readonly.")
            return 1
        }
        guard let consoles = opened.consoles else {
            printError("This backend has no serial consoles; connect to a libvirt host with --connect URI.")
            return 1
        }
        let instance: Instance
        let session: any SerialConsoleSession
        do {
            instance = try ConsoleTargets.find(name, in: opened)
            let instanceID = instance.id
            session = try runBlocking { try await consoles.openSerialConsole(instanceID: instanceID, force: force) }
        } catch {
            printError(ErrorText.sentence(error))
            return 1
        }
        // The terminal's signal machinery (SIGTERM/SIGHUP/SIGINT noted, crash restores the tty) is the
        // dashboard's: taken and at once suspended, it guards the raw console without drawing anything.
        let capabilities = TerminalCapabilities.detect(environment: environment)
        let terminal = isatty(STDIN_FILENO) == 1 && capabilities.isInteractive
            ? try? NcursesTerminal(capabilities: capabilities, crashLogPath: CrashLog.path(environment: environment))
            : nil
        terminal?.suspend()
        printBanner(instance.name, escape: escape, notice: session.notice)
        let end = ConsolePump.run(session, escape: escape, quitRequested: { ConsoleTargets.quitSignalled(terminal) })
        session.close()
        terminal?.shutdown()
        let (message, failed) = ConsoleTargets.ending(end, name: instance.name, opened: opened)
        if failed { printError(message) } else { printVerbatim("\r\n", terminator: ""); printOut(message) }
        return failed || end == .signal ? 1 : 0
    }

    /// `notice`: what the operator must know while typing (TLS not verified), in the banner's own line.
    static func printBanner(_ name: String, escape: UInt8, notice: String? = nil) {
        let banner = "Connected to \(TerminalText.sanitize(name))'s serial console"
            + (notice.map { " (\(TerminalText.sanitize($0)))" } ?? "") + "; \(ConsolePump.escapeName(escape)) returns.\r\n"
        ConsolePump.writeAll(STDOUT_FILENO, Array(banner.utf8), count: banner.utf8.count)
    }
}

/// What console, log and VNC share: finding the instance, and saying how a session ended.
enum ConsoleTargets {
    static func find(_ name: String, in opened: OpenedBackend) throws -> Instance {
        let backend = opened.backend
        let snapshot = try runBlocking { try await backend.snapshot() }
        guard let instance = snapshot.instances.first(where: { $0.name == name })
                ?? snapshot.instances.first(where: { $0.id == name }) else {
            throw BackendError.notFound(kind: "server", name: name)
        }
        return instance
    }

    /// True when a quit signal arrived (the terminal's handlers note it; nothing is read from the keyboard while suspended).
    @MainActor
    static func quitSignalled(_ terminal: (any TerminalDevice)?) -> Bool {
        guard let terminal else { return false }
        return terminal.waitForInput(timeoutMilliseconds: 0).contains {
            if case .signal = $0 { return true }
            return false
        }
    }

    /// The sentence for the end of a session, and whether it is an error.
    static func ending(_ end: ConsoleEnd, name: String, opened: OpenedBackend) -> (String, Bool) {
        switch end {
        case .escape: return ("Left the serial console of \(name).", false)
        case .signal: return ("Left the serial console of \(name): stacktop was asked to stop.", true)
        case .inputClosed: return ("Left the serial console of \(name): the terminal closed.", true)
        case .failed(let message): return (message, true)
        case .streamEnded(let reason):
            let backend = opened.backend
            let state = (try? runBlocking { try await backend.snapshot() })?.instances.first { $0.name == name }?.state
            if let state, state != .running, state != .paused {
                // Read while the guest is still going down: the state may say shutdown rather than shutoff.
                return ("The serial console of \(name) closed because the guest stopped.", false)
            }
            return ("The serial console of \(name) closed while the guest kept running, most likely taken over by "
                    + "another session" + (reason.map { " (\($0))" } ?? "") + "; open it again to reconnect.", true)
        }
    }
}

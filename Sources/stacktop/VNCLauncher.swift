import Glibc
import StacktopServices
import LocalBackend

/// Starts a VNC viewer detached from stacktop: its own session (no terminal, no signals from it),
/// output to /dev/null so it cannot scribble on the dashboard, reaped by a small thread.
enum VNCLauncher {
    static func findExecutable(_ name: String, path: String?) -> String? {
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if access(candidate, X_OK) == 0 { return candidate }
        }
        return nil
    }

    /// Throws a `BackendError` naming the viewer when it cannot be started.
    static func spawn(executable: String, arguments: [String]) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 2.26) is behind _GNU_SOURCE, which Swift's Glibc module does not define.
        let spawnSetsid: Int16 = 0x80
        posix_spawnattr_setflags(&attributes, spawnSetsid)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in [STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO] {
            posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY, 0)
        }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw BackendError.failed(what: "Starting the VNC viewer \(executable)", reason: String(cString: strerror(result)))
        }
        reap(pid)
    }

    /// waitpid on a plain thread: the viewer may live for hours, which must not hold a Swift task thread.
    private static func reap(_ pid: pid_t) {
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { argument in
            let pid = pid_t(Int(bitPattern: argument))
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            return nil
        }, UnsafeMutableRawPointer(bitPattern: Int(pid)))
        if started == 0 { pthread_detach(thread) }
    }

    /// Finds the display and acts on it: the lines to show, and whether it failed.
    static func run(consoles: any ConsoleAccess, instanceID: String, instanceName: String,
                    environment: [String: String], showPassword: Bool) async -> (lines: [String], failed: Bool) {
        do {
            let display = try await consoles.graphicsDisplay(instanceID: instanceID)
            let plan = VNCPlan.decide(display: display, instanceName: instanceName, environment: environment,
                                      showPassword: showPassword,
                                      findExecutable: { findExecutable($0, path: environment["PATH"]) })
            switch plan {
            case .launch(let executable, let arguments, let lines):
                try spawn(executable: executable, arguments: arguments)
                return (lines, false)
            case .explain(let lines):
                return (lines, false)
            }
        } catch {
            return ([ErrorText.sentence(error)], true)
        }
    }
}

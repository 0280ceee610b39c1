import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs commands with posix_spawn and waitpid, collecting stdout and stderr through a file.
///
/// Why not Foundation's `Process`: `tmux new-session` forks a server that outlives the client and inherits
/// whatever the client was given. With `Process`, reading a pipe to its end then never returns, and here
/// `waitUntilExit` was seen to hang on a client that had already exited (it stayed a zombie). waitpid on the
/// direct child cannot be confused by grandchildren, and a file has no reader to block.
public enum ChildProcess {
    public struct Result: Sendable {
        /// The shell's view of how it ended: the exit code, or 128 + the signal number.
        public let status: Int32
        /// What it wrote to the captured streams, in order.
        public let output: String
        public let timedOut: Bool
    }

    /// Where the child's standard output goes.
    public enum Output: Sendable { case captured, discarded }
    /// Where the child's standard error goes: into the captured output, or nowhere.
    public enum Errors: Sendable { case merged, discarded }

    public enum Failure: Error, CustomStringConvertible {
        case spawn(command: String, errno: Int32)
        public var description: String {
            switch self {
            case .spawn(let command, let code): "could not start \(command): \(String(cString: strerror(code)))"
            }
        }
    }

    /// Runs `argv` to completion; `argv[0]` is looked up in PATH. The child is killed (SIGKILL) once
    /// `timeout` seconds have passed. Standard input is /dev/null.
    public static func run(_ argv: [String], environment: [String: String]? = nil, output: Output = .captured,
                           errors: Errors = .merged, timeout: TimeInterval = 30) throws -> Result {
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("stacktop-child-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out").path
        defer { unlink(outputPath) }
        let pid = try spawn(argv, environment: environment,
                            standardOutput: output == .captured ? outputPath : "/dev/null",
                            mergeErrors: errors == .merged)

        let deadline = Date().addingTimeInterval(timeout)
        var status: Int32 = 0
        var timedOut = false
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() >= deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(10_000)
        }
        let text = output == .captured ? (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" : ""
        return Result(status: exitCode(fromWaitStatus: status), output: text, timedOut: timedOut)
    }

    /// Starts `argv` in the background (a loopback server for a test), its standard output into the file
    /// at `standardOutput` (nil: /dev/null) and its standard error to /dev/null. Stop it with `stop()`.
    public static func start(_ argv: [String], environment: [String: String]? = nil,
                             standardOutput: String? = nil) throws -> Running {
        Running(pid: try spawn(argv, environment: environment, standardOutput: standardOutput ?? "/dev/null",
                               mergeErrors: false))
    }

    /// A child started by `start`. It is killed and reaped by `stop()`, or when the value goes away.
    public final class Running: Sendable {
        private let pid: pid_t
        /// Whether it was reaped already: a reaped pid may belong to another process, so it is never
        /// signalled again.
        private let reaped = Mutex(false)

        init(pid: pid_t) { self.pid = pid }

        /// Kills it (SIGKILL) and waits for it; once only.
        public func stop() {
            reaped.withLock { reaped in
                guard !reaped else { return }
                kill(pid, SIGKILL)
                var status: Int32 = 0
                while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                reaped = true
            }
        }

        deinit { stop() }
    }

    /// posix_spawnp with standard input from /dev/null, standard output into `standardOutput` (created
    /// 0600, truncated) and standard error merged into it or sent to /dev/null.
    private static func spawn(_ argv: [String], environment: [String: String]?, standardOutput: String,
                              mergeErrors: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, standardOutput, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if mergeErrors {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }

        let environmentStrings = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        var cArguments = argv.map { strdup($0) } + [nil]
        var cEnvironment = environmentStrings.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }

        // Swift's worker threads block nearly every signal and a child inherits that mask: a daemon
        // started from here (tmux's server, libvirtd) would never see SIGTERM. Children start clean.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, &cArguments, &cEnvironment)
        guard spawned == 0 else { throw Failure.spawn(command: argv[0], errno: spawned) }
        return pid
    }

    /// The shell's view of a wait status: the exit code, or 128 + signal number.
    private static func exitCode(fromWaitStatus status: Int32) -> Int32 {
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

import FoundationEssentials
import Glibc
import CPseudoTerminal

/// Something the bench could not do or wait for, as one sentence.
struct BenchError: Error, CustomStringConvertible {
    var description: String
}

/// Milliseconds on CLOCK_MONOTONIC, the clock every figure of the bench is read from.
enum BenchClock {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
    }
}

/// Environment and argument arrays as C wants them, freed when this goes away.
private final class CStrings {
    let pointers: [UnsafeMutablePointer<CChar>?]
    init(_ strings: [String]) { pointers = strings.map { strdup($0) } + [nil] }
    deinit { pointers.forEach { free($0) } }
}

/// A program running in a pseudo-terminal of its own (120x40 unless told), as a terminal emulator runs
/// it: a new session with the terminal's slave as its controlling terminal and stdin, stdout and
/// stderr. The bench writes keys to the master and reads what the program draws from it.
///
/// The child never outlives this object: `finish` waits for it, and `deinit` kills whatever is still
/// running (an error thrown halfway through a measurement lands there).
final class PseudoTerminalProcess {
    let pid: pid_t
    /// CLOCK_MONOTONIC milliseconds just before the spawn.
    let startedAt: Double
    private let master: Int32
    private var exited = false
    /// Everything read since the last `clearOutput`, for `waitFor` and for error messages.
    private(set) var output: [UInt8] = []

    init(binary: String, arguments: [String], environment: [String: String], rows: UInt16 = 40, columns: UInt16 = 120) throws {
        var slave = [CChar](repeating: 0, count: 256)
        let fd = pt_open(rows, columns, &slave, slave.count)
        guard fd >= 0 else {
            throw BenchError(description: "Opening a pseudo-terminal failed (\(String(cString: strerror(errno)))); "
                             + "check that /dev/ptmx and /dev/pts are available.")
        }
        let argv = CStrings([binary] + arguments)
        let envp = CStrings(environment.map { "\($0.key)=\($0.value)" }.sorted())
        var child: pid_t = 0
        let started = BenchClock.now()
        let error = pt_spawn(binary, argv.pointers, envp.pointers, slave, &child)
        guard error == 0 else {
            close(fd)
            throw BenchError(description: "Starting \(binary) failed (\(String(cString: strerror(error)))); "
                             + "check the path given with --binary.")
        }
        master = fd
        pid = child
        startedAt = started
    }

    deinit {
        if !exited {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        close(master)
    }

    func send(_ text: String) throws {
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw BenchError(description: "Writing a key to stacktop's terminal failed (\(String(cString: strerror(errno))));"
                             + " stacktop may have exited.")
        }
    }

    func clearOutput() { output.removeAll(keepingCapacity: true) }

    /// Waits up to `timeout` ms for output and reads what there is. Returns the CLOCK_MONOTONIC time
    /// output was seen at, or nil if none came (or the terminal closed). Throws when the bench is
    /// interrupted (`BenchSignals`), which it looks for at least every 100 ms.
    @discardableResult
    func read(timeout: Double) throws -> Double? {
        let deadline = BenchClock.now() + timeout
        while true {
            try BenchSignals.check()
            let left = deadline - BenchClock.now()
            var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(100, max(0, left)).rounded(.up)))
            if ready > 0 { break }
            if BenchClock.now() >= deadline { return nil }
        }
        let seen = BenchClock.now()
        var buffer = [UInt8](repeating: 0, count: 65536)
        let count = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
        guard count > 0 else {
            // EIO: every slave descriptor is closed, the child has gone. Do not spin on it.
            usleep(5_000)
            return nil
        }
        output.append(contentsOf: buffer[0..<count])
        return seen
    }

    /// Reads until `needle` appears in the output, returning the time (CLOCK_MONOTONIC ms) of the read
    /// that completed it; `what` names it in the sentence said when `timeout` ms pass first.
    func waitFor(_ needle: String, what: String, timeout: Double) throws -> Double {
        let bytes = Array(needle.utf8)
        let deadline = BenchClock.now() + timeout
        var searchedUpTo = 0
        var seenAt = BenchClock.now()
        while true {
            if find(bytes, from: searchedUpTo) != nil { return seenAt }
            searchedUpTo = max(0, output.count - bytes.count + 1)
            try checkAlive(waitingFor: what)
            let left = deadline - BenchClock.now()
            guard left > 0 else {
                throw BenchError(description: "Timed out after \(Int(timeout / 1000)) s waiting for \(what); "
                                 + "the last output was \"\(tail())\".")
            }
            if let seen = try read(timeout: min(left, 100)) { seenAt = seen }
        }
    }

    func contains(_ needle: String) -> Bool { find(Array(needle.utf8), from: 0) != nil }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, output.count >= needle.count else { return nil }
        var i = start
        while i + needle.count <= output.count {
            if output[i] == needle[0], output[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }

    /// Sends `key` and returns the milliseconds until the first output byte, or nil after `timeout` ms.
    func firstByte(after key: String, timeout: Double) throws -> Double? {
        let sent = BenchClock.now()
        try send(key)
        guard let seen = try read(timeout: timeout) else { return nil }
        return seen - sent
    }

    /// Reads until nothing has come for `quiet` ms; says what it was waiting for after `limit` ms.
    func settle(quiet: Double, limit: Double, what: String) throws {
        let deadline = BenchClock.now() + limit
        while try read(timeout: quiet) != nil {
            if BenchClock.now() > deadline {
                throw BenchError(description: "Timed out after \(Int(limit / 1000)) s waiting for stacktop's screen to "
                                 + "settle \(what); it kept writing.")
            }
        }
        try checkAlive(waitingFor: "its screen to settle \(what)")
    }

    /// Reads (and drops) whatever comes for `milliseconds`, counting the bytes.
    func drain(for milliseconds: Double) throws -> Int {
        let deadline = BenchClock.now() + milliseconds
        var bytes = 0
        while true {
            let left = deadline - BenchClock.now()
            if left <= 0 { return bytes }
            let before = output.count
            try read(timeout: left)
            bytes += output.count - before
            clearOutput()
        }
    }

    private func checkAlive(waitingFor what: String) throws {
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == pid {
            exited = true
            throw BenchError(description: "stacktop exited (\(BenchProcess.describe(status))) while the bench waited for "
                             + "\(what); its last output was \"\(tail())\".")
        }
    }

    /// Sends `q` and waits for the exit; kills the child after `timeout` ms. Returns a sentence when it
    /// did not end cleanly.
    func quit(timeout: Double = 15_000) -> String? {
        try? send("q")
        let deadline = BenchClock.now() + timeout
        var status: Int32 = 0
        while BenchClock.now() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                exited = true
                return status == 0 ? nil : "stacktop ended \(BenchProcess.describe(status)) after q."
            }
            // Interrupted or not, the child is waited for (or killed) before the bench goes on.
            _ = try? read(timeout: 5)
            clearOutput()
        }
        kill(pid, SIGKILL)
        waitpid(pid, &status, 0)
        exited = true
        return "stacktop did not quit within \(Int(timeout / 1000)) s of q and was killed."
    }

    /// user + system CPU of the child so far, in milliseconds (/proc/PID/stat).
    func cpuMilliseconds() throws -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else {
            throw BenchError(description: "Reading /proc/\(pid)/stat failed; the bench reads stacktop's CPU time there.")
        }
        // After "pid (comm) ": state is field 3, utime 14, stime 15.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 13, let user = Double(fields[11]), let system = Double(fields[12]) else {
            throw BenchError(description: "/proc/\(pid)/stat had no CPU times the bench could read.")
        }
        return (user + system) * 1000 / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The peak resident set so far (VmHWM), in bytes.
    func peakResidentBytes() throws -> Double {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = line.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) else {
            throw BenchError(description: "Reading VmHWM from /proc/\(pid)/status failed; the bench reads stacktop's peak memory there.")
        }
        return kib * 1024
    }

    /// The last bytes read, printable, for error sentences.
    func tail() -> String {
        let text = String(decoding: output.suffix(160), as: UTF8.self)
        return String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7f ? "." : Character($0) })
    }
}

/// Programs run to their end without a terminal: `virsh list --all` and a one-shot `instance list`.
enum BenchProcess {
    struct Outcome {
        /// From just before the spawn to the exit, CLOCK_MONOTONIC.
        var milliseconds: Double
        var cpuMilliseconds: Double
        /// ru_maxrss, in bytes.
        var peakResidentBytes: Double
        /// The last line it wrote.
        var lastLine = ""
    }

    /// Runs `argv` (`argv[0]` looked up in PATH) with stdout and stderr into a pipe that is read and
    /// dropped; kills it after `timeout` ms. The pipe's end tells the exit without polling waitpid.
    static func run(_ argv: [String], environment: [String: String], timeout: Double) throws -> Outcome {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw BenchError(description: "Making a pipe for \(argv[0]) failed (\(String(cString: strerror(errno)))).")
        }
        defer { close(fds[0]) }
        let cArguments = CStrings(argv)
        let cEnvironment = CStrings(environment.map { "\($0.key)=\($0.value)" }.sorted())
        var pid: pid_t = 0
        let started = BenchClock.now()
        let error = pt_spawn_piped(argv[0], cArguments.pointers, cEnvironment.pointers, fds[1], &pid)
        close(fds[1])
        guard error == 0 else {
            throw BenchError(description: "Starting \(argv[0]) failed (\(String(cString: strerror(error)))).")
        }
        let deadline = started + timeout
        var kept: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let left = deadline - BenchClock.now()
            var poller = pollfd(fd: fds[0], events: Int16(POLLIN), revents: 0)
            let interrupted = BenchSignals.pending()
            if interrupted != nil || left <= 0 {
                kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
                try BenchSignals.check()
                throw BenchError(description: "Timed out after \(Int(timeout / 1000)) s waiting for `\(argv.joined(separator: " "))` to finish; it was killed.")
            }
            if poll(&poller, 1, Int32(min(100, left).rounded(.up))) == 0 { continue }
            let count = buffer.withUnsafeMutableBytes { read(fds[0], $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            kept = Array((kept + buffer[0..<count]).suffix(400))
        }
        // The pipe closed: the child is exiting (or closed its output and goes on, which is a hang too).
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, WNOHANG, &usage) == 0 {
            guard BenchClock.now() < deadline else {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                throw BenchError(description: "Timed out after \(Int(timeout / 1000)) s waiting for `\(argv.joined(separator: " "))` to exit after it closed its output; it was killed.")
            }
            usleep(200)
        }
        let ended = BenchClock.now()
        guard status == 0 else {
            let text = String(decoding: kept, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw BenchError(description: "`\(argv.joined(separator: " "))` ended \(describe(status)): \(text)")
        }
        func ms(_ t: timeval) -> Double { Double(t.tv_sec) * 1000 + Double(t.tv_usec) / 1000 }
        return Outcome(milliseconds: ended - started, cpuMilliseconds: ms(usage.ru_utime) + ms(usage.ru_stime),
                       peakResidentBytes: Double(usage.ru_maxrss) * 1024,
                       lastLine: String(decoding: kept, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? "")
    }

    /// Whether `name` is an executable in PATH.
    static func inPath(_ name: String, environment: [String: String]) -> Bool {
        (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").contains { access("\($0)/\(name)", X_OK) == 0 }
    }

    static func describe(_ status: Int32) -> String {
        let signal = status & 0x7f
        return signal == 0 ? "with status \((status >> 8) & 0xff)" : "by signal \(signal)"
    }
}

/// Ctrl-C, SIGTERM and SIGHUP, held back while the bench runs so that it can stop its children and remove
/// its temporary files before it goes: the signals are blocked (this thread and every thread started
/// after it inherit the mask; children get a clear mask), and every wait of the bench looks for them at
/// least every 100 ms. Nothing global is written; the kernel keeps the pending set.
enum BenchSignals {
    static let held: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    static func hold() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in held { sigaddset(&set, signal) }
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Lets the held signals through again; one that arrived meanwhile acts now.
    static func release() {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in held { sigaddset(&set, signal) }
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }

    /// The held signal that arrived, if one did.
    static func pending() -> Int32? {
        var set = sigset_t()
        sigemptyset(&set)
        guard sigpending(&set) == 0 else { return nil }
        return held.first { sigismember(&set, $0) == 1 }
    }

    static func check() throws {
        if let signal = pending() {
            throw BenchInterrupted(signal: signal)
        }
    }
}

struct BenchInterrupted: Error, CustomStringConvertible {
    var signal: Int32
    var description: String {
        "The bench was interrupted (signal \(signal)); its children were stopped and its temporary files removed."
    }
}

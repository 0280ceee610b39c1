import FoundationEssentials
import Glibc
import StacktopModel
import StacktopServices
import StacktopStore
import TerminalUI
import Dashboard
import LocalBackend

/// `stacktop bench`: first the figures a user feels, measured from outside (`BenchOutside`: the binary in
/// a pseudo-terminal), then pieces timed inside this process, labelled as such. Budgets are checked here
/// and reported, never asserted by unit tests (timings on a shared CI machine are noise).
enum BenchCommand {
    static func run(_ settings: BenchSettings) -> Int32 {
        let environment = ProcessInfo.processInfo.environment
        let binary = settings.binary ?? realpath("/proc/self/exe", nil).map { path in
            defer { free(path) }
            return String(cString: path)
        } ?? "/proc/self/exe"
        guard access(binary, X_OK) == 0 else {
            printError("\(binary) is not an executable file; give the stacktop to measure with --binary PATH.")
            return 1
        }
        print("stacktop bench: \(binary)")
        print("measured from outside: a 120x40 pseudo-terminal (TERM=xterm-256color), CLOCK_MONOTONIC in the bench")
        print("\(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) at the start"
              + " (figures taken while other programs use the CPU are indicative only)")
        if binary.contains("/debug/") {
            print("note: \(binary) is a debug build; users run the release build (swift build -c release).")
        }
        BenchSignals.hold()
        var notMet = 0, problems: [String] = []
        /// Prints one section's table and problems; the exit status when the bench was interrupted.
        func report(_ outcome: BenchOutside.Outcome, title: String) -> Int32? {
            if let interruption = outcome.interrupted {
                fflush(nil)
                printError(interruption.description)
                return 128 + interruption.signal
            }
            print("\n== \(title) ==")
            print(BenchOutside.table(outcome.rows), terminator: "")
            for problem in outcome.problems { print("problem: " + ErrorText.visible(problem)) }
            notMet += outcome.rows.filter { $0.met == false }.count
            problems += outcome.problems
            fflush(nil)
            return nil
        }
        for size in settings.sizes where settings.outside {
            let outcome = BenchOutside.run(size: size, settings: settings, binary: binary, environment: environment)
            if let status = report(outcome, title: "\(size) domains: libvirt test driver, awkward names; the first row is "
                                   + "\"\(BenchFixtures.firstDomainName)\"") { return status }
        }
        if settings.fleetHosts > 0 {
            let outcome = BenchFleet.run(hosts: settings.fleetHosts, settings: settings, binary: binary, environment: environment)
            let hosts = settings.fleetLatencyMilliseconds.map { "distant libvirt hosts (libvirtd's test driver behind a relay "
                + "adding \($0) ms each way), \(BenchFleet.domainsPerDistantHost) domains each" }
                ?? "libvirt test-driver hosts, \(BenchFleet.domainsPerHost) domains each"
            if let status = report(outcome, title: "fleet of \(settings.fleetHosts) \(hosts)") { return status }
        }
        if let cloud = settings.cloud, !settings.fleetOnly {
            let outcome = BenchCloud.run(settings: settings, binary: binary, environment: environment)
            if let status = report(outcome, title: "OpenStack cloud \(cloud): the dashboard at --refresh 2, beside the "
                                   + "bare REST round trip") { return status }
        }
        // From here on nothing is spawned: Ctrl-C may end the bench at once again.
        BenchSignals.release()
        var checks: [String] = []
        if settings.inProcess {
            print("\n== in-process (not what a user feels): pieces timed inside this process, on generated snapshots ==")
            for count in settings.sizes {
                print("\n-- \(count) instances --")
                checks += benchDashboard(count: count)
            }
            if let count = settings.sizes.first {
                checks += benchLibvirt(domains: count)
            }
            checks += BenchWallSoak.run()
            print("\npeak RSS of this bench process: \(peakRSSMiB()) MiB")
        }
        print("\nload average \(loadAverage()) at the end")
        if problems.isEmpty && notMet == 0 && checks.isEmpty {
            print("every figure measured; every budget met")
            return 0
        }
        var summary: [String] = []
        if notMet > 0 { summary.append("\(notMet) budget\(notMet == 1 ? "" : "s") NOT met") }
        if !problems.isEmpty { summary.append("\(problems.count) problem\(problems.count == 1 ? "" : "s") (above)") }
        if !checks.isEmpty { summary.append("in-process checks failed: " + checks.joined(separator: "; ")) }
        print(summary.joined(separator: "; "))
        return 1
    }

    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return text.split(separator: " ").prefix(3).joined(separator: " ")
    }

    // MARK: dashboard

    static func benchDashboard(count: Int) -> [String] {
        var failures: [String] = []
        let snapshot = BenchFixtures.snapshot(instances: count)
        let directory = (try? BenchFiles.makeDirectory()) ?? "/tmp"
        defer { BenchFiles.remove(directory) }
        let storePath = directory + "/bench.sqlite3"
        do {
            let store = try StateStore(path: storePath)
            try store.saveSnapshot(snapshot, for: "bench")
        } catch {
            print("could not prepare the store: \(ErrorText.sentence(error))")
            return ["store"]
        }
        let size = Size(width: 120, height: 40)
        let description = BackendDescription(kind: .local, endpoint: "bench", currentProject: "admin")

        // First frame: open the store, read the last-known snapshot, build the state, render.
        var firstFrame = 0.0
        var state = AppState(backend: description, readOnly: false, size: size, now: snapshot.takenAt)
        var openTime = 0.0, readTime = 0.0, stateTime = 0.0
        firstFrame = measure {
            var store: StateStore?
            openTime = measure { store = try? StateStore(path: storePath) }
            var cached: CloudSnapshot?
            readTime = measure { cached = try? store?.loadSnapshot(for: "bench") }
            stateTime = measure {
                state = AppState(backend: description, readOnly: false, size: size, now: snapshot.takenAt, panel: .instances)
                if let cached { _ = state.handle(.snapshotLoaded(cached, origin: .cached)) }
            }
            _ = DashboardView.render(state)
        }
        report("first frame from cache", firstFrame, budget: nil, failures: &failures)
        print(pad("  open store / read+decode / tables") + "\(format2(openTime)) / \(format2(readTime)) / \(format2(stateTime)) ms")
        // The cache's own layout beside one JSON document of the same snapshot (what it replaced), same run.
        if let document = try? JSONEncoder().encode(snapshot) {
            let jsonTime = measure { _ = try? JSONDecoder().decode(CloudSnapshot.self, from: document) }
            let storeTime = measure { _ = try? StateStore(path: storePath).loadSnapshot(for: "bench") }
            print(pad("  decode: one JSON document / the cache") + "\(format2(jsonTime)) / \(format2(storeTime)) ms")
        }

        // Render + diff of a full frame.
        var previous = DashboardView.render(state)
        let frames = 200
        let renderTime = measure {
            for i in 0..<frames {
                _ = state.handle(.key(i % 2 == 0 ? .down : .up))
                let next = DashboardView.render(state)
                _ = next.changes(since: previous)
                previous = next
            }
        } / Double(frames)
        report("render+diff per frame", renderTime, budget: nil, failures: &failures)

        // Key to frame: apply a key, render, diff.
        let keys = 1000
        let keyTime = measure {
            for i in 0..<keys {
                _ = state.handle(.key(i % 50 < 25 ? .down : .up))
                let next = DashboardView.render(state)
                _ = next.changes(since: previous)
                previous = next
            }
        } / Double(keys)
        report("key to frame", keyTime, budget: nil, failures: &failures)

        // A filter keystroke re-filters every row: the worst key.
        let filterTime = measure {
            _ = state.handle(.key(.character("/")))
            for c in "web-1" { _ = state.handle(.key(.character(c))) }
            _ = DashboardView.render(state)
            _ = state.handle(.key(.escape))
        } / 6
        report("filter keystroke", filterTime, budget: nil, failures: &failures)

        // Bytes: an idle refresh (same data again) and a refresh where one row changed.
        // The first live load replaces the CACHED badge; that is a real change, so it is not the idle case.
        let encoder = ANSIDiffEncoder()
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        let before = DashboardView.render(state)
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        let idleBytes = encoder.bytes(from: before, to: DashboardView.render(state)).count
        print(pad("bytes, idle refresh") + "\(idleBytes) B   (must be 0 B)")
        if idleBytes != 0 { failures.append("idle refresh wrote \(idleBytes) bytes at \(count)") }
        var changed = snapshot
        if let row = state.tables[.instances]?.selectedRow, let index = changed.instances.firstIndex(where: { $0.id == row.id }) {
            changed.instances[index].state = changed.instances[index].state == .running ? .paused : .running
        }
        let beforeChange = DashboardView.render(state)
        _ = state.handle(.snapshotLoaded(changed, origin: .live))
        let rowBytes = encoder.bytes(from: beforeChange, to: DashboardView.render(state)).count
        print(pad("bytes, one-row change") + "\(rowBytes) B")
        return failures
    }

    // MARK: libvirt

    static func benchLibvirt(domains: Int) -> [String] {
        print("\n-- libvirt test driver, \(domains) domains: connection open + inventory, in this process --")
        var failures: [String] = []
        guard let directory = try? BenchFiles.makeDirectory() else { return ["temp dir"] }
        defer { BenchFiles.remove(directory) }
        let path = directory + "/node.xml"
        do { try BenchFiles.write(BenchFixtures.nodeXML(domains: domains), to: path) } catch { return ["fixture"] }
        let uri = "test://" + path
        var stacktopTime = Double.infinity
        var openTime = 0.0
        for _ in 0..<3 {
            var connection: LibvirtConnection?
            let opened = measure { connection = try? LibvirtConnection(uri: uri) }
            guard let connection else { print("could not open \(uri)"); return ["open"] }
            let read = measure { _ = try? connection.inventory() }
            if opened + read < stacktopTime {
                stacktopTime = opened + read
                openTime = opened
            }
        }
        report("open + inventory", stacktopTime, budget: nil, failures: &failures)
        print(pad("  of which open") + format2(openTime) + " ms   (same run)")
        if let virsh = timeCommand(["virsh", "-c", uri, "list", "--all"]) {
            print(pad("virsh list --all") + format2(virsh) + " ms   (best of 3, a whole process)")
        } else {
            print(pad("virsh list --all") + "not measured (virsh not found; apt-get install libvirt-clients)")
        }
        return failures
    }

    /// Best of three wall times of a command, in milliseconds; nil if it cannot run.
    static func timeCommand(_ argv: [String]) -> Double? {
        var best = Double.infinity
        for _ in 0..<3 {
            var pid: pid_t = 0
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
            defer { posix_spawn_file_actions_destroy(&actions) }
            let cArgs = argv.map { strdup($0) } + [nil]
            defer { cArgs.forEach { free($0) } }
            var status: Int32 = 0
            let elapsed = measure {
                guard posix_spawnp(&pid, argv[0], &actions, nil, cArgs, environ) == 0 else { pid = -1; return }
                waitpid(pid, &status, 0)
            }
            if pid <= 0 || status != 0 { return nil }
            best = min(best, elapsed)
        }
        return best
    }

    // MARK: helpers

    /// Milliseconds `body` took.
    static func measure(_ body: () -> Void) -> Double {
        var start = timespec(), end = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        body()
        clock_gettime(CLOCK_MONOTONIC, &end)
        return Double(end.tv_sec - start.tv_sec) * 1000 + Double(end.tv_nsec - start.tv_nsec) / 1e6
    }

    static func report(_ name: String, _ ms: Double, budget: Double?, failures: inout [String]) {
        var line = pad(name) + format2(ms) + " ms"
        if let budget {
            line += "   (budget \(format2(budget)) ms)"
            if ms > budget { failures.append("\(name) \(format2(ms)) ms > \(format2(budget)) ms") }
        }
        print(line)
    }

    static func pad(_ s: String) -> String { s + String(repeating: " ", count: max(1, 26 - s.count)) }

    static func format2(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    static func peakRSSMiB() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss / 1024
    }
}

/// The bench's scratch files (fixture node files), in a temporary directory removed when the bench ends.
enum BenchFiles {
    static func makeDirectory() throws -> String {
        let base = ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp"
        var template = Array((base + "/stacktop-bench-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BackendError.failed(what: "Creating the bench's temporary directory in \(base)",
                                      reason: String(cString: strerror(errno)))
        }
        return String(cString: made)
    }

    static func write(_ text: String, to path: String) throws {
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        } catch {
            throw BackendError.failed(what: "Writing the bench fixture to \(path)", reason: "\(error)")
        }
    }

    static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

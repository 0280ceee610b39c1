import FoundationEssentials
import Glibc
import StacktopServices

/// What `stacktop bench` is asked to measure.
struct BenchSettings: Equatable {
    /// Fleet sizes: libvirt test-driver nodes of this many domains.
    var sizes = [1000, 10000]
    /// `j` presses timed at each size.
    var keys = 200
    /// Starts (cold and warm, with `virsh list --all` and a one-shot list beside them) at each size.
    var rounds = 3
    var idleSeconds = 10.0
    var quick = false
    /// The stacktop to measure; nil: this binary.
    var binary: String?
    /// The in-process figures after the outside ones.
    var inProcess = true
    /// The figures from outside (off only to look at the in-process pieces alone).
    var outside = true
    /// `--cloud NAME`: also time the dashboard on this OpenStack cloud (`env`: the OS_* variables); nil: not.
    var cloud: String?
    /// The bare REST round trip timed beside it (`--rest-script`).
    var restScript: String?
    /// A word in every server's name, waited for on screen (`--cloud-anchor`; the grown peer's "scale").
    var cloudAnchor = "scale"
    var cloudIdleSeconds = 30.0
    /// `--fleet N`: also a fleet of N hosts of 1,000 domains each (0: not).
    var fleetHosts = 0
    /// `--fleet-only`: the fleet section alone (a `--cloud` then joins the fleet without a section of its own).
    var fleetOnly = false
    /// `--fleet-latency MS`: the fleet's hosts are distant ones (libvirtd behind a relay adding MS each way).
    var fleetLatencyMilliseconds: Int?
    var help = false

    static let usage = """
    stacktop bench: the dashboard timed as a user meets it.

    Usage: stacktop bench [--sizes 1000,10000] [--keys 200] [--rounds 3] [--quick] [--binary PATH] [--no-in-process] [--no-outside]
                      [--cloud NAME [--cloud-only] [--rest-script PATH] [--cloud-anchor WORD] [--cloud-idle S]]
                      [--fleet N [--fleet-only] [--fleet-latency MS]]

    For each size, writes a libvirt test-driver node of that many domains with awkward names to a temporary
    directory, then starts stacktop (this binary, or --binary) in a 120x40 pseudo-terminal with
    TERM=xterm-256color and times, with a clock outside the process:
      - process start to the first domain's name on screen, cold (a fresh XDG_STATE_HOME) and warm (the
        snapshot the cold start saved), each round beside `virsh list --all` (when virsh is installed) and
        a one-shot `stacktop -c test:///… instance list`; min / median / max over the rounds;
      - on the Instances panel, `j` pressed --keys times: key to the first byte written, median, p99, max,
        and misses (no byte within 200 ms);
      - a filter: `/`, then a few characters one by one and a backspace, key to first byte each;
      - idle CPU over 10 s at --refresh 2 (utime + stime from /proc), and the bytes written meanwhile;
      - peak RSS of the dashboard (VmHWM) and of the one-shot list (ru_maxrss).
    Each figure is shown beside its peer and its budget from issue 14, marked met or NOT met. Then come the
    in-process figures (pieces timed inside this process: not what a user feels) and the wall soak.

      --sizes LIST      domain counts (default 1000,10000)
      --keys N          j presses per size (default 200)
      --rounds N        cold and warm starts per size (default 3)
      --quick           1000 domains, 50 keys, 2 rounds, 3 s idle, no in-process section: a fast check
      --binary PATH     the stacktop to measure (default: this one); use the release build
      --no-in-process   leave out the in-process section
      --no-outside      only the in-process section (pieces, not what a user feels)
      --cloud NAME      also an OpenStack section, on cloud NAME of clouds.yaml (env: the OS_* variables)
      --cloud-only      the OpenStack section only
      --rest-script P   the bare REST round trip timed beside it (default
                        ../shared/tools/openstack-peer/scale/bare-server-list.py when it exists)
      --cloud-anchor W  a word every server's name holds, waited for on screen (default scale)
      --cloud-idle S    seconds the idle dashboard's requests are counted (default 30)
      --fleet N         also a fleet section: N test-driver hosts of 1,000 domains in config.yaml, `--fleet`
                        started cold until every host is live (budget: one host alone +10 %, timed in the
                        same rounds), warm until the first cached name, and j at N x 1,000 rows
      --fleet-only      the fleet section only; with --cloud NAME that cloud joins the fleet (timed alone too)
      --fleet-latency MS  the fleet's hosts are distant: 20 domains each, reached through the running libvirtd
                        (test+unix://) behind a relay in the bench that holds every chunk MS ms each way, so
                        their time goes in waiting, as over a network, not in this machine's cores
    The OpenStack section times, beside the bare REST script in the same rounds: start to the first rows on
    a cold start (budget 1 s), to all rows (the read done; budget bare REST +10 %), the cached names of a warm
    start, and the requests an idle dashboard sends per refresh at --refresh 2 (budget 1), counted by the
    binary (STACKTOP_REQUEST_LOG).
    Exits 0 when every figure was measured and every budget met, 1 otherwise. Figures taken while other
    programs use the CPU are indicative only; the load average is printed at the start and the end.
    """
}

/// The figures a user feels, measured from outside the process (DECISIONS.md, "The bench measures from
/// outside"): the release binary in a pseudo-terminal, driven by keys, read from its output.
enum BenchOutside {
    /// One line of the report.
    struct Row {
        var figure: String
        var value: String
        var peer = ""
        var budget = ""
        /// nil: no budget at this size.
        var met: Bool?
    }

    struct Outcome {
        var rows: [Row] = []
        var problems: [String] = []
        var interrupted: BenchInterrupted?

        /// `measure` in a fresh temporary directory, removed after; a failure becomes a problem starting with
        /// `what`, an interruption (Ctrl-C) is kept for the caller.
        static func measured(_ what: String, _ measure: (String, inout Outcome) throws -> Void) -> Outcome {
            var outcome = Outcome()
            let directory: String
            do {
                directory = try BenchFiles.makeDirectory()
            } catch {
                outcome.problems.append(ErrorText.sentence(error))
                return outcome
            }
            defer { BenchFiles.remove(directory) }
            do {
                try measure(directory, &outcome)
            } catch let interruption as BenchInterrupted {
                outcome.interrupted = interruption
            } catch {
                outcome.problems.append(what + ": " + ErrorText.sentence(error))
            }
            return outcome
        }
    }

    static let keyTimeout = 200.0
    static let filterText = "web-12"

    static func run(size: Int, settings: BenchSettings, binary: String, environment: [String: String]) -> Outcome {
        Outcome.measured("At \(size) domains") { directory, outcome in
            try measure(size: size, settings: settings, binary: binary, environment: environment,
                        directory: directory, into: &outcome)
        }
    }

    private static func measure(size: Int, settings: BenchSettings, binary: String, environment: [String: String],
                                directory: String, into outcome: inout Outcome) throws {
        let nodePath = directory + "/node.xml"
        try BenchFiles.write(BenchFixtures.nodeXML(domains: size), to: nodePath)
        let uri = "test://" + nodePath
        let anchor = BenchFixtures.firstDomainName
        let base = childEnvironment(environment)
        func stateEnvironment(_ name: String) -> [String: String] {
            var env = base
            env["XDG_STATE_HOME"] = directory + "/" + name
            return env
        }
        let hasVirsh = BenchProcess.inPath("virsh", environment: base)
        // A start at 10,000 domains takes seconds; a minute is a hang.
        let startLimit = 60_000.0 + Double(size) * 6

        /// The dashboard with its state in `stateName`, and the milliseconds from its spawn to the first
        /// row's name in its output.
        func startDashboard(_ stateName: String, _ when: String) throws -> (PseudoTerminalProcess, Double) {
            let child = try PseudoTerminalProcess(binary: binary, arguments: ["-c", uri, "--refresh", "2"],
                                                  environment: stateEnvironment(stateName))
            // Typed ahead, as a user who knows the key: the Instances panel as soon as stacktop reads keys.
            try child.send("2")
            let seen = try child.waitFor(anchor, what: "the first domain's name (\"\(anchor)\") \(when)", timeout: startLimit)
            return (child, seen - child.startedAt)
        }

        var cold: [Double] = [], warm: [Double] = [], virsh: [Double] = [], virshCPU: [Double] = [], virshRSS: [Double] = []
        var list: [Double] = [], listCPU: [Double] = [], listRSS: [Double] = []
        var warmWithoutCache = 0
        for round in 0..<settings.rounds {
            progress("\(size) domains: round \(round + 1) of \(settings.rounds)")
            if hasVirsh {
                let run = try BenchProcess.run(["virsh", "-c", uri, "list", "--all"], environment: base, timeout: startLimit)
                virsh.append(run.milliseconds)
                virshCPU.append(run.cpuMilliseconds)
                virshRSS.append(run.peakResidentBytes)
            }
            let oneShot = try BenchProcess.run([binary, "-c", uri, "instance", "list"],
                                               environment: stateEnvironment("oneshot"), timeout: startLimit)
            list.append(oneShot.milliseconds)
            listCPU.append(oneShot.cpuMilliseconds)
            listRSS.append(oneShot.peakResidentBytes)

            let stateName = "state-\(round)"
            do {
                let (child, seen) = try startDashboard(stateName, "on a cold start")
                cold.append(seen)
                // The first read saves the snapshot (in the background); give it time before quitting.
                try child.settle(quiet: 1500, limit: startLimit, what: "after a cold start")
                if let problem = child.quit() { outcome.problems.append(problem) }
            }
            do {
                let (child, seen) = try startDashboard(stateName, "on a warm start")
                warm.append(seen)
                if !child.contains("CACHED") { warmWithoutCache += 1 }
                _ = try child.drain(for: 300)
                if let problem = child.quit() { outcome.problems.append(problem) }
            }
        }

        // Cold and warm starts, beside virsh.
        let virshPeer = hasVirsh ? "virsh list --all " + spread(virsh) : "virsh not found (apt-get install libvirt-clients)"
        var coldRow = Row(figure: "start to names, cold (min / median / max)", value: spread(cold), peer: virshPeer)
        if size == 1000, hasVirsh {
            let limit = median(virsh) * 1.1
            coldRow.budget = "<= virsh +10 % (\(number(limit)) ms)"
            coldRow.met = median(cold) <= limit
        }
        outcome.rows.append(coldRow)
        var warmRow = Row(figure: "start to names, warm (min / median / max)", value: spread(warm), peer: virshPeer)
        if let limit = [1000: 50.0, 10000: 250.0][size] {
            warmRow.budget = "<= \(Int(limit)) ms"
            warmRow.met = median(warm) <= limit
        }
        outcome.rows.append(warmRow)
        if warmWithoutCache > 0 {
            outcome.problems.append("\(warmWithoutCache) of \(settings.rounds) warm starts at \(size) domains never showed "
                                    + "CACHED: the cold start's snapshot was not there, so those starts were cold.")
        }

        // Keys, filter, idle and memory, in one dashboard started warm, after its live read.
        progress("\(size) domains: keys, filter, idle CPU, memory")
        let (child, _) = try startDashboard("state-\(settings.rounds - 1)", "before the key test")
        // The cached rows are on screen; the live read follows and takes about as long as a cold start.
        let liveBy = child.startedAt + (cold.max() ?? 0) * 1.5 + 1000
        while BenchClock.now() < liveBy { _ = try child.drain(for: min(500, liveBy - BenchClock.now())) }
        try child.settle(quiet: 1000, limit: startLimit, what: "on the Instances panel before the key test")

        var latencies: [Double] = []
        for _ in 0..<settings.keys {
            if let latency = try child.firstByte(after: "j", timeout: keyTimeout) {
                latencies.append(latency)
                try child.settle(quiet: 15, limit: 10_000, what: "after a j")
            } else {
                latencies.append(.infinity)
                try child.settle(quiet: 300, limit: 30_000, what: "after a j that got no answer within \(Int(keyTimeout)) ms")
            }
        }
        let sorted = latencies.sorted()
        let misses = latencies.filter { $0 == .infinity }.count
        let keyBudgets = size == 10000
        var keyMedian = Row(figure: "key j to first byte, median of \(settings.keys)", value: milliseconds(median(latencies)))
        var keyP99 = Row(figure: "key j to first byte, p99", value: milliseconds(percentile(sorted, 0.99)))
        if keyBudgets {
            keyMedian.budget = "<= 1 ms"; keyMedian.met = median(latencies) <= 1
            keyP99.budget = "<= 5 ms"; keyP99.met = percentile(sorted, 0.99) <= 5
        }
        outcome.rows += [keyMedian, keyP99,
                         Row(figure: "key j to first byte, max", value: milliseconds(sorted.last ?? .infinity)),
                         Row(figure: "keys j with no byte within \(Int(keyTimeout)) ms", value: "\(misses) of \(settings.keys)")]

        // A filter, typed one character at a time, then a backspace.
        let filterTimeout = 2000.0
        func filterKey(_ key: String) throws -> Double {
            guard let latency = try child.firstByte(after: key, timeout: filterTimeout) else {
                throw BenchError(description: "stacktop wrote nothing within \(Int(filterTimeout)) ms of a filter key.")
            }
            try child.settle(quiet: 30, limit: 10_000, what: "after a filter key")
            return latency
        }
        let opened = try filterKey("/")
        var typed: [Double] = []
        for character in filterText { typed.append(try filterKey(String(character))) }
        let backspace = try filterKey("\u{7f}")
        try child.send("\u{1b}")
        try child.settle(quiet: 500, limit: startLimit, what: "after the filter was cleared")
        var filterRow = Row(figure: "filter keystroke \"\(filterText)\" one by one, worst",
                            value: milliseconds(typed.max() ?? .infinity),
                            peer: "median \(milliseconds(median(typed))); / itself \(milliseconds(opened))")
        var backspaceRow = Row(figure: "filter backspace", value: milliseconds(backspace))
        if size == 10000 {
            filterRow.budget = "<= 5 ms"; filterRow.met = (typed.max() ?? .infinity) <= 5
            backspaceRow.budget = "<= 5 ms"; backspaceRow.met = backspace <= 5
        }
        outcome.rows += [filterRow, backspaceRow]

        // Idle.
        progress("\(size) domains: idle for \(Int(settings.idleSeconds)) s")
        let cpuBefore = try child.cpuMilliseconds(), idleStart = BenchClock.now()
        let idleBytes = try child.drain(for: settings.idleSeconds * 1000)
        let cpuAfter = try child.cpuMilliseconds(), idleEnd = BenchClock.now()
        let idlePercent = (cpuAfter - cpuBefore) / (idleEnd - idleStart) * 100
        var idleRow = Row(figure: "idle CPU over \(Int(settings.idleSeconds)) s at --refresh 2",
                          value: String(format1(idlePercent)) + " % of a core")
        if size == 10000 { idleRow.budget = "<= 2 %"; idleRow.met = idlePercent <= 2 }
        outcome.rows += [idleRow, Row(figure: "bytes written while idle", value: "\(idleBytes) B")]

        // Memory.
        let peak = try child.peakResidentBytes()
        if let problem = child.quit() { outcome.problems.append(problem) }
        // The test driver lives inside every process that opens it: virsh's own peak is the floor here.
        let floor = hasVirsh ? "virsh list --all \(megabytes(virshRSS.max() ?? 0)) (the test driver runs inside each process: the floor)" : ""
        var rssRow = Row(figure: "peak RSS, dashboard (VmHWM)", value: megabytes(peak), peer: floor)
        if size == 10000 { rssRow.budget = "<= 100 MB"; rssRow.met = peak <= 100e6 }
        outcome.rows.append(try wallIdleRow(size: size, uri: uri, binary: binary,
                                            environment: stateEnvironment("state-\(settings.rounds - 1)"),
                                            seconds: settings.idleSeconds, startLimit: startLimit, into: &outcome))
        outcome.rows += [rssRow,
                         Row(figure: "peak RSS, one-shot instance list (ru_maxrss)", value: megabytes(listRSS.max() ?? 0),
                             peer: floor),
                         Row(figure: "one-shot instance list, wall (min / median / max)", value: spread(list), peer: virshPeer),
                         Row(figure: "one-shot instance list, CPU (median)", value: milliseconds(median(listCPU)),
                             peer: hasVirsh ? "virsh list --all " + milliseconds(median(virshCPU)) : "")]
    }

    /// A wall without a clock, left alone after its first live frame: it should write nothing unless what it
    /// draws changes. On an unchanging fixture the only change is a sparkline stepping one column (one per
    /// 3600 / width seconds while its hour of history fills), so the figure counts the refreshes that wrote.
    private static func wallIdleRow(size: Int, uri: String, binary: String, environment: [String: String],
                                    seconds: Double, startLimit: Double, into outcome: inout Outcome) throws -> Row {
        progress("\(size) domains: a wall without a clock, idle for \(Int(seconds)) s")
        let wall = try PseudoTerminalProcess(binary: binary, arguments: ["-c", uri, "--wall", "--no-clock", "--refresh", "2"],
                                             environment: environment)
        try wall.settle(quiet: 2500, limit: startLimit, what: "before the wall's idle test")
        var bytes = 0, slicesThatWrote = 0
        let slices = max(1, Int(seconds / 2))
        for _ in 0..<slices {
            let written = try wall.drain(for: 2000)
            bytes += written
            if written > 0 { slicesThatWrote += 1 }
        }
        if let problem = wall.quit() { outcome.problems.append(problem) }
        var row = Row(figure: "bytes written, --wall --no-clock, idle \(slices * 2) s", value: "\(bytes) B",
                      peer: "\(slicesThatWrote) of \(slices) refreshes wrote (a sparkline step writes ~0.6 KB)")
        row.budget = "<= 1 refresh writes"
        row.met = slicesThatWrote <= 1
        return row
    }

    /// What the children see: a UTF-8 xterm, the bench's PATH and HOME, no default libvirt URI or cloud.
    static func childEnvironment(_ environment: [String: String]) -> [String: String] {
        var env: [String: String] = ["TERM": "xterm-256color", "LANG": "C.UTF-8"]
        for key in ["PATH", "HOME", "TMPDIR", "USER", "LOGNAME"] { env[key] = environment[key] }
        if env["PATH"] == nil { env["PATH"] = "/usr/local/bin:/usr/bin:/bin" }
        return env
    }

    static func progress(_ text: String) {
        fflush(nil)
        printError("bench: " + text)
    }

    // MARK: figures

    /// The middle value, or the mean of the two middle ones.
    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return .infinity }
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The value at `fraction` of `sorted` (nearest rank); infinity for none.
    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return .infinity }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(sorted.count - 1, max(0, rank - 1))]
    }

    static func spread(_ values: [Double]) -> String {
        guard let low = values.min(), let high = values.max() else { return "not measured" }
        return "\(number(low)) / \(number(median(values))) / \(number(high)) ms"
    }

    static func milliseconds(_ value: Double) -> String {
        value.isFinite ? number(value) + " ms" : "> \(Int(keyTimeout)) ms"
    }

    static func megabytes(_ bytes: Double) -> String { format1(bytes / 1e6) + " MB" }

    /// 3 significant figures at least: 0.42, 4.71, 47.1, 471.
    static func number(_ value: Double) -> String {
        value < 10 ? BenchCommand.format2(value) : value < 100 ? format1(value) : String(Int(value.rounded()))
    }

    static func format1(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    // MARK: the report

    static func table(_ rows: [Row]) -> String {
        let header = Row(figure: "figure", value: "stacktop", peer: "peer", budget: "budget")
        let widths = [
            ([header] + rows).map { $0.figure.count }.max() ?? 0,
            ([header] + rows).map { $0.value.count }.max() ?? 0,
            ([header] + rows).map { $0.peer.count }.max() ?? 0,
            ([header] + rows).map { $0.budget.count }.max() ?? 0,
        ]
        func line(_ row: Row, verdict: String) -> String {
            let cells = [row.figure, row.value, row.peer, row.budget]
            let padded = zip(cells, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }
            return (padded.joined(separator: "  ") + "  " + verdict).trimmingTrailingSpaces
        }
        var text = line(header, verdict: "") + "\n"
        for row in rows {
            text += line(row, verdict: row.met.map { $0 ? "met" : "NOT met" } ?? "") + "\n"
        }
        return text
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}

import FoundationEssentials
import Glibc
import StacktopServices

/// `stacktop bench --cloud NAME`: the dashboard on an OpenStack cloud, timed from outside as the libvirt
/// figures are, beside the bare REST round trip (`bare-server-list.py`, password auth and every page of
/// `GET /servers/detail`) run in the same rounds: the first rows of a cold start, all of them (the read
/// finished), the cached names of a warm start, and the requests an idle dashboard sends per refresh,
/// counted by the binary itself (`STACKTOP_REQUEST_LOG`, one line per request).
enum BenchCloud {
    static func run(settings: BenchSettings, binary: String, environment: [String: String]) -> BenchOutside.Outcome {
        var outcome = BenchOutside.Outcome()
        guard let cloud = settings.cloud else { return outcome }
        do {
            let directory = try BenchFiles.makeDirectory()
            defer { BenchFiles.remove(directory) }
            try measure(cloud: cloud, settings: settings, binary: binary, environment: environment,
                        directory: directory, into: &outcome)
        } catch let interruption as BenchInterrupted {
            outcome.interrupted = interruption
        } catch {
            outcome.problems.append("On cloud \(cloud): " + ErrorText.sentence(error))
        }
        return outcome
    }

    static let defaultRestScript = "../shared/tools/openstack-peer/scale/bare-server-list.py"

    private static func measure(cloud: String, settings: BenchSettings, binary: String, environment: [String: String],
                                directory: String, into outcome: inout BenchOutside.Outcome) throws {
        var settings = settings
        if settings.restScript == nil, access(defaultRestScript, R_OK) == 0 { settings.restScript = defaultRestScript }
        var base = BenchOutside.childEnvironment(environment)
        // The cloud's own settings pass through: clouds.yaml's place and the OS_* variables.
        for (key, value) in environment where key.hasPrefix("OS_") { base[key] = value }
        let cloudArguments = cloud == "env" ? [] : ["--os-cloud", cloud]
        let anchor = settings.cloudAnchor
        let limit = 120_000.0
        let refresh = 2.0
        func stateEnvironment(_ name: String) -> [String: String] {
            var env = base
            env["XDG_STATE_HOME"] = directory + "/" + name
            return env
        }
        var rest: [Double] = [], first: [Double] = [], all: [Double] = [], warm: [Double] = []
        var servers = ""
        for round in 0..<settings.rounds {
            BenchOutside.progress("cloud \(cloud): round \(round + 1) of \(settings.rounds)")
            if let script = settings.restScript {
                let run = try BenchProcess.run(["python3", script], environment: base, timeout: limit)
                rest.append(run.milliseconds)
                servers = run.lastLine
            }
            let stateName = "state-\(round)"
            do {
                let child = try PseudoTerminalProcess(binary: binary, arguments: cloudArguments + ["--refresh", "2"],
                                                      environment: stateEnvironment(stateName))
                try child.send("2")
                first.append(try child.waitFor(anchor, what: "the first server's name (\"\(anchor)\") on a cold start",
                                               timeout: limit) - child.startedAt)
                // The status line's summary replaces the progress figure once the whole read is in.
                all.append(try child.waitFor(" instances, ", what: "the summary after a cold read", timeout: limit)
                           - child.startedAt)
                try child.settle(quiet: 1500, limit: limit, what: "after a cold start")
                if let problem = child.quit() { outcome.problems.append(problem) }
            }
            do {
                let child = try PseudoTerminalProcess(binary: binary, arguments: cloudArguments + ["--refresh", "2"],
                                                      environment: stateEnvironment(stateName))
                try child.send("2")
                warm.append(try child.waitFor(anchor, what: "the cached names on a warm start", timeout: limit)
                            - child.startedAt)
                if let problem = child.quit() { outcome.problems.append(problem) }
            }
        }

        // Idle: a dashboard on the Overview after its first read, its requests counted over --idle seconds.
        BenchOutside.progress("cloud \(cloud): idle for \(Int(settings.cloudIdleSeconds)) s")
        let log = directory + "/requests.log"
        var env = stateEnvironment("state-0")
        env["STACKTOP_REQUEST_LOG"] = log
        let child = try PseudoTerminalProcess(binary: binary, arguments: cloudArguments + ["--refresh", "2"], environment: env)
        _ = try child.waitFor(" instances, ", what: "the summary before the idle count", timeout: limit)
        try child.settle(quiet: 1000, limit: limit, what: "before the idle count")
        let before = requestLines(log)
        let started = BenchClock.now()
        _ = try child.drain(for: settings.cloudIdleSeconds * 1000)
        let seconds = (BenchClock.now() - started) / 1000
        let during = Array(requestLines(log).dropFirst(before.count))
        if let problem = child.quit() { outcome.problems.append(problem) }
        let refreshes = seconds / refresh
        let perRefresh = Double(during.count) / refreshes
        let byPort = Dictionary(grouping: during) { line in
            line.split(separator: " ").dropFirst().first.map { String($0.split(separator: ":").last ?? "") } ?? "?"
        }.mapValues(\.count).sorted { $0.key < $1.key }.map { "\(serviceName(port: $0.key)) \($0.value)" }

        let restPeer = settings.restScript == nil ? "no bare REST script (--rest-script PATH)"
            : "bare REST " + BenchOutside.spread(rest) + (servers.isEmpty ? "" : " (\(servers))")
        var firstRow = BenchOutside.Row(figure: "cold: start to first rows (min / median / max)",
                                        value: BenchOutside.spread(first), peer: restPeer, budget: "<= 1000 ms")
        firstRow.met = BenchOutside.median(first) <= 1000
        var allRow = BenchOutside.Row(figure: "cold: start to all rows, read done", value: BenchOutside.spread(all),
                                      peer: restPeer)
        if !rest.isEmpty {
            let budget = BenchOutside.median(rest) * 1.1
            allRow.budget = "<= bare REST +10 % (\(BenchOutside.number(budget)) ms)"
            allRow.met = BenchOutside.median(all) <= budget
        }
        var idleRow = BenchOutside.Row(figure: "idle: requests per refresh (--refresh 2, \(Int(seconds.rounded())) s)",
                                       value: BenchOutside.format1(perRefresh),
                                       peer: "\(during.count) requests: " + (byPort.isEmpty ? "none" : byPort.joined(separator: ", ")),
                                       budget: "<= 1")
        idleRow.met = perRefresh <= 1
        outcome.rows += [firstRow, allRow,
                         BenchOutside.Row(figure: "warm: start to cached names", value: BenchOutside.spread(warm)),
                         idleRow]
    }

    static func requestLines(_ path: String) -> [Substring] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    /// The usual port of each service (DevStack and the peer's layout), for the idle count's breakdown.
    static func serviceName(port: String) -> String {
        ["5000": "Keystone", "8774": "Nova", "9292": "Glance", "8776": "Cinder", "9696": "Neutron",
         "8778": "Placement"][port] ?? "port " + port
    }
}

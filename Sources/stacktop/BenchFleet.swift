import FoundationEssentials
import Glibc
import StacktopServices

/// `stacktop bench --fleet N`: a fleet of N libvirt test-driver hosts of 1,000 domains each (issue 16), measured
/// from outside like the rest: a cold start until every host is live, beside one host alone started cold in the
/// same rounds (budget: the slowest single host +10 %); a warm start until the first name (from the cache);
/// and `j` at N×1,000 rows (budget: the single-host key budget, median 1 ms, p99 5 ms).
enum BenchFleet {
    static let domainsPerHost = 1000

    static func run(hosts: Int, settings: BenchSettings, binary: String, environment: [String: String]) -> BenchOutside.Outcome {
        .measured("In the fleet of \(hosts) hosts") { directory, outcome in
            try measure(hosts: hosts, settings: settings, binary: binary, environment: environment, directory: directory,
                        into: &outcome)
        }
    }

    private static func measure(hosts: Int, settings: BenchSettings, binary: String, environment: [String: String],
                                directory: String, into outcome: inout BenchOutside.Outcome) throws {
        // One node file per host (each connection reads its own), and config.yaml naming them all.
        let xml = BenchFixtures.nodeXML(domains: domainsPerHost)
        var config = "hosts:\n"
        for host in 1...hosts {
            try BenchFiles.write(xml, to: "\(directory)/host-\(host).xml")
            config += "  host-\(host): test://\(directory)/host-\(host).xml\n"
        }
        try FileManager.default.createDirectory(atPath: directory + "/config/stacktop", withIntermediateDirectories: true)
        try BenchFiles.write(config, to: directory + "/config/stacktop/config.yaml")
        var base = BenchOutside.childEnvironment(environment)
        base["XDG_CONFIG_HOME"] = directory + "/config"
        let limit = 120_000.0
        func state(_ name: String) -> [String: String] {
            var env = base
            env["XDG_STATE_HOME"] = directory + "/" + name
            return env
        }
        // What the title bar says once every host answered ("fleet of 8: 8 up"); only the part that changes
        // from "fleet of 8: opening…" is written, so that part is what is waited for.
        let allUp = "\(hosts) up"

        var single: [Double] = [], fleetFirst: [Double] = [], fleetCold: [Double] = [], fleetWarm: [Double] = []
        for round in 0..<settings.rounds {
            BenchOutside.progress("fleet of \(hosts) x \(domainsPerHost): round \(round + 1) of \(settings.rounds)")
            do {
                let one = try PseudoTerminalProcess(binary: binary, arguments: ["-c", "test://\(directory)/host-1.xml", "--refresh", "2"],
                                                    environment: state("single-\(round)"))
                try one.send("2")
                single.append(try one.waitFor(BenchFixtures.firstDomainName, what: "the first name of one host", timeout: limit)
                              - one.startedAt)
                if let problem = one.quit() { outcome.problems.append(problem) }
            }
            do {
                let cold = try PseudoTerminalProcess(binary: binary, arguments: ["--fleet", "--refresh", "2"],
                                                     environment: state("fleet-\(round)"))
                try cold.send("2")
                fleetFirst.append(try cold.waitFor(BenchFixtures.firstDomainName, what: "the first name of the fleet",
                                                   timeout: limit) - cold.startedAt)
                fleetCold.append(try cold.waitFor(allUp, what: "every host live (\"\(allUp)\")", timeout: limit) - cold.startedAt)
                // Each host's snapshot is saved after its read; give that time before quitting.
                try cold.settle(quiet: 1500, limit: limit, what: "after the fleet's cold start")
                if let problem = cold.quit() { outcome.problems.append(problem) }
            }
            do {
                let warm = try PseudoTerminalProcess(binary: binary, arguments: ["--fleet", "--refresh", "2"],
                                                     environment: state("fleet-\(round)"))
                try warm.send("2")
                fleetWarm.append(try warm.waitFor(BenchFixtures.firstDomainName, what: "the first name from the cache",
                                                  timeout: limit) - warm.startedAt)
                if !warm.contains("CACHED") {
                    outcome.problems.append("A warm fleet start never showed CACHED: the cold start's snapshots were not there.")
                }
                _ = try warm.drain(for: 300)
                if let problem = warm.quit() { outcome.problems.append(problem) }
            }
        }
        let slowestSingle = single.max() ?? 0
        var coldRow = BenchOutside.Row(figure: "start to every host live, cold (min / median / max)",
                                       value: BenchOutside.spread(fleetCold),
                                       peer: "one host alone " + BenchOutside.spread(single))
        coldRow.budget = "<= slowest single host +10 % (\(BenchOutside.number(slowestSingle * 1.1)) ms)"
        coldRow.met = BenchOutside.median(fleetCold) <= slowestSingle * 1.1
        let warmRow = BenchOutside.Row(figure: "start to names from the cache, warm (min / median / max)",
                                       value: BenchOutside.spread(fleetWarm), peer: "one host alone, cold " + BenchOutside.spread(single))
        let firstRow = BenchOutside.Row(figure: "start to the first names, cold (min / median / max)",
                                        value: BenchOutside.spread(fleetFirst), peer: "one host alone " + BenchOutside.spread(single))
        outcome.rows += [firstRow, coldRow, warmRow]

        // Keys at hosts × 1,000 rows, in a fleet started warm and gone live.
        BenchOutside.progress("fleet of \(hosts): keys at \(hosts * domainsPerHost) rows")
        let child = try PseudoTerminalProcess(binary: binary, arguments: ["--fleet", "--refresh", "2"],
                                              environment: state("fleet-\(settings.rounds - 1)"))
        try child.send("2")
        _ = try child.waitFor(BenchFixtures.firstDomainName, what: "the first name before the key test", timeout: limit)
        // The cached rows are on screen; the live reads follow and take about as long as a cold start.
        let liveBy = child.startedAt + (fleetCold.max() ?? 0) * 1.5 + 1000
        while BenchClock.now() < liveBy { _ = try child.drain(for: min(500, liveBy - BenchClock.now())) }
        try child.settle(quiet: 1000, limit: limit, what: "on the fleet's Instances panel before the key test")
        var latencies: [Double] = []
        for _ in 0..<settings.keys {
            if let latency = try child.firstByte(after: "j", timeout: BenchOutside.keyTimeout) {
                latencies.append(latency)
                try child.settle(quiet: 15, limit: 10_000, what: "after a j")
            } else {
                latencies.append(.infinity)
                try child.settle(quiet: 300, limit: 30_000, what: "after a j that got no answer")
            }
        }
        if let problem = child.quit() { outcome.problems.append(problem) }
        let sorted = latencies.sorted()
        var median = BenchOutside.Row(figure: "key j to first byte at \(hosts * domainsPerHost) rows, median of \(settings.keys)",
                                      value: BenchOutside.milliseconds(BenchOutside.median(latencies)))
        median.budget = "<= 1 ms"; median.met = BenchOutside.median(latencies) <= 1
        var p99 = BenchOutside.Row(figure: "key j to first byte, p99", value: BenchOutside.milliseconds(BenchOutside.percentile(sorted, 0.99)))
        p99.budget = "<= 5 ms"; p99.met = BenchOutside.percentile(sorted, 0.99) <= 5
        outcome.rows += [median, p99]
    }
}

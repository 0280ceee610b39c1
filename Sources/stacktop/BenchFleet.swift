import FoundationEssentials
import Glibc
import StacktopServices

/// `stacktop bench --fleet N [--cloud NAME]`: a fleet of N libvirt test-driver hosts of 1,000 domains each (and
/// the cloud, when named; issue 16), measured from outside like the rest: a cold start until every context is
/// live, beside each kind of context alone (a fleet of one, started cold in the same rounds; budget: the slowest
/// +10 %); the fleet's first names; a warm start until the first name (from the cache); and `j` at N×1,000 rows
/// (budget: the single-host key budget, median 1 ms, p99 5 ms).
enum BenchFleet {
    static let domainsPerHost = 1000
    /// A distant host (`--fleet-latency`): as many guests as a real host has, their disks in a pool; each guest
    /// and volume costs round trips.
    static let domainsPerDistantHost = 20
    /// Where the distant hosts' libvirtd listens.
    static let libvirtdSocket = "/run/libvirt/libvirt-sock"

    static func run(hosts: Int, settings: BenchSettings, binary: String, environment: [String: String]) -> BenchOutside.Outcome {
        .measured("In the fleet of \(hosts) hosts") { directory, outcome in
            try measure(hosts: hosts, settings: settings, binary: binary, environment: environment, directory: directory,
                        into: &outcome)
        }
    }

    private static func measure(hosts: Int, settings: BenchSettings, binary: String, environment: [String: String],
                                directory: String, into outcome: inout BenchOutside.Outcome) throws {
        // One node file per host (each connection reads its own), and config.yaml naming them all. Distant
        // hosts are the same node files opened by libvirtd, reached through the delaying relay.
        let latency = settings.fleetLatencyMilliseconds
        var relay: BenchDelayRelay?
        if let latency {
            guard access(libvirtdSocket, F_OK) == 0 else {
                throw BenchDelayRelay.Failure(description: "The distant fleet needs a running libvirtd, and its socket "
                                              + "\(libvirtdSocket) is not there; start libvirtd or leave out --fleet-latency.")
            }
            relay = try BenchDelayRelay(path: directory + "/relay.sock", target: libvirtdSocket, delayMilliseconds: latency)
        }
        defer { relay?.stop() }
        let xml = latency == nil ? BenchFixtures.nodeXML(domains: domainsPerHost)
            : BenchFixtures.nodeXMLWithPool(domains: domainsPerDistantHost)
        var config = "hosts:\n"
        for host in 1...hosts {
            let file = "\(directory)/host-\(host).xml"
            try BenchFiles.write(xml, to: file)
            config += "  host-\(host): " + (relay.map { "test+unix://\(file)?socket=\($0.path)" } ?? "test://\(file)") + "\n"
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
        // With --cloud NAME the fleet takes that cloud of clouds.yaml too (the OS_* variables pass through).
        for (key, value) in environment where key.hasPrefix("OS_") { base[key] = value }
        let cloud = settings.cloud.flatMap { $0 == "env" ? nil : $0 }
        let members = (1...hosts).map { "host-\($0)" } + (cloud.map { [$0] } ?? [])
        let fleetArguments = ["--fleet", members.joined(separator: ","), "--refresh", "2"]
        // What the title bar says once every context answered ("fleet of 8: 8 up"); only the part that changes
        // from "fleet of 8: opening…" is written, so that part is what is waited for.
        let allUp = "\(members.count) up"
        /// One context alone, as a fleet of one, from start until it is live ("1 up").
        func alone(_ name: String, round: Int) throws -> Double {
            let one = try PseudoTerminalProcess(binary: binary, arguments: ["--fleet", name, "--refresh", "2"],
                                                environment: state("alone-\(name)-\(round)"))
            defer { if let problem = one.quit() { outcome.problems.append(problem) } }
            return try one.waitFor("1 up", what: "\(name) alone live", timeout: limit) - one.startedAt
        }

        /// The fleet's dashboard with its state in `name`, asked for the Instances panel at once.
        func fleet(_ name: String) throws -> PseudoTerminalProcess {
            let child = try PseudoTerminalProcess(binary: binary, arguments: fleetArguments, environment: state(name))
            try child.send("2")
            return child
        }

        // Distant hosts: `virsh list --all` through the same relay, the peer for the first names.
        let virshURI = relay.map { "test+unix://\(directory)/host-1.xml?socket=\($0.path)" }
        let hasVirsh = virshURI != nil && BenchProcess.inPath("virsh", environment: base)
        var virsh: [Double] = []
        var single: [Double] = [], cloudAlone: [Double] = []
        var fleetFirst: [Double] = [], fleetCold: [Double] = [], fleetWarm: [Double] = []
        for round in 0..<settings.rounds {
            BenchOutside.progress("fleet of \(members.count): round \(round + 1) of \(settings.rounds)")
            single.append(try alone("host-1", round: round))
            if hasVirsh, let virshURI {
                virsh.append(try BenchProcess.run(["virsh", "-c", virshURI, "list", "--all"], environment: base,
                                                  timeout: limit).milliseconds)
            }
            if let cloud { cloudAlone.append(try alone(cloud, round: round)) }
            do {
                let cold = try fleet("fleet-\(round)")
                fleetFirst.append(try cold.waitFor(BenchFixtures.firstDomainName, what: "the first name of the fleet",
                                                   timeout: limit) - cold.startedAt)
                fleetCold.append(try cold.waitFor(allUp, what: "every host live (\"\(allUp)\")", timeout: limit) - cold.startedAt)
                // Each host's snapshot is saved after its read; give that time before quitting.
                try cold.settle(quiet: 1500, limit: limit, what: "after the fleet's cold start")
                if let problem = cold.quit() { outcome.problems.append(problem) }
            }
            do {
                let warm = try fleet("fleet-\(round)")
                fleetWarm.append(try warm.waitFor(BenchFixtures.firstDomainName, what: "the first name from the cache",
                                                  timeout: limit) - warm.startedAt)
                if !warm.contains("CACHED") {
                    outcome.problems.append("A warm fleet start never showed CACHED: the cold start's snapshots were not there.")
                }
                _ = try warm.drain(for: 300)
                if let problem = warm.quit() { outcome.problems.append(problem) }
            }
        }
        let slowestSingle = max(single.max() ?? 0, cloudAlone.max() ?? 0)
        var alonePeer = "one host alone " + BenchOutside.spread(single)
        if let cloud { alonePeer += ", \(cloud) alone " + BenchOutside.spread(cloudAlone) }
        var coldRow = BenchOutside.Row(figure: "start to every context live, cold (min / median / max)",
                                       value: BenchOutside.spread(fleetCold), peer: alonePeer)
        coldRow.budget = "<= slowest single context +10 % (\(BenchOutside.number(slowestSingle * 1.1)) ms)"
        coldRow.met = BenchOutside.median(fleetCold) <= slowestSingle * 1.1
        let warmRow = BenchOutside.Row(figure: "start to names from the cache, warm (min / median / max)",
                                       value: BenchOutside.spread(fleetWarm), peer: alonePeer)
        let firstRow = BenchOutside.Row(figure: "start to the first names, cold (min / median / max)",
                                        value: BenchOutside.spread(fleetFirst),
                                        peer: hasVirsh ? "virsh list --all (one host) " + BenchOutside.spread(virsh) : alonePeer)
        outcome.rows += [firstRow, coldRow, warmRow]

        // Keys at hosts × 1,000 rows, in a fleet started warm and gone live (a distant fleet has too few rows).
        guard latency == nil else { return }
        BenchOutside.progress("fleet of \(members.count): keys")
        let child = try fleet("fleet-\(settings.rounds - 1)")
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
        let rows = "\(hosts * domainsPerHost)" + (cloud.map { " + \($0)'s" } ?? "")
        var median = BenchOutside.Row(figure: "key j to first byte at \(rows) rows, median of \(settings.keys)",
                                      value: BenchOutside.milliseconds(BenchOutside.median(latencies)))
        median.budget = "<= 1 ms"; median.met = BenchOutside.median(latencies) <= 1
        var p99 = BenchOutside.Row(figure: "key j to first byte, p99", value: BenchOutside.milliseconds(BenchOutside.percentile(sorted, 0.99)))
        p99.budget = "<= 5 ms"; p99.met = BenchOutside.percentile(sorted, 0.99) <= 5
        outcome.rows += [median, p99]
    }
}

import Foundation
import XCTest
import SystemTestSupport

/// The release binary against a fake cloud whose data attacks the terminal (Fixtures/hostile_cloud.py,
/// loopback only): what reaches stdout and stderr is checked byte by byte.
final class HostileCloudTests: XCTestCase {
    private var cloud: ChildProcess.Running?
    private var directory = ""
    private var port = 0

    private func start(_ mode: String) throws {
        try TmuxHarness.require()
        directory = NSTemporaryDirectory() + "stacktop-hostile-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let script = TmuxHarness.repositoryRoot.appendingPathComponent("Tests/EndToEndTests/Fixtures/hostile_cloud.py")
        cloud = try ChildProcess.start(["python3", script.path, directory + "/port", mode])
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: directory + "/port", encoding: .utf8), let number = Int(text) {
                port = number
                return
            }
            usleep(50_000)
        }
        XCTFail("the fake cloud did not start")
        throw XCTSkip("no fake cloud")
    }

    override func tearDown() {
        cloud?.stop()
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func stacktop(_ arguments: [String], timeout: TimeInterval = 60) throws -> ChildProcess.Result {
        var environment = OpenRC.environment(authURL: "http://127.0.0.1:\(port)/v3", user: "demo",
                                             password: "not-a-secret", stateDirectory: directory + "/state")
        environment["TERM"] = "xterm-256color"
        return try ChildProcess.run([TmuxHarness.binary.path] + arguments, environment: environment, timeout: timeout)
    }

    /// ESC, BEL, any other C0 but newline, DEL, C1 (U+0080-U+009F) and the bidi controls.
    private func forbidden(in output: String) -> [UInt32] {
        output.unicodeScalars.map(\.value).filter { v in
            (v < 0x20 && v != 0x0A) || (v >= 0x7F && v < 0xA0) || v == 0x061C || v == 0x200E || v == 0x200F
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
        }
    }

    func testNoEscapeBellOrC1ByteReachesAnyPlainTextOutput() throws {
        try start("names")
        for format in ["table", "value", "csv", "json"] {
            let result = try stacktop(["server", "list", "-f", format])
            XCTAssertEqual(result.status, 0, "\(format): \(result.output)")
            XCTAssertEqual(forbidden(in: result.output), [], "\(format):\n\(result.output)")
            XCTAssertTrue(result.output.contains("pwned"), "the name is shown, not dropped: \(result.output)")
        }
        // Without a terminal, plain `stacktop` prints the summary.
        let summary = try stacktop([])
        XCTAssertEqual(summary.status, 0, summary.output)
        XCTAssertEqual(forbidden(in: summary.output), [], summary.output)

        let csv = try stacktop(["server", "list", "-f", "csv", "-c", "name"]).output
        var records = 0, quoted = false
        for scalar in csv.unicodeScalars {
            if scalar == "\"" { quoted.toggle() } else if scalar == "\n" && !quoted { records += 1 }
        }
        XCTAssertEqual(records, 3, "a header and the two servers; a CR in a name adds no row:\n\(csv)")
    }

    func testAnAbsurdLimitIsASentenceNotASignal() throws {
        try start("huge")
        let result = try stacktop(["quota", "list"])
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("quota_set.instances") || result.output.contains("quota_set.cores"), result.output)
        XCTAssertTrue(result.output.contains("is not a number this quota can have"), result.output)
        XCTAssertFalse(result.output.contains("crashed"), result.output)
    }

    /// A server that trickles its answer one byte a second is cut off by the deadline, not waited on for ever.
    func testATricklingCloudIsCutOffByTheDeadline() throws {
        try start("slow")
        let started = Date()
        let result = try stacktop(["server", "list", "--timeout", "2"], timeout: 60)
        let elapsed = Date().timeIntervalSince(started)
        XCTAssertEqual(result.status, 1, result.output)
        XCTAssertTrue(result.output.contains("within 2 s") || result.output.contains("within 4 s"), result.output)
        XCTAssertLessThan(elapsed, 10, "the 2 s request limit and 4 s refresh limit bound it")
    }

    /// A service missing from the catalog or forbidden is a sentence and a failing exit, never `[]`.
    func testAMissingOrForbiddenServiceIsASentenceNotAnEmptyList() throws {
        for (mode, words) in [("missing", ["this cloud does not offer it"]), ("forbidden", ["HTTP 403"])] {
            try start(mode)
            for kind in ["image", "volume"] {
                let result = try stacktop([kind, "list", "-f", "json"])
                XCTAssertEqual(result.status, 1, "\(mode) \(kind): \(result.output)")
                XCTAssertTrue(words.allSatisfy(result.output.contains), "\(mode) \(kind): \(result.output)")
                XCTAssertFalse(result.output.contains("[]"), result.output)
            }
            let servers = try stacktop(["server", "list", "-f", "json", "-c", "name"])
            XCTAssertEqual(servers.status, 0, "the services that are there still answer: \(servers.output)")
            tearDown()
            cloud = nil
            directory = ""
        }
    }

    /// A refused password is sent again only when the user asks: Keystone lockout rules must not lock the
    /// operator out while the dashboard sits there, and nothing is called "last good" when nothing loaded.
    func testARefusedPasswordIsNotRetriedByTheDashboard() throws {
        try start("refuse")
        var environment = OpenRC.environment(authURL: "http://127.0.0.1:\(port)/v3", user: "demo",
                                             password: "wrong", stateDirectory: directory + "/state")
        environment["TERM"] = nil
        let exports = environment.filter { $0.key.hasPrefix("OS_") || $0.key == "XDG_STATE_HOME" }
            .map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        let tmux = try TmuxHarness(command: "env \(exports) \(TmuxHarness.binary.path) --refresh 1")
        let screen = tmux.waitFor(text: "refused")
        usleep(12_000_000)   // twelve refresh periods
        let attempts = (try? String(contentsOfFile: directory + "/port.auth", encoding: .utf8))?
            .split(separator: "\n").count ?? 0
        XCTAssertGreaterThanOrEqual(attempts, 1)
        XCTAssertLessThanOrEqual(attempts, 2, "the password was sent \(attempts) times in 12 s")
        let later = tmux.screen()
        XCTAssertFalse(later.lowercased().contains("last good"), later)
        XCTAssertFalse(later.contains("Loading"), "nothing is loading:\n\(later)")
        XCTAssertTrue(later.contains("Keystone refused"), later)
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }
}

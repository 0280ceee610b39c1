import XCTest
import Foundation
import SystemTestSupport

/// `stacktop bench --quick` on the release binary: it starts the dashboard in a pseudo-terminal, drives it
/// and reports every figure with a number. Only that the figures are there is checked here; whether they
/// meet their budgets is the bench's own verdict, never a test's (timings on a shared machine are noise).
final class BenchEndToEndTests: XCTestCase {
    static let figures = [
        "start to names, cold (min / median / max)",
        "start to names, warm (min / median / max)",
        "key j to first byte, median of 50",
        "key j to first byte, p99",
        "key j to first byte, max",
        "keys j with no byte within 200 ms",
        "filter keystroke \"web-12\" one by one, worst",
        "filter backspace",
        "idle CPU over 3 s at --refresh 2",
        "bytes written while idle",
        "bytes written, --wall --no-clock, idle 2 s",
        "peak RSS, dashboard (VmHWM)",
        "peak RSS, one-shot instance list (ru_maxrss)",
        "one-shot instance list, wall (min / median / max)",
        "one-shot instance list, CPU (median)",
    ]

    func testQuickBenchReportsEveryFigureWithANumber() throws {
        try TmuxHarness.require()
        let result = try ChildProcess.run([TmuxHarness.binary.path, "bench", "--quick"], timeout: 300)
        let report = result.output
        XCTAssertFalse(result.timedOut, "the bench did not finish within 5 minutes:\n\(report)")
        // 0: every budget met; 1: some not met (or a problem, which the check below names).
        XCTAssertTrue(result.status == 0 || result.status == 1, "exit \(result.status):\n\(report)")
        XCTAssertFalse(report.contains("problem:"), report)
        XCTAssertTrue(report.contains("== 1000 domains"), report)
        XCTAssertTrue(report.contains("120x40 pseudo-terminal"), report)
        XCTAssertFalse(report.contains("in-process"), "--quick leaves out the in-process section:\n\(report)")

        let lines = report.split(separator: "\n").map(String.init)
        for figure in Self.figures {
            guard let line = lines.first(where: { $0.hasPrefix(figure + " ") }) else {
                XCTFail("no \"\(figure)\" in the report:\n\(report)")
                continue
            }
            let value = line.dropFirst(figure.count).drop { $0 == " " }
            XCTAssertTrue(value.first?.isNumber == true, "\"\(figure)\" has no number: \(line)")
            XCTAssertFalse(line.contains("not measured"), line)
        }
        // The peer, measured in the same run, where virsh is installed (CI installs libvirt-clients).
        let hasVirsh = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/virsh")
        }
        if hasVirsh {
            let cold = lines.first { $0.hasPrefix(Self.figures[0]) } ?? ""
            XCTAssertNotNil(cold.range(of: #"virsh list --all [\d.]+ / [\d.]+ / [\d.]+ ms"#, options: .regularExpression), cold)
        }
        // Each budget of issue 14 at 1,000 domains is judged, met or not.
        let warm = lines.first { $0.hasPrefix(Self.figures[1]) } ?? ""
        XCTAssertTrue(warm.contains("<= 50 ms") && (warm.hasSuffix(" met") || warm.hasSuffix("NOT met")), warm)
    }
}

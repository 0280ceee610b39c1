import XCTest
import Foundation

/// Issue 13's rules for the UI, read from the sources themselves: the dashboard and its runner never ask which
/// backend is open (what differs comes from the backend as data), and no libvirt network-filter XML is written
/// above LocalBackend.
final class LayeringTests: XCTestCase {
    private static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func swiftFiles(under directory: String) throws -> [(path: String, text: String)] {
        let base = Self.root.appendingPathComponent(directory)
        let names = try XCTUnwrap(FileManager.default.subpathsOfDirectory(atPath: base.path))
        return try names.filter { $0.hasSuffix(".swift") }.map { name in
            (directory + "/" + name, try String(contentsOf: base.appendingPathComponent(name), encoding: .utf8))
        }
    }

    func testTheDashboardAndTheRunnerNeverBranchOnTheBackendsKind() throws {
        var files = try swiftFiles(under: "Sources/Dashboard")
        let runner = "Sources/stacktop/DashboardRunner.swift"
        files.append((runner, try String(contentsOf: Self.root.appendingPathComponent(runner), encoding: .utf8)))
        XCTAssertGreaterThan(files.count, 40, "the sources were found")
        let branches = try NSRegularExpression(pattern: #"backend\.kind|description\.kind|BackendKind|case \.openstack|== \.(openstack|local|demo|fleet)\b"#)
        for (path, text) in files {
            for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let code = String(line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
                let range = NSRange(code.startIndex..., in: code)
                XCTAssertNil(branches.firstMatch(in: code, range: range), "\(path):\(number + 1) asks which backend is open: \(line)")
            }
        }
    }

    func testNoNetworkFilterXMLAboveLocalBackend() throws {
        for directory in ["Sources/Dashboard", "Sources/StacktopServices", "Sources/TerminalUI"] {
            for (path, text) in try swiftFiles(under: directory) {
                XCTAssertFalse(text.contains("<filter") || text.contains("<filterref"), "\(path) writes libvirt filter XML")
            }
        }
    }
}

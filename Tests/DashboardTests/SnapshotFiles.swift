import XCTest
import Foundation
@testable import Dashboard

/// Screens compared as text with the files in Snapshots/. STACKTOP_RECORD_SNAPSHOTS=1 rewrites the
/// files instead (after a deliberate change; then read the diff).
///
/// A screen's snapshot leaves out the tab bar (the second row), which has snapshots of its own
/// (`tabs-*`): adding a panel changes that row on every screen, and should re-record only those.
extension XCTestCase {
    func assertScreenSnapshot(_ state: AppState, named name: String, file: StaticString = #filePath,
                              line: UInt = #line) throws {
        var rows = DashboardView.render(state).text.split(separator: "\n", omittingEmptySubsequences: false)
        if state.wall == nil, !state.isTooSmall, rows.count > 1 { rows.remove(at: 1) }
        try assertTextSnapshot(rows.joined(separator: "\n") + "\n", named: name, file: file, line: line)
    }

    /// The tab bar row alone.
    func assertTabBarSnapshot(_ state: AppState, named name: String, file: StaticString = #filePath,
                              line: UInt = #line) throws {
        let rows = DashboardView.render(state).text.split(separator: "\n", omittingEmptySubsequences: false)
        try assertTextSnapshot(String(rows[1]) + "\n", named: name, file: file, line: line)
    }

    func assertTextSnapshot(_ text: String, named name: String, file: StaticString = #filePath,
                            line: UInt = #line) throws {
        let directory = ScreenSnapshotTests.snapshotDirectory
        let url = directory.appendingPathComponent(name + ".txt")
        if ProcessInfo.processInfo.environment["STACKTOP_RECORD_SNAPSHOTS"] == "1" {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            XCTFail("No snapshot \(name).txt; record it with STACKTOP_RECORD_SNAPSHOTS=1 swift test", file: file, line: line)
            return
        }
        XCTAssertEqual(text, expected, "screen \(name) differs from its snapshot:\n\(text)", file: file, line: line)
    }
}

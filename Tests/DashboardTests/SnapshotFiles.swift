import XCTest
import Foundation
@testable import Dashboard

/// Screens compared as text with the files in Snapshots/. STACKTOP_RECORD_SNAPSHOTS=1 rewrites the
/// files instead (after a deliberate change; then read the diff).
extension XCTestCase {
    func assertScreenSnapshot(_ state: AppState, named name: String, file: StaticString = #filePath,
                              line: UInt = #line) throws {
        let text = DashboardView.render(state).text + "\n"
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

import XCTest
import StacktopStore
import SystemTestSupport

/// A real SQLite state store in a fresh directory, removed when the test ends.
public func makeStore(_ test: XCTestCase) throws -> StateStore {
    try StateStore(path: makeTemporaryDirectory(test) + "/state.sqlite3")
}

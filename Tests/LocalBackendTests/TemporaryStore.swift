import Foundation
import StacktopStore
import XCTest

/// A fresh directory per test, removed afterwards.
func makeTemporaryDirectory(_ test: XCTestCase) throws -> String {
    let path = NSTemporaryDirectory() + "stacktop-local-tests-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
    return path
}

/// A real SQLite state store in a fresh directory.
func makeStore(_ test: XCTestCase) throws -> StateStore {
    try StateStore(path: makeTemporaryDirectory(test) + "/state.sqlite3")
}

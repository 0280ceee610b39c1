import Foundation
import StacktopStore
import LocalBackend
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

/// The demo host (libvirt test driver with the shipped node XML) and a freshly seeded store, per test.
func openDemoBackend(_ test: XCTestCase) throws -> (backend: LocalCloudBackend, store: StateStore) {
    let directory = try makeTemporaryDirectory(test)
    try DemoNodeXML.xml.write(toFile: directory + "/node.xml", atomically: true, encoding: .utf8)
    let connection = try LibvirtConnection(uri: "test://" + directory + "/node.xml")
    let store = try StateStore(path: directory + "/state.sqlite3")
    try DemoSeed.apply(to: store, inventory: connection.inventory(), now: Date(timeIntervalSince1970: 1_790_000_000))
    return (LocalCloudBackend(connection: connection, store: store, kind: .demo), store)
}

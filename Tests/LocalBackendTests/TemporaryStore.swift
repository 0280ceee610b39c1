import Foundation
import StacktopStore
import LocalBackend
import XCTest
import SystemTestSupport

/// The demo host (libvirt test driver with the shipped node XML) and a freshly seeded store, per test.
func openDemoBackend(_ test: XCTestCase) throws -> (backend: LocalCloudBackend, store: StateStore) {
    let directory = try makeTemporaryDirectory(test)
    try DemoNodeXML.xml.write(toFile: directory + "/node.xml", atomically: true, encoding: .utf8)
    let connection = try LibvirtConnection(uri: "test://" + directory + "/node.xml")
    let store = try StateStore(path: directory + "/state.sqlite3")
    try DemoSeed.apply(to: store, inventory: connection.inventory(), now: Date(timeIntervalSince1970: 1_790_000_000))
    return (LocalCloudBackend(connection: connection, store: store, kind: .demo), store)
}

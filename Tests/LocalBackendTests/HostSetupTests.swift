import Foundation
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// A fresh libvirt host (the test driver on its own node file, never test:///default) and a new state store:
/// the first writable open makes what a new cloud has, once, and a read-only open makes nothing.
final class HostSetupTests: XCTestCase {
    private var directory = ""

    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self)
        try """
            <node><domain type='test'><name>vm-1</name><memory>1024</memory><os><type>hvm</type></os></domain></node>
            """.write(toFile: directory + "/node.xml", atomically: true, encoding: .utf8)
    }

    private func open(readOnly: Bool = false) throws -> LocalCloudBackend {
        let connection = try LibvirtConnection(uri: "test://" + directory + "/node.xml", readOnly: readOnly)
        let path = directory + "/state.sqlite3"
        let store = readOnly ? try StateStore(readOnlyAt: path) : try StateStore(path: path)
        return LocalCloudBackend(connection: connection, store: store, kind: .local)
    }

    func testAFreshHostGetsFlavorsAProjectAndItsDefaultGroupOnce() async throws {
        let backend = try open()
        XCTAssertEqual(backend.description.currentProject, "admin")
        let snapshot = try await backend.snapshot()
        XCTAssertGreaterThanOrEqual(snapshot.flavors.count, 3)
        XCTAssertTrue(["m1.tiny", "m1.small", "m1.medium", "m1.large"].allSatisfy { name in snapshot.flavors.contains { $0.name == name } })
        XCTAssertEqual(snapshot.projects.map(\.name), ["admin"])
        let group = try XCTUnwrap(snapshot.securityGroups.first { $0.name == "default" && $0.project == "admin" })
        XCTAssertEqual(group.rules.filter { $0.direction == .ingress }.map(\.remoteGroup), ["default", "default"],
                       "ingress from members of the same group, IPv4 and IPv6")
        XCTAssertEqual(group.rules.filter { $0.direction == .egress }.count, 2, "all egress, IPv4 and IPv6")

        // Idempotent; a flavor deleted later stays deleted; a project added later gets its default group.
        _ = try await backend.perform(ActionRequest(action: .delete, kind: .flavor, targets: ["m1.xlarge"]))
        try backend.store.upsertProject(Project(id: "p2", name: "lab"))
        let again = try await open().snapshot()
        XCTAssertEqual(again.flavors.count, snapshot.flavors.count - 1)
        XCTAssertFalse(again.flavors.contains { $0.name == "m1.xlarge" })
        XCTAssertEqual(again.securityGroups.filter { $0.name == "default" }.compactMap(\.project).sorted(), ["admin", "lab"])
        XCTAssertEqual(again.securityGroups.count, 2)

        // The default group cannot be deleted, as in Neutron.
        do {
            _ = try await backend.perform(ActionRequest(action: .delete, kind: .securityGroup, targets: ["default"],
                                                        project: "lab"))
            XCTFail("the default group was deleted")
        } catch {
            XCTAssertEqual(error as? BackendError, .refused(reason: "The default security group of project lab cannot be "
                           + "deleted, as in OpenStack; remove its rules instead."))
        }
    }

    func testReadOnlyMakesNothing() async throws {
        let readOnly = try open(readOnly: true)
        let snapshot = try await readOnly.snapshot()
        XCTAssertTrue(snapshot.flavors.isEmpty)
        XCTAssertTrue(snapshot.projects.isEmpty)
        XCTAssertFalse(FileManager.default.fileExists(atPath: directory + "/state.sqlite3"), "no store file was made")
    }
}

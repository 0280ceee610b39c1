import Foundation
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopTestSupport
import SystemTestSupport

/// The dashboard's tests draw the demo from values (`DemoCloud`, `ConsoleFixture`) instead of libvirt; these
/// tests hold those values to what the real demo, log reader and VNC plan give, so the screens the dashboard
/// tests record stay the screens `stacktop --demo` shows. A failure names what differs: change the value in
/// Tests/StacktopTestSupport to match (then the dashboard's snapshots show whether the screens change).
final class DemoCloudAgreementTests: XCTestCase {
    func testDemoCloudIsWhatTheDemoBackendReads() async throws {
        let (backend, _) = try openDemoBackend(self)
        var real = try await backend.snapshot()
        real.takenAt = DemoCloud.now
        let sample = DemoCloud.snapshot

        XCTAssertEqual(backend.description.kind, DemoCloud.description.kind)
        XCTAssertEqual(backend.description.currentProject, DemoCloud.description.currentProject)
        XCTAssertEqual(backend.description.rawDefinitionTitle, DemoCloud.description.rawDefinitionTitle)

        assertSameList(real.instances, sample.instances, "instances")
        assertSameList(real.images, sample.images, "images")
        assertSameList(real.volumes, sample.volumes, "volumes")
        assertSameList(real.volumeSnapshots, sample.volumeSnapshots, "volumeSnapshots")
        assertSameList(real.pools, sample.pools, "pools")
        assertSameList(real.networks, sample.networks, "networks")
        assertSameList(real.securityGroups, sample.securityGroups, "securityGroups")
        assertSameList(real.quotas, sample.quotas, "quotas")
        assertSameList(real.flavors, sample.flavors, "flavors")
        assertSameList(real.keypairs, sample.keypairs, "keypairs")
        assertSameList(real.projects, sample.projects, "projects")
        assertSameList(real.hypervisors, sample.hypervisors, "hypervisors")
        assertSameList(real.floatingIPs, sample.floatingIPs, "floatingIPs")
        assertSameList(real.routers, sample.routers, "routers")
        assertSameList(real.ports, sample.ports, "ports")
        assertSameList(real.staleParts, sample.staleParts, "staleParts")
        assertSameList(real.unavailableParts, sample.unavailableParts, "unavailableParts")
        XCTAssertEqual(real.extraDetails.keys.sorted(), sample.extraDetails.keys.sorted(), "extraDetails")
        for (key, blocks) in real.extraDetails where sample.extraDetails[key] != blocks {
            XCTFail("extraDetails[\(key)] differs: the demo gives\n\(blocks)\nDemoCloud has\n\(sample.extraDetails[key] ?? [])")
        }
        // Whatever a later field of the snapshot holds, it must agree too.
        XCTAssertTrue(real == sample, "the demo's snapshot and DemoCloud.snapshot differ")
    }

    func testTheConsoleLogIsWhatTheTailReaderGives() throws {
        let path = try makeTemporaryLogFile(ConsoleFixture.guestLog)
        XCTAssertEqual(try SerialLog.tail(path: path, maxBytes: 64 * 1024, instanceName: "web-01"), ConsoleFixture.guestLog)
        // The reader does change what it is given, so the equality above is not a copy by construction.
        let raw = try makeTemporaryLogFile("\u{1b}[1mbold\u{1b}[0m\r\n" + ConsoleFixture.guestLog)
        XCTAssertEqual(try SerialLog.tail(path: raw, maxBytes: 64 * 1024, instanceName: "web-01"),
                       "bold\n" + ConsoleFixture.guestLog)
    }

    func testTheVNCLinesAreWhatThePlanSaysOverSSH() {
        let plan = VNCPlan.decide(display: ConsoleFixture.display, instanceName: ConsoleFixture.vncInstance,
                                  environment: ConsoleFixture.sshEnvironment, showPassword: false,
                                  findExecutable: { _ in nil })
        XCTAssertEqual(plan, .explain(lines: ConsoleFixture.vncLinesOverSSH))
    }

    private func makeTemporaryLogFile(_ text: String) throws -> String {
        let path = try makeTemporaryDirectory(self) + "/console.log"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func assertSameList<T: Equatable>(_ real: [T], _ sample: [T], _ what: String,
                                              file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(real.count, sample.count, "\(what): the demo has \(real.count), DemoCloud \(sample.count)",
                       file: file, line: line)
        for (index, (got, expected)) in zip(real, sample).enumerated() where got != expected {
            XCTFail("\(what)[\(index)] differs: the demo gives\n\(got)\nDemoCloud has\n\(expected)", file: file, line: line)
        }
    }
}

import Foundation
import LocalBackend
import StacktopServices
import XCTest
import StoreTestSupport
import SystemTestSupport

/// The console's sentences that need no daemon: libvirt's test driver runs in-process.
final class ConsoleSessionTests: XCTestCase {
    private var logPath = ""

    private func backend() throws -> LocalCloudBackend {
        let directory = try makeTemporaryDirectory(self)
        logPath = directory + "/chatty-serial.log"
        try "Booting…\nlogin: \n".write(toFile: logPath, atomically: true, encoding: .utf8)
        let node = directory + "/node.xml"
        try nodeXML(logPath: logPath).write(toFile: node, atomically: true, encoding: .utf8)
        return LocalCloudBackend(connection: try LibvirtConnection(uri: "test://" + node), store: try makeStore(self))
    }

    private func id(_ name: String, _ backend: LocalCloudBackend) async throws -> String {
        let instances = try await backend.snapshot().instances
        return try XCTUnwrap(instances.first { $0.name == name }).id
    }

    func testGuestWithoutSerialDevice() async throws {
        let backend = try backend()
        let quiet = try await id("quiet", backend)
        XCTAssertThrowsError(try backend.openSerialConsole(instanceID: quiet, force: false)) {
            XCTAssertEqual($0 as? BackendError, .unavailable(feature: "serial console", reason: "quiet has no serial console "
                + "device; add <serial type='pty'/> and <console type='pty'/> to its definition (virsh edit quiet) and restart it."))
        }
    }

    func testGuestNotRunning() async throws {
        let backend = try backend()
        let off = try await id("off", backend)
        XCTAssertThrowsError(try backend.openSerialConsole(instanceID: off, force: true)) {
            XCTAssertEqual($0 as? BackendError, .wrongState(name: "off", state: "not running (shutoff)", action: nil,
                                                            needs: .so("its serial console cannot open"), advice: "start it first"))
        }
    }

    /// The test driver has no consoles at all: libvirt answers "not supported", which gets its own sentence.
    func testDriverWithoutConsolesSaysSo() async throws {
        let backend = try backend()
        let chatty = try await id("chatty", backend)
        XCTAssertThrowsError(try backend.openSerialConsole(instanceID: chatty, force: false)) {
            guard case .unavailable("serial console", let sentence)? = $0 as? BackendError else { return XCTFail("\($0)") }
            XCTAssertTrue(sentence.hasPrefix("This libvirt connection cannot open serial consoles ("), sentence)
            XCTAssertTrue(sentence.hasSuffix("connect to a QEMU host (qemu:///system) to use them."), sentence)
        }
    }

    func testConsoleBusySentences() {
        let busy = ConsoleBusy(instanceName: "web-01")
        XCTAssertEqual(ErrorText.sentence(busy),
                       "The serial console of web-01 is in use by another session; add --force to take it over.")
        XCTAssertEqual(busy.dashboardMessage,
                       "The serial console of web-01 is in use by another session; press F to take it over.")
    }

    func testConsoleLogThroughTheBackend() async throws {
        let backend = try backend()
        let chatty = try await id("chatty", backend)
        let text = try await backend.consoleLog(instanceID: chatty, maxBytes: 64 * 1024)
        XCTAssertEqual(text, "Booting…\nlogin: \n")
        let quiet = try await id("quiet", backend)
        do {
            _ = try await backend.consoleLog(instanceID: quiet, maxBytes: 1024)
            XCTFail("a guest without <log> has no console log")
        } catch {
            XCTAssertEqual(error as? BackendError, .unavailable(feature: "serial log", reason: "quiet has no serial log: its "
                + "<serial> has no <log file=…/> (add one with virsh edit); C opens the live console."))
        }
    }

    func testGraphicsDisplayThroughTheBackend() async throws {
        let backend = try backend()
        let chatty = try await id("chatty", backend)
        let display = try await backend.graphicsDisplay(instanceID: chatty)
        XCTAssertEqual(display.uri, "vnc://127.0.0.1:3")
    }

    private func nodeXML(logPath: String) -> String {
        func domain(_ name: String, uuid: String, devices: String, state: Int? = nil) -> String {
            """
            <domain type='test' xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
              <name>\(name)</name><uuid>\(uuid)</uuid><memory unit='MiB'>256</memory><vcpu>1</vcpu>
              <os><type arch='x86_64'>hvm</type></os><devices>\(devices)</devices>
              \(state.map { "<test:runstate>\($0)</test:runstate>" } ?? "")
            </domain>
            """
        }
        let serial = "<serial type='pty'><log file='\(logPath)'/><target port='0'/></serial>"
            + "<console type='pty'><target type='serial' port='0'/></console>"
            + "<graphics type='vnc' port='5903' autoport='no' listen='127.0.0.1'/>"
        return "<node>"
            + domain("chatty", uuid: "11111111-1111-1111-1111-111111111111", devices: serial)
            + domain("quiet", uuid: "22222222-2222-2222-2222-222222222222", devices: "")
            + domain("off", uuid: "33333333-3333-3333-3333-333333333333", devices: serial, state: 5)
            + "</node>"
    }
}

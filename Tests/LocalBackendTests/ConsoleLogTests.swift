import Foundation
import LocalBackend
import StacktopServices
import XCTest
import SystemTestSupport

/// The serial log's path from the domain XML and the tail read from a real file.
final class ConsoleLogTests: XCTestCase {
    func testLogPathComesFromTheSerialDevice() {
        let xml = """
            <domain><name>web-01</name><devices>
              <serial type='pty'><log file='/var/log/libvirt/qemu/web-01-serial.log' append='on'/><target port='0'/></serial>
              <console type='pty'><target type='serial' port='0'/></console>
            </devices></domain>
            """
        XCTAssertEqual(SerialLog.path(domainXML: xml), "/var/log/libvirt/qemu/web-01-serial.log")
        XCTAssertNil(SerialLog.path(domainXML: "<domain><devices><serial type='pty'/></devices></domain>"))
    }

    func testTailKeepsWholeLinesFromTheEnd() throws {
        let directory = try makeTemporaryDirectory(self)
        let path = directory + "/serial.log"
        let lines = (1...2000).map { "line \($0) of the boot" }
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)

        let tail = try SerialLog.tail(path: path, maxBytes: 1000, instanceName: "web-01")
        XCTAssertLessThanOrEqual(tail.utf8.count, 1000)
        XCTAssertTrue(tail.hasPrefix("line "), "a cut line is dropped, not shown half")
        XCTAssertTrue(tail.hasSuffix("line 2000 of the boot\n"))
        XCTAssertEqual(try SerialLog.tail(path: path, maxBytes: 1 << 20, instanceName: "web-01").utf8.count,
                       try Data(contentsOf: URL(fileURLWithPath: path)).count)
    }

    func testInvalidUTF8DoesNotStopTheLog() throws {
        let path = try makeTemporaryDirectory(self) + "/serial.log"
        try Data([0x6f, 0x6b, 0xff, 0x0a]).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try SerialLog.tail(path: path, maxBytes: 100, instanceName: "web-01"), "ok\u{FFFD}\n")
    }

    func testGuestLineEndingsAndEscapesBecomePlainLines() throws {
        let path = try makeTemporaryDirectory(self) + "/serial.log"
        try Data("boot\r\n\u{1b}[2J\u{1b}[Hvmpeer# \u{1b}[6nls\r\n\tbin\u{7}\r\n".utf8).write(to: URL(fileURLWithPath: path))
        let text = try SerialLog.tail(path: path, maxBytes: 100, instanceName: "web-01")
        XCTAssertEqual(text, "boot\nvmpeer# ls\n\tbin\n")
        XCTAssertEqual(text.split(separator: "\n").count, 3)
    }

    func testMissingLogFileSaysWhatToDo() {
        XCTAssertThrowsError(try SerialLog.tail(path: "/nonexistent/web-01.log", maxBytes: 100, instanceName: "web-01")) {
            XCTAssertEqual(ErrorText.sentence($0), "Reading the serial log /nonexistent/web-01.log of web-01 failed: "
                + "No such file or directory; stacktop must run on the libvirt host as a user who may read it.")
        }
    }
}

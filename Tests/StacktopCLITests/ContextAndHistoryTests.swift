import XCTest
import Foundation
import Glibc
import Dashboard
import StacktopServices
@testable import stacktop

/// The executable's side of contexts and the `:` history: --context, the catalog read from config.yaml and
/// clouds.yaml, and the history file.
final class ContextAndHistoryTests: XCTestCase {
    private func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "stacktop-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testContextIsAGlobalOptionThatExcludesTheOtherChoices() throws {
        XCTAssertEqual(try OptionParser.parse(["--context", "lab-a"]).context, "lab-a")
        XCTAssertEqual(try OptionParser.parse(["--context=lab-a", "server", "list"]).context, "lab-a")
        XCTAssertEqual(try OptionParser.parse(["server", "stop", "web-01", "--context", "lab-b"]).context, "lab-b")
        for other in [["--demo"], ["--connect", "qemu:///system"], ["--os-cloud", "prod"]] {
            XCTAssertEqual(usageError(["--context", "lab-a"] + other),
                           "--context names where to connect, so it goes without --connect, --os-cloud and --demo; drop one or the other.")
        }
    }

    func testAContextBecomesTheOptionsThatOpenItAndKeepsReadOnly() throws {
        var options = try OptionParser.parse(["--readonly", "--context", "lab-a"])
        let host = StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "test:///a.xml")
        XCTAssertEqual(ContextCatalog.options(options, for: host).connect, "test:///a.xml")
        XCTAssertTrue(ContextCatalog.options(options, for: host).readOnly, "--readonly is never lifted by a context")
        options.readOnly = false
        let marked = StacktopContext(name: "prod", kind: .openstack, endpoint: "", readOnly: true)
        let opened = ContextCatalog.options(options, for: marked)
        XCTAssertEqual(opened.osCloud, "prod")
        XCTAssertNil(opened.connect)
        XCTAssertTrue(opened.readOnly, "the context's own mark")
        XCTAssertTrue(ContextCatalog.options(options, for: StacktopContext(name: "demo", kind: .demo, endpoint: "")).demo)
    }

    func testTheCatalogListsHostsThenCloudsAndMarksWhatTheCommandLineOpened() throws {
        let home = try temporaryDirectory()
        try FileManager.default.createDirectory(atPath: home + "/conf/stacktop", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/conf/openstack", withIntermediateDirectories: true)
        try "hosts:\n  lab-a: test:///a.xml\n  dup: qemu:///system\nclouds:\n  prod: {readonly: true}\n"
            .write(toFile: home + "/conf/stacktop/config.yaml", atomically: true, encoding: .utf8)
        try "clouds:\n  prod:\n    auth: {auth_url: 'http://k:5000/v3'}\n  dup:\n    auth: {auth_url: 'http://d/v3'}\n"
            .write(toFile: home + "/conf/openstack/clouds.yaml", atomically: true, encoding: .utf8)
        var list = try ContextCatalog.load(environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/conf"])
        XCTAssertEqual(list.names, ["lab-a", "dup", "prod"])
        XCTAssertEqual(list["prod"]?.readOnly, true)
        XCTAssertEqual(list["prod"]?.endpoint, "http://k:5000/v3")
        XCTAssertEqual(list.problems.count, 1)
        XCTAssertTrue(list.problems[0].contains("Cloud \"dup\" of clouds.yaml:4 has the name of the host on config.yaml:3"),
                      list.problems[0])
        XCTAssertEqual(ContextCatalog.current(of: BackendDescription(kind: .local, endpoint: "test:///a.xml"), in: &list), "lab-a")
        XCTAssertEqual(ContextCatalog.current(of: BackendDescription(kind: .openstack, endpoint: "prod"), in: &list), "prod")
        XCTAssertEqual(ContextCatalog.current(of: BackendDescription(kind: .demo, endpoint: "test:///x"), in: &list), "demo")
        XCTAssertEqual(list.names, ["lab-a", "dup", "prod", "demo"], "what the command line opened can be come back to")

        try "hosts:\n  lab-a:\n    uri: test:///a.xml\n    readonly: perhaps\n"
            .write(toFile: home + "/conf/stacktop/config.yaml", atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ContextCatalog.load(environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/conf"])) { error in
            XCTAssertEqual(ErrorText.sentence(error), "\(home)/conf/stacktop/config.yaml, line 4, "
                           + "gives host \"lab-a\" a readonly of \"perhaps\", not true or false; write readonly: true or readonly: false.")
        }
        // A broken clouds.yaml leaves the clouds out, and says why, rather than stopping the dashboard.
        try "hosts:\n  lab-a: test:///a.xml\n".write(toFile: home + "/conf/stacktop/config.yaml", atomically: true, encoding: .utf8)
        try "clouds: [\n".write(toFile: home + "/conf/openstack/clouds.yaml", atomically: true, encoding: .utf8)
        let partial = try ContextCatalog.load(environment: ["HOME": home, "XDG_CONFIG_HOME": home + "/conf"])
        XCTAssertEqual(partial.names, ["lab-a"])
        XCTAssertTrue(partial.problems.first?.hasPrefix("Clouds are left out: ") == true, "\(partial.problems)")
    }

    // MARK: history

    func testTheHistoryFileSitsBesideTheStoreNewestLastAndCapped() throws {
        let directory = try temporaryDirectory()
        let options = try OptionParser.parse(["--state", directory + "/sub/state.sqlite3"])
        let file = CommandHistoryFile(options: options, environment: [:])
        XCTAssertEqual(file.path, directory + "/sub/command-history")
        XCTAssertEqual(CommandHistoryFile(options: Options(), environment: ["XDG_STATE_HOME": "/x/state"]).path,
                       "/x/state/stacktop/command-history")
        XCTAssertEqual(file.load(), [], "no file yet")
        file.append("vol")
        file.append("ctx lab-b")
        XCTAssertEqual(file.load(), ["vol", "ctx lab-b"])
        XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8), "vol\nctx lab-b\n")
        var status = stat()
        XCTAssertEqual(stat(file.path, &status), 0)
        XCTAssertEqual(status.st_mode & 0o777, 0o600, "private, like the rest of the state directory")
        for n in 0..<(CommandHistory.capacity + 5) { file.append("cmd \(n)") }
        let kept = file.load()
        XCTAssertEqual(kept.count, CommandHistory.capacity)
        XCTAssertEqual(kept.last, "cmd \(CommandHistory.capacity + 4)")
        XCTAssertEqual(try String(contentsOfFile: file.path, encoding: .utf8).split(separator: "\n").count,
                       CommandHistory.capacity, "the file is capped too")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: directory + "/sub"), ["command-history"],
                       "no temporary file left behind")
    }

    func testAHostileHistoryFileGivesOnlyItsCommands() throws {
        let directory = try temporaryDirectory()
        let file = CommandHistoryFile(path: directory + "/command-history")
        try "vol\n\u{1b}]52;c;evil\u{7}\n\n   \nctx lab-a\n".write(toFile: file.path, atomically: true, encoding: .utf8)
        XCTAssertEqual(file.load(), ["vol", "ctx lab-a"])
        file.append("bad \u{1b}[2J")
        XCTAssertEqual(file.load(), ["vol", "ctx lab-a"], "a line with a control character is not written")
        // A link planted at the path is replaced, never written through.
        let target = directory + "/elsewhere"
        try "untouched\n".write(toFile: target, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: file.path)
        try FileManager.default.createSymbolicLink(atPath: file.path, withDestinationPath: target)
        file.append("vol")
        XCTAssertEqual(try String(contentsOfFile: target, encoding: .utf8), "untouched\n")
        XCTAssertEqual(file.load(), ["untouched", "vol"])
    }
}

/// Which fleet contexts get a thread of their own: those that wait on the network.
final class FleetThreadsTests: XCTestCase {
    func testCloudsAndDistantHostsWaitOnTheNetworkAndHostsNearbyDoNot() {
        func context(_ kind: StacktopContext.Kind, _ endpoint: String) -> StacktopContext {
            StacktopContext(name: "x", kind: kind, endpoint: endpoint)
        }
        XCTAssertTrue(FleetFactory.waitsOnNetwork(context(.openstack, "prod")))
        XCTAssertTrue(FleetFactory.waitsOnNetwork(context(.libvirt, "qemu+ssh://root@lab-a/system")))
        XCTAssertTrue(FleetFactory.waitsOnNetwork(context(.libvirt, "qemu://lab-b/system")))
        XCTAssertFalse(FleetFactory.waitsOnNetwork(context(.libvirt, "qemu:///system")))
        XCTAssertFalse(FleetFactory.waitsOnNetwork(context(.libvirt, "test:///tmp/node.xml")))
        XCTAssertFalse(FleetFactory.waitsOnNetwork(context(.demo, "")))
    }
}

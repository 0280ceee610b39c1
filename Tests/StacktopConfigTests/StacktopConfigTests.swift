import XCTest
import Foundation
import StacktopServices
import OpenStackBackend
import SystemTestSupport
@testable import StacktopConfig

/// stacktop's config.yaml: hosts as contexts, read-only marks, and a sentence with file and line for
/// everything it cannot use.
final class StacktopConfigTests: XCTestCase {
    let file = "/home/op/.config/stacktop/config.yaml"

    func testHostsAsURIsAndAsMappings() throws {
        let config = try StacktopConfig.parse("""
            # lab hosts
            hosts:
              lab-a: qemu+ssh://root@lab-a/system
              lab-b:
                uri: test:///srv/lab-b/node.xml
                readonly: true
            clouds:
              prod: {readonly: yes}
              dev: {readonly: false}
            """, file: file)
        XCTAssertEqual(config.hosts, [
            StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "qemu+ssh://root@lab-a/system", file: file, line: 3),
            StacktopContext(name: "lab-b", kind: .libvirt, endpoint: "test:///srv/lab-b/node.xml", readOnly: true,
                            file: file, line: 4),
        ])
        XCTAssertEqual(config.readOnlyClouds, ["prod": 8])
        XCTAssertEqual(config.hosts[1].origin, "config.yaml:4")
    }

    func testEmptyAndMissingFilesHaveNoHosts() throws {
        XCTAssertEqual(try StacktopConfig.parse("", file: file).hosts, [])
        XCTAssertEqual(try StacktopConfig.parse("# nothing yet\n", file: file).hosts, [])
        XCTAssertEqual(try StacktopConfig.parse("hosts:\n", file: file).hosts, [])
        let directory = try makeTemporaryDirectory(self)
        XCTAssertEqual(try StacktopConfig.load(path: directory + "/none.yaml"), StacktopConfig())
    }

    func testThePathFollowsXDG() {
        XCTAssertEqual(StacktopConfig.path(environment: ["XDG_CONFIG_HOME": "/x/conf", "HOME": "/home/op"]),
                       "/x/conf/stacktop/config.yaml")
        // The XDG spec ignores a relative value.
        XCTAssertEqual(StacktopConfig.path(environment: ["XDG_CONFIG_HOME": "conf", "HOME": "/home/op"]),
                       "/home/op/.config/stacktop/config.yaml")
        XCTAssertNil(StacktopConfig.path(environment: [:]))
    }

    /// Each refusal names the file and the line, says what is wrong and what to write instead.
    func testBadConfigIsRefusedWithFileAndLine() {
        let cases: [(String, Int?, String)] = [
            ("hosts:\n  lab-a: qemu:///system\n  lab-b:\n    uri: qemu:///system\n    readnly: true\n", 5,
             "gives host \"lab-b\" a setting \"readnly\" stacktop does not know"),
            ("hosts:\n  lab-a:\n    uri: qemu:///system\n    readonly: maybe\n", 4,
             "gives host \"lab-a\" a readonly of \"maybe\", not true or false"),
            ("hosts:\n  lab-a:\n", 2, "gives host \"lab-a\" no libvirt URI"),
            ("hosts:\n  lab-a: not a uri\n", 2, "\"not a uri\", which is not a libvirt URI"),
            ("hosts:\n  - qemu:///system\n", 2, "has hosts: holding a list, not a mapping"),
            ("hots:\n  lab-a: qemu:///system\n", 1, "has a key \"hots\" stacktop does not know"),
            ("hosts:\n  lab-a: qemu:///system\n  lab-a: qemu:///session\n", 3, "is not valid YAML: the key 'lab-a' appears twice"),
            ("hosts:\n\tlab-a: qemu:///system\n", 2, "is not valid YAML"),
            ("- one\n", 1, "holds a list at the top, not a mapping"),
            ("clouds:\n  prod: yes\n", 2, "gives cloud \"prod\" a single value, not a mapping"),
        ]
        for (text, line, words) in cases {
            XCTAssertThrowsError(try StacktopConfig.parse(text, file: file), text) { error in
                guard let error = error as? StacktopConfigError else { return XCTFail("\(error)") }
                XCTAssertEqual(error.line, line, text)
                XCTAssertTrue(error.message.hasPrefix(file + (line.map { ", line \($0)," } ?? "")),
                              error.message)
                XCTAssertTrue(error.message.contains(words), error.message)
                XCTAssertTrue(error.message.hasSuffix("."), error.message)
                XCTAssertTrue(error.message.contains("; "), "no advice: \(error.message)")
            }
        }
    }

    /// A name is typed after :ctx and drawn on screen: control characters, escapes and spaces are refused, and
    /// the refusal shows them as pictures, never as bytes a terminal would obey.
    func testHostileNamesAreRefusedAndShownSafely() {
        for name in ["\"lab\\e[31m\"", "\"lab\\a\"", "\"two words\"", "\"\"", "\"bidi\\u202Eevil\"", "\"tab\\there\""] {
            let text = "hosts:\n  \(name): qemu:///system\n"
            XCTAssertThrowsError(try StacktopConfig.parse(text, file: file), name) { error in
                let message = (error as? StacktopConfigError)?.message ?? ""
                XCTAssertTrue(message.contains("line 2"), message)
                XCTAssertFalse(message.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7f || $0.value == 0x202E },
                               "raw control character in: \(message)")
            }
        }
        // An escape inside a URI is not a URI.
        XCTAssertThrowsError(try StacktopConfig.parse("hosts:\n  lab: \"qemu:///sys\\etem\"\n", file: file)) { error in
            let message = (error as? StacktopConfigError)?.message ?? ""
            XCTAssertTrue(message.contains("␛"), message)
        }
        // A file name with an escape is shown as a picture too.
        let error = StacktopConfigError(file: "/tmp/\u{1b}[2J.yaml", line: 1, problem: "x", advice: "y")
        XCTAssertFalse(error.message.contains("\u{1b}"), error.message)
    }

    func testUnicodeNamesAreFine() throws {
        let config = try StacktopConfig.parse("hosts:\n  läb-ü: qemu:///system\n", file: file)
        XCTAssertEqual(config.hosts.map(\.name), ["läb-ü"])
    }

    /// clouds.yaml's clouds are listed in file order with their auth URL, without being resolved.
    func testCloudsYAMLCloudsAreContexts() throws {
        let home = try makeTemporaryDirectory(self)
        let directory = home + "/.config/openstack"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try """
            clouds:
              prod:
                auth:
                  auth_url: https://keystone.example:5000/v3
                  username: op
              dev:
                region_name: RegionOne
            """.write(toFile: directory + "/clouds.yaml", atomically: true, encoding: .utf8)
        let contexts = try CloudConfigLoader.contexts(environment: [:], homeDirectory: home, currentDirectory: home + "/none")
        XCTAssertEqual(contexts.map(\.name), ["prod", "dev"])
        XCTAssertEqual(contexts.map(\.kind), [.openstack, .openstack])
        XCTAssertEqual(contexts.map(\.endpoint), ["https://keystone.example:5000/v3", ""])
        XCTAssertEqual(contexts[0].file, directory + "/clouds.yaml")
        XCTAssertEqual(contexts[0].line, 2)
        let withEnv = try CloudConfigLoader.contexts(environment: ["OS_AUTH_URL": "http://k:5000/v3", "OS_USERNAME": "a"],
                                                     homeDirectory: home, currentDirectory: home + "/none")
        XCTAssertEqual(withEnv.last, StacktopContext(name: "envvars", kind: .openstack, endpoint: "http://k:5000/v3"))
    }

    func testUnknownNamesListTheKnownOnes() {
        let list = ContextList([StacktopContext(name: "lab-a", kind: .libvirt, endpoint: "qemu:///system"),
                                StacktopContext(name: "prod", kind: .openstack, endpoint: "")])
        XCTAssertEqual(list.unknown("lab-c"), "There is no context named \"lab-c\"; the known ones are lab-a, prod.")
        XCTAssertEqual(list.unknown("x\u{1b}"), "There is no context named \"x␛\"; the known ones are lab-a, prod.")
        XCTAssertTrue(ContextList().unknown("x").contains("no contexts are configured"))
    }
}

import Foundation
import XCTest
@testable import StacktopServices

final class ActionSchemaTests: XCTestCase {
    private func message(_ words: [String]) -> String {
        do { _ = try ActionCommand.parse(words); return "parsed" } catch { return error.description }
    }

    /// The one list of option keys, per kind and action: what both backends and the forms may read.
    /// A key a backend reads that is missing here is refused on the command line before it arrives.
    func testTheSchemasKeysPerKindAndAction() {
        let expected: [String: [String]] = [
            "instance create": ["name", "flavor", "image", "volume", "networks", "security-groups", "keypair", "user-data",
                                "count", "virt-type"],
            "instance reboot": ["hard"],
            "instance rename": ["name"],
            "instance resize": ["flavor"],
            "instance snapshot": ["image-name", "pool"],
            "instance attach-volume": ["volume"],
            "instance detach-volume": ["volume", "force"],
            "instance attach-interface": ["network"],
            "instance detach-interface": ["mac", "force"],
            "instance add-security-group": ["group"],
            "instance remove-security-group": ["group"],
            "volume create": ["name", "size", "image", "pool"],
            "volume extend": ["size"],
            "volume-snapshot create": ["name", "volume", "description", "force"],
            "volume snapshot": ["name"],
            "image create": ["name", "file", "pool", "visibility"],
            "image upload": ["name", "file", "pool", "visibility"],
            "image update": ["name", "os", "min-disk", "min-ram", "visibility"],
            "network create": ["name", "mode", "cidr", "gateway", "dhcp"],
            "subnet create": ["name", "network", "cidr", "gateway", "dhcp"],
            "port create": ["name", "network", "fixed-ip"],
            "floating-ip create": ["network", "description"],
            "floating-ip associate": ["server", "fixed-ip"],
            "router create": ["name", "external-network"],
            "router update": ["external-network"],
            "router attach-interface": ["subnet"],
            "router detach-interface": ["subnet"],
            "secgroup create": ["name", "description"],
            "secgroup-rule create": ["group", "direction", "protocol", "port", "remote-ip"],
            "keypair create": ["name", "public-key", "private-key"],
            "flavor create": ["name", "vcpus", "ram", "disk"],
            "quota update": ["instances", "cores", "vcpus", "ram", "volumes", "gigabytes", "snapshots", "networks",
                             "security-groups", "security-group-rules", "keypairs"],
        ]
        var actual: [String: [String]] = [:]
        for kind in ResourceKind.allCases {
            for action in ActionKind.allCases {
                let keys = ActionSchema.options(for: kind, action).map(\.name)
                if !keys.isEmpty { actual["\(kind.rawValue) \(action.word)"] = keys }
                XCTAssertEqual(Set(keys).count, keys.count, "\(kind.rawValue) \(action.word) declares a key twice")
            }
        }
        XCTAssertEqual(actual, expected)
    }

    func testUnknownFlagsAreRefusedByName() {
        XCTAssertEqual(message(["server", "stop", "web-01", "--bogus", "1", "--yes"]),
                       "server stop takes no options; --bogus is not one of them.")
        XCTAssertEqual(message(["volume", "create", "data", "--size", "10", "--bogus=1"]),
                       "--bogus is not an option of volume create; it takes --name, --size, --image, --pool.")
        XCTAssertEqual(message(["vm", "stop", "web-01", "--force"]), "vm stop takes no options; --force is not one of them.")
        XCTAssertEqual(message(["server", "stop", "web-01", "--yes=no"]), "--yes is a switch and takes no value.")
        // Switches stay switches; --yes and --wait go with every action.
        XCTAssertEqual(message(["server", "detach-volume", "web-01", "--volume", "d", "--force", "--wait", "--yes"]), "parsed")
    }

    func testValuesOfTheWrongKindAreRefused() {
        XCTAssertEqual(message(["volume", "create", "data", "--size", "ten"]),
                       "--size wants a size in GiB, a whole number of 1 or more, not \"ten\".")
        XCTAssertEqual(message(["server", "create", "w", "--flavor", "m1", "--count", "0"]),
                       "--count wants a whole number from 1 to 100, not \"0\".")
        XCTAssertEqual(message(["secgroup-rule", "create", "--group", "web", "--port", "70000"]),
                       "--port wants a port such as 22 or a range such as 8000-8080, within 1-65535, not \"70000\".")
        XCTAssertEqual(message(["secgroup-rule", "create", "--group", "web", "--protocol", "gre"]),
                       "--protocol wants tcp, udp, icmp or any, not \"gre\".")
        XCTAssertEqual(message(["network", "create", "lab", "--cidr", "10.20.0/24"]),
                       "--cidr wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.20.0/24\".")
        XCTAssertEqual(message(["network", "create", "lab", "--mode", "bridge"]), "--mode wants nat or isolated, not \"bridge\".")
        XCTAssertEqual(message(["network", "create", "lab", "--dhcp", "10.20.0.100"]),
                       "--dhcp wants a range START-END such as 10.20.0.100-10.20.0.200, not \"10.20.0.100\".")
        XCTAssertEqual(message(["quota", "update", "web", "--instances", "-1"]), "parsed")
        XCTAssertEqual(message(["quota", "update", "web", "--instances", "-2"]),
                       "--instances wants a whole number of -1 or more, not \"-2\".")
        XCTAssertEqual(message(["flavor", "create", "f", "--vcpus", "1", "--ram", "512", "--disk", "0"]), "parsed")
    }

    func testMissingRequiredOptionsAreRefusedUnlessAFormWillAsk() throws {
        XCTAssertEqual(message(["volume", "create", "data"]), "volume create needs --size GIB: The size in GiB.")
        XCTAssertEqual(message(["server", "rename", "web-01"]), "server rename needs --name TEXT: The new name.")
        XCTAssertEqual(message(["server", "resize", "web-01", "--flavor", ""]),
                       "server resize needs --flavor TEXT: The new flavor.")
        let forForm = try ActionCommand.parse(["volume", "create", "data"], requireAll: false)
        XCTAssertEqual(forForm.request.options, [:])
    }

    /// Every action command the README shows parses: a schema that forgot an option would break them.
    func testTheREADMEsActionCommandsParse() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        var checked = 0
        var pending = ""
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = pending + raw.trimmingCharacters(in: .whitespaces)
            pending = ""
            if line.hasSuffix("\\") { pending = String(line.dropLast()) + " "; continue }
            guard line.hasPrefix("stacktop ") else { continue }
            if let comment = line.range(of: "  #") ?? line.range(of: " # ") { line = String(line[..<comment.lowerBound]) }
            var words = ActionCommand.words(of: line).dropFirst().filter { !["--demo", "--readonly"].contains($0) }
            if words.first == "--connect" || words.first == "--os-cloud" { words.removeFirst(2) }
            guard words.count >= 2, ResourceKind.named(words[0]) != nil, ActionKind.named(words[1]) != nil,
                  !words.contains(where: { $0.hasPrefix("[") || $0.contains("...") || $0 == "NAME" }) else { continue }
            XCTAssertNoThrow(try ActionCommand.parse(Array(words)), line)
            checked += 1
        }
        XCTAssertGreaterThan(checked, 15)
    }

    func testDoubleDashStillEndsTheOptions() throws {
        let named = try ActionCommand.parse(["server", "stop", "--", "--bogus"])
        XCTAssertEqual(named.request.targets, ["--bogus"])
    }

    func testHelpComesFromTheSchema() {
        let help = ActionCommand.helpText(["volume", "create", "--help"]) ?? ""
        XCTAssertTrue(help.hasPrefix("Usage: stacktop volume create [NAME] [options] [--yes]\n"), help)
        XCTAssertTrue(help.contains("--size GIB"), help)
        XCTAssertTrue(help.contains("Required."), help)
        XCTAssertEqual(ActionCommand.helpText(["vm", "stop", "-h"]), """
            Usage: stacktop server stop NAME… [--yes]
            Shut off server. It takes no options.

              --yes  Confirm up front; without a terminal a change that asks is refused without it.

            """)
        XCTAssertNil(ActionCommand.helpText(["server", "stop", "--", "--help"]), "after -- it is a name")
        XCTAssertNil(ActionCommand.helpText(["server", "stop", "web-01"]))
    }
}

/// What the user types is parsed once, by the schema, into typed values; backends read the types.
final class OptionValuesTests: XCTestCase {
    func testValuesAreParsedOnceIntoTheirKinds() throws {
        let rule = try ActionCommand.parse(["secgroup-rule", "create", "--group", "web", "--protocol", " TCP",
                                            "--port", "8000-8080", "--remote-ip", " 10.0.0.0/8 ", "--direction", "Egress"]).request
        XCTAssertEqual(rule.options, [.group: .text("web"), .ipProtocol: .ipProtocol("tcp"), .port: .ports(8000...8080),
                                      .remoteIP: .cidr("10.0.0.0/8"), .direction: .choice("egress")])
        XCTAssertEqual(rule.portRange(.port), 8000...8080)
        XCTAssertEqual(rule.ipProtocol(.ipProtocol), "tcp")
        XCTAssertEqual(rule.cidr(.remoteIP), "10.0.0.0/8")
        // The text form is what the user would type, normalised.
        XCTAssertEqual(rule[.port], "8000-8080")
        XCTAssertEqual(rule[.direction], "egress")

        let launch = try ActionCommand.parse(["server", "create", "w", "--flavor", "m1", "--networks", "a, b,,c",
                                              "--count", " 3"]).request
        XCTAssertEqual(launch.list(.networks), ["a", "b", "c"])
        XCTAssertNil(launch.list(.securityGroups), "absent is not empty")
        XCTAssertEqual(launch.integer(.count), 3)
        XCTAssertEqual(launch[.networks], "a,b,c")

        let detach = try ActionCommand.parse(["server", "detach-volume", "web", "--volume", "d", "--force"]).request
        XCTAssertTrue(detach.flag(.force))
        XCTAssertEqual(detach.options[.force], .flag)
        XCTAssertFalse(try ActionCommand.parse(["server", "detach-volume", "web", "--volume", "d"]).request.flag(.force))

        let network = try ActionCommand.parse(["network", "create", "lab", "--dhcp", "10.0.0.2 - 10.0.0.9", "--mode", "NAT"]).request
        XCTAssertEqual(network.addressRange(.dhcp)?.start, "10.0.0.2")
        XCTAssertEqual(network.addressRange(.dhcp)?.end, "10.0.0.9")
        XCTAssertEqual(network.options[.mode], .choice("nat"))
    }

    func testBlankMeansAbsentExceptForTextAndLists() throws {
        let blank = try ActionCommand.parse(["server", "create", "w", "--flavor", "m1", "--count", "", "--networks", "",
                                             "--keypair", ""]).request
        XCTAssertNil(blank.options[.count], "an empty number is no number: the default applies")
        XCTAssertEqual(blank.list(.networks), [], "an empty list is a list of nothing")
        XCTAssertEqual(blank.options[.keypair], .text(""))
        let os = try ActionCommand.parse(["image", "update", "debian", "--os", ""]).request
        XCTAssertEqual(os.options[.os], .text(""), "an empty --os clears it")
    }

    func testTypedTextIsRefusedWithTheCommandLinesSentence() {
        XCTAssertThrowsError(try ActionRequest(action: .create, kind: .volume, targets: ["v"], text: [.size: "ten"])) { error in
            XCTAssertEqual((error as? ActionCommand.ParseError)?.description,
                           "--size wants a size in GiB, a whole number of 1 or more, not \"ten\".")
        }
        XCTAssertThrowsError(try ActionRequest(action: .stop, kind: .instance, targets: ["v"], text: [.force: "true"])) { error in
            XCTAssertEqual((error as? ActionCommand.ParseError)?.description,
                           "instance stop takes no options; --force is not one of them.")
        }
    }

    /// A request made from typed values directly (a form, a test) meets the same schema.
    func testTypedValuesOfTheWrongKindAreProblems() {
        let text = ActionRequest(action: .create, kind: .volume, targets: ["v"], options: [.size: .text("10")])
        XCTAssertEqual(ActionSchema.problem(with: text), "--size wants a size in GiB, a whole number of 1 or more, not \"10\".")
        let zero = ActionRequest(action: .extend, kind: .volume, targets: ["v"], options: [.size: .integer(0)])
        XCTAssertEqual(ActionSchema.problem(with: zero), "--size wants a size in GiB, a whole number of 1 or more, not \"0\".")
        let gre = ActionRequest(action: .create, kind: .securityGroupRule, targets: ["web"], options: [.ipProtocol: .ipProtocol("gre")])
        XCTAssertEqual(ActionSchema.problem(with: gre), "--protocol wants tcp, udp, icmp or any, not \"gre\".")
        let fine = ActionRequest(action: .create, kind: .volume, targets: ["v"], options: [.size: .integer(10)])
        XCTAssertNil(ActionSchema.problem(with: fine))
        XCTAssertEqual(ActionSchema.problem(with: ActionRequest(action: .create, kind: .volume, targets: ["v"])),
                       "volume create needs --size GIB: The size in GiB.")
    }
}

final class RuleSyntaxTests: XCTestCase {
    func testCIDRs() {
        for valid in ["0.0.0.0/0", "10.0.0.0/8", "192.168.1.0/24", "255.255.255.255/32", "::/0", "fd00::/64", "2001:db8::/128"] {
            XCTAssertTrue(RuleSyntax.isCIDR(valid), valid)
        }
        for invalid in ["", "10.0.0.0", "10.0.0/8", "10.0.0.256/8", "10.0.0.0/33", "10.0.0.0/-1", "10.0.0.0/", "/8",
                        "10..0.0/8", "a.b.c.d/8", "fd00::/129", "10.0.0.0/8/8", "10.0.0.0/+8", "gg::/64", "1234.0.0.0/8"] {
            XCTAssertFalse(RuleSyntax.isCIDR(invalid), invalid)
        }
    }

    func testPortsAndRanges() throws {
        XCTAssertEqual(try RuleSyntax.portRange("22"), 22...22)
        XCTAssertEqual(try RuleSyntax.portRange("8000-8080"), 8000...8080)
        XCTAssertEqual(try RuleSyntax.portRange("1-65535"), 1...65535)
        XCTAssertEqual(try RuleSyntax.portRange("443-443"), 443...443)
        for invalid in ["0", "65536", "9000-80", "1-2-3", "-22", "22-", "http", "", "22 - x"] {
            XCTAssertThrowsError(try RuleSyntax.portRange(invalid), invalid)
        }
        XCTAssertEqual(try RuleSyntax.rule(direction: nil, protocol: "tcp", ports: nil, remote: nil).ports, nil)
        XCTAssertEqual(try RuleSyntax.rule(direction: nil, protocol: "udp", ports: 53...53, remote: nil).ports, 53...53)
        XCTAssertThrowsError(try RuleSyntax.rule(direction: nil, protocol: "icmp", ports: 22...22, remote: nil)) { error in
            XCTAssertEqual((error as? RuleSyntax.Invalid)?.description, "--port applies to tcp and udp only; drop it for icmp.")
        }
        XCTAssertThrowsError(try RuleSyntax.rule(direction: nil, protocol: nil, ports: 22...22, remote: nil)) { error in
            XCTAssertEqual((error as? RuleSyntax.Invalid)?.description,
                           "--port needs --protocol tcp or udp: without --protocol a rule matches any protocol, which has no ports.")
        }
    }

    func testNoProtocolMeansAny() throws {
        XCTAssertNil(try RuleSyntax.ipProtocol(nil))
        XCTAssertNil(try RuleSyntax.ipProtocol(""))
        XCTAssertNil(try RuleSyntax.ipProtocol("ANY"))
        XCTAssertNil(try RuleSyntax.ipProtocol("all"))
        XCTAssertEqual(try RuleSyntax.ipProtocol("TCP"), "tcp")
        XCTAssertThrowsError(try RuleSyntax.ipProtocol("sctp"))
        // From the command line, through the schema: no --protocol, and --protocol any, are the same rule.
        let parsed = try ActionCommand.parse(["secgroup-rule", "create", "web", "--remote-ip", "fd00::/64"]).request
        let rule = try RuleSyntax.rule(parsed)
        XCTAssertEqual(rule, RuleSyntax.Rule(direction: "ingress", ipProtocol: nil, ports: nil, remote: "fd00::/64"))
        XCTAssertEqual(rule.ethertype, "IPv6")
        let any = try ActionCommand.parse(["secgroup-rule", "create", "web", "--remote-ip", "fd00::/64", "--protocol", "ANY"])
        XCTAssertEqual(try RuleSyntax.rule(any.request), rule)
        XCTAssertThrowsError(try RuleSyntax.rule(direction: "inbound", protocol: nil, ports: nil, remote: nil))
    }
}

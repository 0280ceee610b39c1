import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

final class BackendCreateSecurityGroupTests: XCTestCase {
    func testGroupCreateAndDeleteGoToNeutron() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.0/security-groups", status: 201, headers: ["x-openstack-request-id": "req-c"],
                           json: ["security_group": ["id": "sg-9", "name": "db"]])
        await transport.on(.delete, "/v2.0/security-groups/sg-1", status: 204, headers: ["x-openstack-request-id": "req-d"])
        let backend = BackendFixture.backend(transport)

        let created = try await backend.perform(ActionRequest(action: .create, kind: .securityGroup, targets: ["db"],
                                                              text: [.description: "databases"]))
        let deleted = try await backend.perform(ActionRequest(action: .delete, kind: .securityGroup, targets: ["web"]))

        let posts = await transport.requests(.post, "/v2.0/security-groups")
        XCTAssertEqual(CreateFixture.json(posts.first?.body),
                       ["security_group": ["name": "db", "description": "databases"]] as NSDictionary)
        XCTAssertEqual(created.message, "Created security group db (id sg-9).")
        XCTAssertEqual(created.requestIDs, ["req-c"])
        XCTAssertEqual(deleted.message, "Deleted security group web.")
        XCTAssertEqual(deleted.requestIDs, ["req-d"])
        let lookup = await transport.requests(.get, "/v2.0/security-groups").first
        XCTAssertTrue(lookup?.url.query?.contains("project_id=") == true, "\(String(describing: lookup?.url))")
        let unknown = await CreateFixture.error(backend, ActionRequest(action: .delete, kind: .securityGroup, targets: ["nope"]))
        XCTAssertEqual(unknown, .notFound(kind: "secgroup", name: "nope"))
    }

    func testRuleCreateResolvesTheGroupAndSendsPortsAndPrefix() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.0/security-group-rules", status: 201, headers: ["x-openstack-request-id": "req-r"],
                           json: ["security_group_rule": ["id": "rule-9"]])
        let backend = BackendFixture.backend(transport)

        let ranged = try await backend.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: [], text: [
            .group: "web", .direction: "ingress", .ipProtocol: "tcp", .port: "8000-8080", .remoteIP: "10.0.0.0/8"]))
        let icmp = try await backend.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: ["web"],
                                                           text: [.ipProtocol: "icmp", .direction: "egress"]))
        let anyV6 = try await backend.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: [],
                                                            text: [.group: "web", .ipProtocol: "any", .remoteIP: "::/0"]))

        let bodies = await transport.requests(.post, "/v2.0/security-group-rules").map { CreateFixture.json($0.body) }
        XCTAssertEqual(bodies, [
            ["security_group_rule": ["security_group_id": "sg-1", "direction": "ingress", "ethertype": "IPv4",
                                     "protocol": "tcp", "port_range_min": 8000, "port_range_max": 8080,
                                     "remote_ip_prefix": "10.0.0.0/8"]],
            ["security_group_rule": ["security_group_id": "sg-1", "direction": "egress", "ethertype": "IPv4",
                                     "protocol": "icmp"]],
            ["security_group_rule": ["security_group_id": "sg-1", "direction": "ingress", "ethertype": "IPv6",
                                     "remote_ip_prefix": "::/0"]],
        ] as [NSDictionary?])
        XCTAssertEqual(ranged.message, "Added an ingress rule to security group web: tcp ports 8000-8080 from 10.0.0.0/8 "
            + "(id rule-9).")
        XCTAssertEqual(ranged.requestIDs, ["req-r"])
        XCTAssertEqual(icmp.message, "Added an egress rule to security group web: icmp (id rule-9).")
        XCTAssertEqual(anyV6.message, "Added an ingress rule to security group web: any from ::/0 (id rule-9).")
    }

    /// As in Neutron (and on libvirt): a rule without --protocol matches any protocol, so no protocol is sent.
    func testRuleWithoutProtocolMeansAnyProtocol() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.0/security-group-rules", status: 201, json: ["security_group_rule": ["id": "rule-9"]])
        let backend = BackendFixture.backend(transport)
        let outcome = try await backend.perform(ActionRequest(action: .create, kind: .securityGroupRule, targets: ["web"],
                                                              text: [.remoteIP: "10.0.0.0/8"]))
        let bodies = await transport.requests(.post, "/v2.0/security-group-rules").map { CreateFixture.json($0.body) }
        XCTAssertEqual(bodies, [["security_group_rule": ["security_group_id": "sg-1", "direction": "ingress",
                                                         "ethertype": "IPv4", "remote_ip_prefix": "10.0.0.0/8"]]] as [NSDictionary?])
        XCTAssertEqual(outcome.message, "Added an ingress rule to security group web: any from 10.0.0.0/8 (id rule-9).")
    }

    func testBadRuleOptionsAreRefusedBeforeNeutronIsAsked() async throws {
        let transport = await CreateFixture.transport()
        let backend = BackendFixture.backend(transport)
        func rule(_ text: [OptionKey: String]) throws -> ActionRequest {
            try ActionRequest(action: .create, kind: .securityGroupRule, targets: [], text: text)
        }
        let noGroup = await CreateFixture.error(backend, try rule([.port: "22"]))
        XCTAssertEqual(noGroup?.option, .group)
        let badPort = await CreateFixture.refusal(backend, try rule([.group: "web", .ipProtocol: "tcp", .port: "9000-80"]))
        XCTAssertEqual(badPort, "--port wants a port such as 22 or a range such as 8000-8080, within 1-65535, not \"9000-80\".")
        // No --protocol means any protocol, as in Neutron, and any protocol has no ports.
        let anyPort = await CreateFixture.error(backend, try rule([.group: "web", .port: "22"]))
        XCTAssertEqual(anyPort, .invalidOption(.port, reason: "--port needs --protocol tcp or udp: without --protocol a rule "
            + "matches any protocol, which has no ports."))
        let icmpPort = await CreateFixture.error(backend, try rule([.group: "web", .ipProtocol: "icmp", .port: "22"]))
        XCTAssertEqual(icmpPort, .invalidOption(.port, reason: "--port applies to tcp and udp only; drop it for icmp."))
        let badProto = await CreateFixture.refusal(backend, try rule([.group: "web", .ipProtocol: "sctp"]))
        XCTAssertEqual(badProto, "--protocol wants tcp, udp, icmp or any, not \"sctp\".")
        let badCIDR = await CreateFixture.refusal(backend, try rule([.group: "web", .remoteIP: "10.0.0.300/8"]))
        XCTAssertEqual(badCIDR, "--remote-ip wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.0.0.300/8\".")
        let unknownGroup = await CreateFixture.error(backend, try rule([.group: "nope"]))
        XCTAssertEqual(unknownGroup, .notFound(kind: "secgroup", name: "nope"))
        let posts = await transport.requests(.post, "/v2.0/security-group-rules")
        XCTAssertEqual(posts.count, 0)
    }
}

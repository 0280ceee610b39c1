import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel

final class DecodingNetworkTests: XCTestCase {
    func testNetworksJoinTheirSubnets() throws {
        let subnets = try NeutronDecoder.subnets(try Samples.data("neutron/subnets/subnets-list-response.json")).items
        let privateSubnet = try XCTUnwrap(subnets.first)
        XCTAssertEqual(privateSubnet.name, "private-subnet")
        XCTAssertEqual(privateSubnet.networkID, "db193ab3-96e3-4cb3-8fc5-05f4296d0324")
        XCTAssertEqual(privateSubnet.subnet, Subnet(cidr: "10.0.0.0/24", gateway: "10.0.0.1",
                                                    dhcpStart: "10.0.0.2", dhcpEnd: "10.0.0.254",
                                                    id: "08eae331-0402-425a-923c-34f7cfe39c1b", name: "private-subnet",
                                                    ipVersion: 4, dhcpEnabled: true,
                                                    allocationPools: ["10.0.0.2-10.0.0.254"]))
        XCTAssertTrue(privateSubnet.dhcpEnabled)
        XCTAssertEqual(privateSubnet.allocationPools, [AllocationPool(start: "10.0.0.2", end: "10.0.0.254")])

        let page = try NeutronDecoder.networks(try Samples.data("neutron/networks/networks-list-response.json"),
                                               subnets: subnets)
        XCTAssertEqual(page.items.map(\.name), ["net1", "net2"])
        let net2 = page.items[1]
        XCTAssertEqual(net2.id, "db193ab3-96e3-4cb3-8fc5-05f4296d0324")
        XCTAssertEqual(net2.subnets.map(\.cidr), ["10.0.0.0/24"])
        XCTAssertEqual(page.items[0].subnets.map(\.cidr), ["192.0.0.0/8"])
        XCTAssertTrue(net2.active)
        XCTAssertFalse(net2.shared)
        XCTAssertFalse(net2.external)
        XCTAssertEqual(net2.forwardMode, "internal")
        XCTAssertEqual(net2.project, "26a7980765d0414dbc1fc1f88cdb7e6e")
    }

    func testSharedNetworkShow() throws {
        let subnets = try NeutronDecoder.subnets(try Samples.data("neutron/subnets/subnets-list-response.json")).items
        let network = try NeutronDecoder.network(try Samples.data("neutron/networks/network-show-response.json"),
                                                 subnets: subnets,
                                                 projectNamesByID: ["4fd44f30292945e481c7b8a0c8908869": "demo"])
        XCTAssertEqual(network.name, "private-network")
        XCTAssertTrue(network.shared)
        XCTAssertEqual(network.project, "demo")
        XCTAssertEqual(network.subnets.map(\.cidr), ["192.0.0.0/8"])
        XCTAssertEqual(network.subnets.first?.gateway, "192.0.0.1")
        XCTAssertEqual(network.subnets.first?.allocationPools, ["192.0.0.2-192.255.255.254"])
        XCTAssertEqual(network.subnets.first?.name, "my_subnet")
        let external = #"{"network": {"id": "e", "name": "public", "status": "ACTIVE", "router:external": true}}"#
        let decoded = try NeutronDecoder.network(Data(external.utf8))
        XCTAssertTrue(decoded.external)
        XCTAssertEqual(decoded.forwardMode, "external")
        let provider = #"{"network": {"id": "v", "name": "vlan", "status": "DOWN", "provider:network_type": "vlan"}}"#
        let vlan = try NeutronDecoder.network(Data(provider.utf8))
        XCTAssertEqual(vlan.forwardMode, "vlan")
        XCTAssertFalse(vlan.active)
    }

    func testDisabledDHCPHasNoRangeAndLinksPaginate() throws {
        let json = """
        {"subnets": [{"id": "s", "network_id": "n", "cidr": "10.1.0.0/24", "gateway_ip": null, "enable_dhcp": false,
          "allocation_pools": [{"start": "10.1.0.2", "end": "10.1.0.9"}], "ip_version": 4}],
         "subnets_links": [{"href": "https://neutron.example/v2.0/subnets?marker=s", "rel": "next"}]}
        """
        let page = try NeutronDecoder.subnets(Data(json.utf8))
        XCTAssertEqual(page.items.first?.subnet, Subnet(cidr: "10.1.0.0/24", id: "s", ipVersion: 4, dhcpEnabled: false,
                                                        allocationPools: ["10.1.0.2-10.1.0.9"]))
        XCTAssertNil(page.items.first?.subnet.dhcpStart, "no DHCP range without DHCP; the pool is still listed")
        XCTAssertEqual(page.next, "https://neutron.example/v2.0/subnets?marker=s")
    }

    func testPortsRoutersAndFloatingIPs() throws {
        let ports = try NeutronDecoder.ports(try Samples.data("neutron/ports/ports-list-response.json")).items
        XCTAssertEqual(ports.first?.macAddress, "fa:16:3e:58:42:ed")
        XCTAssertEqual(ports.first?.fixedIPs, ["172.24.4.2"])
        XCTAssertEqual(ports.first?.deviceOwner, "network:router_gateway")
        XCTAssertNil(ports.first?.project, "an empty project id means none")

        let routers = try NeutronDecoder.routers(try Samples.data("neutron/routers/routers-list-response.json")).items
        XCTAssertEqual(routers.map(\.name), ["router2", "router1"])
        XCTAssertEqual(routers.first?.externalIPs, ["172.24.4.3", "2001:db8::c"])
        XCTAssertEqual(routers.first?.externalNetworkID, "ae34051f-aa6c-4c75-abf5-50dc9ac99ef3")

        let ips = try NeutronDecoder.floatingIPs(try Samples.data("neutron/floatingips/floating-ips-list-response.json")).items
        XCTAssertEqual(ips.map(\.address), ["172.24.4.228", "172.24.4.227", "172.24.4.42"])
        XCTAssertEqual(ips[0].fixedAddress, "10.0.0.3")
        XCTAssertEqual(ips[0].portID, "ce705c24-c1ef-408a-bda3-7bbd946164ab")
        XCTAssertNil(ips[1].portID)
        XCTAssertEqual(ips[1].status, "DOWN")
    }

    func testSecurityGroupsWithRules() throws {
        let page = try NeutronDecoder.securityGroups(try Samples.data("neutron/security-groups/security-groups-list-response.json"))
        let group = try XCTUnwrap(page.items.first)
        XCTAssertEqual(group.name, "default")
        XCTAssertEqual(group.project, "e4f50856753b4dc6afee5fa6b9b6c550")
        XCTAssertEqual(group.rules.map(\.direction), [.egress, .egress, .ingress, .ingress])
        XCTAssertEqual(group.rules.map(\.ethertype), ["IPv6", "IPv4", "IPv6", "IPv4"])
        XCTAssertEqual(group.rules[2].remoteGroup, "default", "a remote group in the same list is named")
        XCTAssertNil(group.rules[0].protocol)
        XCTAssertEqual(group.rules[0].portRangeLabel, "any")

        let created = try NeutronDecoder.securityGroupRule(
            try Samples.data("neutron/security-groups/security-group-rule-create-response.json"))
        XCTAssertEqual(created.groupID, "a7734e61-b545-452d-a3cd-0189cbd9747a")
        XCTAssertEqual(created.rule, SecurityGroupRule(id: "2bc0accf-312e-429a-956e-e4407625eb62", direction: .ingress,
                                                       ethertype: "IPv4", protocol: "tcp", portMin: 80, portMax: 80,
                                                       remoteGroup: "85cc3048-abc3-43cc-89b3-377341426ac5"))
        let rules = try NeutronDecoder.securityGroupRules(
            try Samples.data("neutron/security-groups/security-group-rules-list-response.json"),
            groupNamesByID: ["85cc3048-abc3-43cc-89b3-377341426ac5": "default"])
        XCTAssertEqual(rules.items.count, 4)
        XCTAssertEqual(rules.items[3].rule.remoteGroup, "default")
    }

    func testUnknownRuleDirectionFailsWithItsKey() {
        let json = #"{"security_group_rules": [{"id": "r", "direction": "sideways", "security_group_id": "g"}]}"#
        do {
            _ = try NeutronDecoder.securityGroupRules(Data(json.utf8))
            XCTFail("expected a failure")
        } catch {
            XCTAssertEqual(error.service, "Neutron")
            XCTAssertEqual(error.path, "/v2.0/security-group-rules")
            XCTAssertEqual(error.key, "security_group_rules[0].direction")
            XCTAssertTrue(error.reason.contains("sideways"))
        }
    }

    func testNeutronQuotas() throws {
        let details = try NeutronDecoder.quotas(
            try Samples.data("neutron/quota_details/quota-details-show-for-project-response.json"), project: "p")
        XCTAssertEqual(details.usages, [QuotaUsage(resource: .networks, used: 9, limit: 100),
                                        QuotaUsage(resource: .securityGroups, used: 3, limit: 10),
                                        QuotaUsage(resource: .securityGroupRules, used: 10, limit: 100),
                                        QuotaUsage(resource: .subnets, used: 3, limit: 100),
                                        QuotaUsage(resource: .ports, used: 21, limit: 500),
                                        QuotaUsage(resource: .rbacPolicies, used: 4, limit: 10),
                                        QuotaUsage(resource: .subnetPools, used: 2, limit: -1)])
        let plain = try NeutronDecoder.quotas(try Samples.data("neutron/quotas/quotas-list-for-project-response.json"),
                                              project: "p")
        XCTAssertEqual(plain[.networks], QuotaUsage(resource: .networks, used: 0, limit: 10))
    }

    func testKeystoneProjects() throws {
        let page = try KeystoneDecoder.projects(try Samples.data("keystone/admin/projects-list-response.json"))
        XCTAssertEqual(page.items.count, 8)
        XCTAssertEqual(page.items.first, Project(id: "0c4e939acacf4376bdcd1129f1a054ad", name: "admin"))
        XCTAssertEqual(page.items.map(\.name).last, "alt_demo")
        XCTAssertNil(page.next, "links.next is null in the sample")
        let scopes = try KeystoneDecoder.projects(try Samples.data("keystone/admin/get-available-project-scopes-response.json"))
        XCTAssertEqual(scopes.items.map(\.name), ["Test Group", "Build Group"])
        let next = #"{"projects": [], "links": {"next": "https://k.example/v3/projects?marker=x", "self": "s"}}"#
        XCTAssertEqual(try KeystoneDecoder.projects(Data(next.utf8)).next, "https://k.example/v3/projects?marker=x")
    }
}

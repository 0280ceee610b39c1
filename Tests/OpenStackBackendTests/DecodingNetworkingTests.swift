import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel

/// Floating IPs, routers and ports from the upstream samples, and the snapshot that names their ids.
final class DecodingNetworkingTests: XCTestCase {
    func testFloatingIPSamplesKeepRouterAndServer() throws {
        let ips = try NeutronDecoder.floatingIPs(try Samples.data("neutron/floatingips/floating-ips-list-response.json")).items
        XCTAssertEqual(ips.count, 3)
        XCTAssertEqual(ips[0].routerID, "d23abc8d-2991-4a55-ba98-2aaea84cc72f")
        XCTAssertEqual(ips[0].deviceID, "8e3941b4-a6e9-499f-a1ac-2a4662025cba", "port_details names the server")
        XCTAssertEqual(ips[0].networkID, "376da547-b977-4cfe-9cba-275c80debf57")
        XCTAssertEqual(ips[0].project, "4969c491a3c74ee4af974e6d800c62de")
        XCTAssertNil(ips[1].routerID)
        XCTAssertNil(ips[1].deviceID, "port_details is null when unassociated")
        XCTAssertNil(ips[2].deviceID, "no port_details key at all")

        let created = try NeutronDecoder.floatingIP(try Samples.data("neutron/floatingips/floatingip-create-response.json"))
        XCTAssertEqual(created, NeutronFloatingIP(
            id: "2f245a7b-796b-4f26-9cf9-9e82d248fda7", address: "172.24.4.228", fixedAddress: "10.0.0.3",
            portID: "ce705c24-c1ef-408a-bda3-7bbd946164ab", networkID: "376da547-b977-4cfe-9cba-275c80debf57",
            status: "ACTIVE", project: "4969c491a3c74ee4af974e6d800c62de", routerID: "d23abc8d-2991-4a55-ba98-2aaea84cc72f",
            deviceID: "8e3941b4-a6e9-499f-a1ac-2a4662025cba"))
    }

    func testPortSamplesKeepTheSubnetOfEachAddress() throws {
        let ports = try NeutronDecoder.ports(try Samples.data("neutron/ports/ports-list-response.json")).items
        XCTAssertEqual(ports.map(\.deviceOwner), ["network:router_gateway", "network:router_interface"])
        XCTAssertEqual(ports[1].fixedIPs, ["10.0.0.1"])
        XCTAssertEqual(ports[1].subnetIDs, ["288bf4a1-51ba-43b6-9d0a-520e9005db17"])
        XCTAssertEqual(ports[1].deviceID, "9ae135f4-b6e0-4dad-9e91-3c223e385824")

        let routers = try NeutronDecoder.routers(try Samples.data("neutron/routers/routers-list-response.json")).items
        XCTAssertEqual(routers.map(\.adminStateUp), [true, true])
        XCTAssertEqual(routers.map(\.status), ["ACTIVE", "ACTIVE"])
        XCTAssertEqual(routers[1].externalIPs, ["172.24.4.6", "2001:db8::9"])
    }

    /// The model side: a port knows what kind of device it plugs in.
    func testPortOwnerKinds() {
        let nova = Port(id: "p", name: "", network: "n", macAddress: "m", deviceOwner: "compute:nova", status: "ACTIVE")
        XCTAssertTrue(nova.isServerPort)
        XCTAssertFalse(nova.isRouterInterface)
        for owner in ["network:router_interface", "network:router_interface_distributed", "network:ha_router_replicated_interface"] {
            XCTAssertTrue(Port(id: "p", name: "", network: "n", macAddress: "m", deviceOwner: owner, status: "ACTIVE").isRouterInterface)
        }
        XCTAssertFalse(Port(id: "p", name: "", network: "n", macAddress: "m", deviceOwner: "network:router_gateway",
                            status: "ACTIVE").isRouterInterface, "the gateway leg is not an interface")
    }

    /// A snapshot cached before floating IPs, routers, ports (and hypervisors) existed still loads.
    func testAnOlderCachedSnapshotStillDecodes() throws {
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(CloudSnapshot(
            networks: [Network(id: "n", name: "private")], takenAt: Date(timeIntervalSince1970: 1_000)))) as! [String: Any]
        for key in ["floatingIPs", "routers", "ports", "hypervisors"] {
            XCTAssertNotNil(old.removeValue(forKey: key), "\(key) is encoded")
        }
        let decoded = try JSONDecoder().decode(CloudSnapshot.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertEqual(decoded.networks.map(\.name), ["private"])
        XCTAssertEqual(decoded.floatingIPs, [])
        XCTAssertEqual(decoded.routers, [])
        XCTAssertEqual(decoded.hypervisors, [])
        XCTAssertEqual(decoded.takenAt, Date(timeIntervalSince1970: 1_000))

        let full = CloudSnapshot(floatingIPs: [FloatingIP(id: "f", address: "1.2.3.4", status: "DOWN", network: "public")],
                                 routers: [Router(id: "r", name: "gw", status: "ACTIVE", interfaces: [
                                     RouterInterface(subnet: "s", cidr: "10.0.0.0/24", address: "10.0.0.1", portID: "p")])],
                                 ports: [Port(id: "p", name: "", network: "private", macAddress: "fa:16", status: "ACTIVE")],
                                 takenAt: Date(timeIntervalSince1970: 2_000))
        XCTAssertEqual(try JSONDecoder().decode(CloudSnapshot.self, from: JSONEncoder().encode(full)), full)
    }
}

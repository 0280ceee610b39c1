import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// Floating IPs, routers and ports in the snapshot: read to the last page beside everything else,
/// then named (networks, servers, routers, subnets) so the tables never show bare ids.
final class BackendNetworkingSnapshotTests: XCTestCase {
    static let neutron = "http://neutron.test/v2.0"

    static func networkingTransport() async -> RoutedTransport {
        let transport = await BackendFixture.transport()
        let pid = BackendFixture.projectID
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("srv-1", "web")]])
        await transport.on(.get, "/v2.0/subnets", json: ["subnets": [
            ["id": "sn-priv", "name": "private-subnet", "network_id": "net-priv", "cidr": "10.0.0.0/24", "ip_version": 4],
            ["id": "sn-db", "name": "", "network_id": "net-priv", "cidr": "10.0.1.0/24", "ip_version": 4]]])
        await transport.on(.get, "/v2.0/networks", json: ["networks": [
            ["id": "net-priv", "name": "private", "status": "ACTIVE", "subnets": ["sn-priv", "sn-db"], "project_id": pid],
            ["id": "net-pub", "name": "public", "status": "ACTIVE", "router:external": true, "subnets": [] as [Any]]]])
        // Two pages of floating IPs (limit 1 each), then an empty one.
        await transport.on(.get, "/v2.0/floatingips", query: "marker=fip-1", json: [
            "floatingips": [["id": "fip-2", "floating_ip_address": "172.24.4.20", "floating_network_id": "net-pub",
                             "status": "DOWN", "port_id": NSNull(), "fixed_ip_address": NSNull(), "project_id": pid]],
            "floatingips_links": BackendFixture.next(neutron + "/floatingips?limit=1&marker=fip-2")])
        await transport.on(.get, "/v2.0/floatingips", query: "marker=fip-2", json: ["floatingips": [] as [Any]])
        await transport.on(.get, "/v2.0/floatingips", json: [
            "floatingips": [["id": "fip-1", "floating_ip_address": "172.24.4.10", "floating_network_id": "net-pub",
                             "status": "ACTIVE", "port_id": "port-web", "fixed_ip_address": "10.0.0.5",
                             "router_id": "rt-1", "project_id": pid]],
            "floatingips_links": BackendFixture.next(neutron + "/floatingips?limit=1&marker=fip-1")])
        await transport.on(.get, "/v2.0/routers", query: "marker=rt-1", json: ["routers": [] as [Any]])
        await transport.on(.get, "/v2.0/routers", json: [
            "routers": [["id": "rt-1", "name": "edge", "status": "ACTIVE", "admin_state_up": true, "project_id": pid,
                         "external_gateway_info": ["network_id": "net-pub",
                                                   "external_fixed_ips": [["ip_address": "172.24.4.2", "subnet_id": "x"]]]]],
            "routers_links": BackendFixture.next(neutron + "/routers?limit=1&marker=rt-1")])
        await transport.on(.get, "/v2.0/ports", query: "marker=port-web", json: [
            "ports": [["id": "port-rt", "name": "", "network_id": "net-priv", "mac_address": "fa:16:3e:00:00:01",
                       "fixed_ips": [["ip_address": "10.0.0.1", "subnet_id": "sn-priv"],
                                     ["ip_address": "10.0.1.1", "subnet_id": "sn-db"]],
                       "device_id": "rt-1", "device_owner": "network:router_interface", "status": "ACTIVE", "project_id": pid]],
            "ports_links": BackendFixture.next(neutron + "/ports?limit=1&marker=port-rt")])
        await transport.on(.get, "/v2.0/ports", query: "marker=port-rt", json: ["ports": [] as [Any]])
        await transport.on(.get, "/v2.0/ports", json: [
            "ports": [["id": "port-web", "name": "web-eth0", "network_id": "net-priv", "mac_address": "fa:16:3e:00:00:05",
                       "fixed_ips": [["ip_address": "10.0.0.5", "subnet_id": "sn-priv"]], "device_id": "srv-1",
                       "device_owner": "compute:nova", "status": "ACTIVE", "project_id": pid]],
            "ports_links": BackendFixture.next(neutron + "/ports?limit=1&marker=port-web")])
        await transport.on(.get, "/v3/projects", json: ["projects": [["id": pid, "name": "admin"]]])
        return transport
    }

    func testFloatingIPsRoutersAndPortsArePagedAndNamed() async throws {
        let transport = await Self.networkingTransport()
        let options = OpenStackBackendOptions(pageLimit: 1, parts: [.servers, .networks, .projects, .floatingIPs,
                                                                    .routers, .ports])
        let snapshot = try await BackendFixture.backend(transport, options).snapshot()

        XCTAssertEqual(snapshot.floatingIPs, [
            FloatingIP(id: "fip-1", address: "172.24.4.10", status: "ACTIVE", project: "admin", network: "public",
                       fixedAddress: "10.0.0.5", portID: "port-web", server: "web", router: "edge"),
            FloatingIP(id: "fip-2", address: "172.24.4.20", status: "DOWN", project: "admin", network: "public"),
        ])
        XCTAssertEqual(snapshot.routers, [Router(
            id: "rt-1", name: "edge", status: "ACTIVE", project: "admin", externalNetwork: "public",
            externalAddresses: ["172.24.4.2"], interfaces: [
                RouterInterface(subnet: "private-subnet", cidr: "10.0.0.0/24", address: "10.0.0.1", portID: "port-rt"),
                RouterInterface(subnet: "10.0.1.0/24", cidr: "10.0.1.0/24", address: "10.0.1.1", portID: "port-rt"),
            ])])
        XCTAssertEqual(snapshot.ports.map(\.device), ["web", "edge"])
        XCTAssertEqual(snapshot.ports.map(\.network), ["private", "private"])
        XCTAssertEqual(snapshot.ports.first?.project, "admin")
        for (path, pages) in [("/v2.0/floatingips", 3), ("/v2.0/routers", 2), ("/v2.0/ports", 3)] {
            let reads = await transport.requests(.get, path)
            XCTAssertEqual(reads.count, pages, path)
            XCTAssertEqual(reads.first?.url.query, "limit=1", path)
        }
    }

    /// `stacktop floating-ip list` reads only what its table needs, and a cloud without the router
    /// extension (404) shows no floating IPs' routers rather than failing.
    func testEachListReadsWhatItsTableNeeds() async throws {
        XCTAssertEqual(SnapshotParts.needed(for: .floatingIP), [.floatingIPs, .ports, .servers, .routers, .networks, .projects])
        XCTAssertEqual(SnapshotParts.needed(for: .router), [.routers, .ports, .networks, .projects])
        XCTAssertTrue(SnapshotParts.needed(for: .port).isSuperset(of: [.ports, .servers, .routers, .networks]))
        XCTAssertEqual(SnapshotParts.needed(for: .hypervisor), [.hypervisors])

        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2.0/floatingips", status: 404,
                           json: ["NeutronError": ["type": "HTTPNotFound", "message": "The resource could not be found."]])
        await transport.on(.get, "/v2.0/ports", json: ["ports": [] as [Any]])
        let snapshot = try await BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.floatingIPs, .ports]))
            .snapshot()
        XCTAssertEqual(snapshot.floatingIPs, [])
        let servers = await transport.requests(.get, "/servers/detail")
        XCTAssertEqual(servers.count, 0, "parts not asked for are not read")
    }
}

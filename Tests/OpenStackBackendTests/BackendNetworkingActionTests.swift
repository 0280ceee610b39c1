import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// Floating IPs, routers, subnets and ports: each action's method, path, body, message and the request
/// ids that go to the audit log.
final class BackendNetworkingActionTests: XCTestCase {
    /// Names every test resolves: an external network "public", a server "web", a floating IP,
    /// a router "edge", a subnet "private-subnet", a network "private" and a port "spare".
    static func transport() async -> RoutedTransport {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2.0/networks", query: "router:external=true", json: ["networks": [
            ["id": "net-pub", "name": "public", "status": "ACTIVE", "router:external": true],
            ["id": "net-ext2", "name": "provider", "status": "ACTIVE", "router:external": true]]])
        await transport.on(.get, "/v2.0/networks", query: "name=private",
                           json: ["networks": [["id": "net-priv", "name": "private", "status": "ACTIVE"]]])
        await transport.on(.get, "/v2.0/floatingips", query: "floating_ip_address=172.24.4.10", json: ["floatingips": [
            ["id": "fip-1", "floating_ip_address": "172.24.4.10", "floating_network_id": "net-pub", "status": "DOWN"]]])
        await transport.on(.get, "/v2.0/floatingips", json: ["floatingips": [] as [Any]])
        await transport.on(.get, "/v2.1/servers", query: "name=^web$", json: ["servers": [["id": "srv-1", "name": "web"]]])
        await transport.on(.get, "/v2.1/servers", query: "name=^db$", json: ["servers": [["id": "srv-2", "name": "db"]]])
        await transport.on(.get, "/v2.0/ports", query: "device_id=srv-1", json: ["ports": [
            port("port-web", ips: ["10.0.0.5"], device: "srv-1")]])
        await transport.on(.get, "/v2.0/ports", query: "device_id=srv-2", json: ["ports": [
            port("port-db1", ips: ["10.0.0.7"], device: "srv-2"), port("port-db2", ips: ["10.0.1.7"], device: "srv-2")]])
        await transport.on(.get, "/v2.0/ports", query: "name=spare", json: ["ports": [["id": "port-spare", "name": "spare"]]])
        await transport.on(.get, "/v2.0/routers", query: "name=edge", json: ["routers": [["id": "rt-1", "name": "edge"]]])
        await transport.on(.get, "/v2.0/subnets", query: "name=private-subnet",
                           json: ["subnets": [["id": "sn-1", "name": "private-subnet"]]])
        return transport
    }

    static func port(_ id: String, ips: [String], device: String) -> [String: Any] {
        ["id": id, "name": "", "network_id": "net-priv", "mac_address": "fa:16:3e:00:00:01", "status": "ACTIVE",
         "device_id": device, "device_owner": "compute:nova", "fixed_ips": ips.map { ["ip_address": $0, "subnet_id": "sn-1"] }]
    }

    private func perform(_ transport: RoutedTransport, _ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                         _ text: [OptionKey: String] = [:]) async throws -> ActionOutcome {
        try await BackendFixture.backend(transport).perform(ActionRequest(action: action, kind: kind, targets: targets,
                                                                          text: text))
    }

    private func refusal(_ transport: RoutedTransport, _ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                         _ text: [OptionKey: String] = [:]) async -> String {
        await CreateFixture.refusal(BackendFixture.backend(transport), try ActionRequest(action: action, kind: kind,
                                                                                      targets: targets, text: text))
    }

    private func error(_ transport: RoutedTransport, _ action: ActionKind, _ kind: ResourceKind, _ targets: [String],
                       _ text: [OptionKey: String] = [:], file: StaticString = #filePath, line: UInt = #line) async -> BackendError? {
        await CreateFixture.error(BackendFixture.backend(transport), try ActionRequest(action: action, kind: kind, targets: targets,
                                                                                    text: text), file: file, line: line)
    }

    // MARK: Floating IPs

    func testFloatingIPCreateAllocatesFromTheNamedExternalNetwork() async throws {
        let transport = await Self.transport()
        await transport.on(.post, "/v2.0/floatingips", status: 201, headers: ["x-openstack-request-id": "req-fip"],
                           json: ["floatingip": ["id": "fip-9", "floating_ip_address": "172.24.4.99",
                                                 "floating_network_id": "net-pub", "status": "DOWN"]])
        let outcome = try await perform(transport, .create, .floatingIP, [], [.network: "public"])

        let posts = await transport.requests(.post, "/v2.0/floatingips")
        XCTAssertEqual(posts.count, 1)
        XCTAssertEqual(posts.first?.url.path, "/v2.0/floatingips")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["floatingip": ["floating_network_id": "net-pub"]] as NSDictionary)
        let sample = try XCTUnwrap(CreateFixture.json(try Samples.data("neutron/floatingips/floatingip-create-request.json")))
        XCTAssertNotNil((sample["floatingip"] as? NSDictionary)?["floating_network_id"], "the upstream request names the key we send")
        XCTAssertEqual(outcome.message, "Allocated floating IP 172.24.4.99 from public (id fip-9).")
        XCTAssertEqual(outcome.requestIDs, ["req-fip"])

        let ambiguous = await error(transport, .create, .floatingIP, [])
        XCTAssertEqual(ambiguous, .invalidOption(.network, reason: "Name the external network with --network: this cloud has 2 "
            + "(public, provider)."))
        let notExternal = await error(transport, .create, .floatingIP, ["private"])
        XCTAssertEqual(notExternal, .invalidOption(.network, reason: "\"private\" is not an external network; use one of: "
            + "public, provider."))
        let after = await transport.requests(.post, "/v2.0/floatingips")
        XCTAssertEqual(after.count, 1, "refusals post nothing")
    }

    func testAssociateMapsTheAddressOntoTheServersPort() async throws {
        let transport = await Self.transport()
        await transport.on(.put, "/v2.0/floatingips/fip-1", headers: ["x-openstack-request-id": "req-assoc"],
                           json: ["floatingip": ["id": "fip-1"]])
        let outcome = try await perform(transport, .associate, .floatingIP, ["172.24.4.10"], [.server: "web"])

        let puts = await transport.requests(.put, "/v2.0/floatingips/fip-1")
        XCTAssertEqual(CreateFixture.json(puts.first?.body), ["floatingip": ["port_id": "port-web"]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Associated floating IP 172.24.4.10 with server web.")
        XCTAssertEqual(outcome.requestIDs, ["req-assoc"])
        let portLookups = await transport.requests(.get, "/v2.0/ports")
        XCTAssertEqual(portLookups.first?.url.query, "device_id=srv-1")

        // The same shape as the upstream API reference's associate request.
        let upstream = try XCTUnwrap(CreateFixture.json(try Samples.data("neutron/floatingips/floatingip-update-request.json")))
        XCTAssertEqual((upstream["floatingip"] as? NSDictionary)?.allKeys as? [String], ["port_id"])
        XCTAssertEqual(Set((CreateFixture.json(puts.first?.body)?["floatingip"] as? NSDictionary)?.allKeys as? [String] ?? []),
                       ["port_id"])

        let noServer = await error(transport, .associate, .floatingIP, ["172.24.4.10"])
        XCTAssertEqual(noServer, .invalidOption(.server, reason: "Name the server to associate 172.24.4.10 with: add --server "
            + "NAME, as in `stacktop floating-ip associate 172.24.4.10 --server web-01`."))
        let twoPorts = await error(transport, .associate, .floatingIP, ["172.24.4.10"], [.server: "db"])
        XCTAssertEqual(twoPorts, .invalidOption(.fixedIP, reason: "Server db has 2 ports; choose the address to map with "
            + "--fixed-ip (one of 10.0.0.7, 10.0.1.7)."))
        let unknown = await error(transport, .associate, .floatingIP, ["172.24.4.11"], [.server: "web"])
        XCTAssertEqual(unknown, .notFound(kind: "floating-ip", name: "172.24.4.11"))

        _ = try await perform(transport, .associate, .floatingIP, ["172.24.4.10"], [.server: "db", .fixedIP: "10.0.1.7"])
        let second = await transport.requests(.put, "/v2.0/floatingips/fip-1")
        XCTAssertEqual(second.count, 2)
        XCTAssertEqual(CreateFixture.json(second.last?.body),
                       ["floatingip": ["port_id": "port-db2", "fixed_ip_address": "10.0.1.7"]] as NSDictionary)
    }

    func testDisassociateClearsThePortAndDeleteReleases() async throws {
        let transport = await Self.transport()
        await transport.on(.put, "/v2.0/floatingips/fip-1", headers: ["x-openstack-request-id": "req-dis"],
                           json: ["floatingip": ["id": "fip-1"]])
        await transport.on(.delete, "/v2.0/floatingips/fip-1", status: 204, headers: ["x-openstack-request-id": "req-rel"])

        let cleared = try await perform(transport, .disassociate, .floatingIP, ["172.24.4.10"])
        let puts = await transport.requests(.put, "/v2.0/floatingips/fip-1")
        XCTAssertEqual(CreateFixture.json(puts.first?.body), ["floatingip": ["port_id": NSNull()]] as NSDictionary)
        XCTAssertEqual(cleared.message, "Disassociated floating IP 172.24.4.10; it stays allocated to the project.")
        XCTAssertEqual(cleared.requestIDs, ["req-dis"])

        let released = try await perform(transport, .delete, .floatingIP, ["172.24.4.10"])
        let deletes = await transport.requests(.delete, "/v2.0/floatingips/fip-1")
        XCTAssertEqual(deletes.count, 1)
        XCTAssertNil(deletes.first?.body)
        XCTAssertEqual(released.message, "Released floating IP 172.24.4.10 back to the pool.")
        XCTAssertEqual(released.requestIDs, ["req-rel"])
    }

    // MARK: Routers

    func testRouterCreateWithAGatewayAndSubnetInterfaces() async throws {
        let transport = await Self.transport()
        await transport.on(.post, "/v2.0/routers", status: 201, headers: ["x-openstack-request-id": "req-rt"],
                           json: ["router": ["id": "rt-9", "name": "edge2"]])
        await transport.on(.put, "/v2.0/routers/rt-1/add_router_interface", headers: ["x-openstack-request-id": "req-add"],
                           json: ["id": "rt-1", "subnet_id": "sn-1", "port_id": "p-9"])
        await transport.on(.put, "/v2.0/routers/rt-1/remove_router_interface", headers: ["x-openstack-request-id": "req-rm"],
                           json: ["id": "rt-1", "subnet_id": "sn-1"])

        let created = try await perform(transport, .create, .router, ["edge2"], [.externalNetwork: "public"])
        let posts = await transport.requests(.post, "/v2.0/routers")
        XCTAssertEqual(CreateFixture.json(posts.first?.body),
                       ["router": ["name": "edge2", "external_gateway_info": ["network_id": "net-pub"]]] as NSDictionary)
        XCTAssertEqual(created.message, "Created router edge2 (id rt-9) with its gateway on public.")
        XCTAssertEqual(created.requestIDs, ["req-rt"])

        let added = try await perform(transport, .attachInterface, .router, ["edge"], [.subnet: "private-subnet"])
        let adds = await transport.requests(.put, "/v2.0/routers/rt-1/add_router_interface")
        XCTAssertEqual(CreateFixture.json(adds.first?.body), ["subnet_id": "sn-1"] as NSDictionary)
        XCTAssertEqual(added.message, "Attached subnet private-subnet to router edge.")
        XCTAssertEqual(added.requestIDs, ["req-add"])

        let removed = try await perform(transport, .detachInterface, .router, ["edge"], [.subnet: "private-subnet"])
        let removes = await transport.requests(.put, "/v2.0/routers/rt-1/remove_router_interface")
        XCTAssertEqual(CreateFixture.json(removes.first?.body), ["subnet_id": "sn-1"] as NSDictionary)
        XCTAssertEqual(removed.message, "Detached subnet private-subnet from router edge.")
        XCTAssertEqual(removed.requestIDs, ["req-rm"])

        let noSubnet = await error(transport, .attachInterface, .router, ["edge"])
        XCTAssertEqual(noSubnet, .invalidOption(.subnet, reason: "Name the subnet to attach: add --subnet SUBNET, as in "
            + "`stacktop router attach-interface ROUTER --subnet SUBNET`."))
    }

    func testRouterGatewayUpdateAndADeleteRefusedWhileInUse() async throws {
        let transport = await Self.transport()
        await transport.on(.put, "/v2.0/routers/rt-1", headers: ["x-openstack-request-id": "req-gw"], json: ["router": ["id": "rt-1"]])
        await transport.on(.delete, "/v2.0/routers/rt-1", status: 409, headers: ["x-openstack-request-id": "req-del"], json: [
            "NeutronError": ["type": "RouterInUse", "message": "Router rt-1 still has ports", "detail": ""]])

        let cleared = try await perform(transport, .update, .router, ["edge"], [.externalNetwork: "none"])
        let puts = await transport.requests(.put, "/v2.0/routers/rt-1")
        XCTAssertEqual(CreateFixture.json(puts.first?.body), ["router": ["external_gateway_info": [String: Any]()]] as NSDictionary)
        XCTAssertEqual(cleared.message, "Cleared the gateway of router edge.")
        XCTAssertEqual(cleared.requestIDs, ["req-gw"])

        do {
            _ = try await perform(transport, .delete, .router, ["edge"])
            XCTFail("a router with ports cannot be deleted")
        } catch let error as BackendError {
            XCTAssertEqual(error.message, "Delete router edge failed (HTTP 409): Router rt-1 still has ports; the resource is "
                + "busy or in the wrong state, wait for its current task to finish and try again. Request id req-del.")
            XCTAssertEqual(error.requestIDs, ["req-del"])
        }
    }

    // MARK: Subnets and ports

    func testSubnetAndPortCreateAndDelete() async throws {
        let transport = await Self.transport()
        await transport.on(.post, "/v2.0/subnets", status: 201, headers: ["x-openstack-request-id": "req-sn"],
                           json: ["subnet": ["id": "sn-9"]])
        await transport.on(.delete, "/v2.0/subnets/sn-1", status: 204, headers: ["x-openstack-request-id": "req-sn-del"])
        await transport.on(.post, "/v2.0/ports", status: 201, headers: ["x-openstack-request-id": "req-port"], json: [
            "port": ["id": "port-9", "mac_address": "fa:16:3e:aa:bb:cc", "fixed_ips": [["ip_address": "10.0.0.50"]]]])
        await transport.on(.delete, "/v2.0/ports/port-spare", status: 204, headers: ["x-openstack-request-id": "req-port-del"])

        let subnet = try await perform(transport, .create, .subnet, ["db-subnet"],
                                       [.network: "private", .cidr: "10.0.1.0/24", .gateway: "10.0.1.1"])
        let subnets = await transport.requests(.post, "/v2.0/subnets")
        XCTAssertEqual(CreateFixture.json(subnets.first?.body), ["subnet": [
            "name": "db-subnet", "network_id": "net-priv", "cidr": "10.0.1.0/24", "ip_version": 4, "gateway_ip": "10.0.1.1",
            "enable_dhcp": false]] as NSDictionary)
        XCTAssertEqual(subnet.message, "Created subnet db-subnet (10.0.1.0/24) on network private, id sn-9.")
        XCTAssertEqual(subnet.requestIDs, ["req-sn"])
        let badCIDR = await refusal(transport, .create, .subnet, ["x"], [.network: "private", .cidr: "10.0.1.0"])
        XCTAssertEqual(badCIDR, "--cidr wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.0.1.0\".")

        let deleted = try await perform(transport, .delete, .subnet, ["private-subnet"])
        XCTAssertEqual(deleted.message, "Deleted subnet private-subnet.")
        XCTAssertEqual(deleted.requestIDs, ["req-sn-del"])

        let port = try await perform(transport, .create, .port, ["vip"], [.network: "private", .fixedIP: "10.0.0.50"])
        let ports = await transport.requests(.post, "/v2.0/ports")
        XCTAssertEqual(CreateFixture.json(ports.first?.body), ["port": [
            "name": "vip", "network_id": "net-priv", "fixed_ips": [["ip_address": "10.0.0.50"]]]] as NSDictionary)
        XCTAssertEqual(port.message, "Created port vip on network private at 10.0.0.50 (MAC fa:16:3e:aa:bb:cc).")
        XCTAssertEqual(port.requestIDs, ["req-port"])

        let gone = try await perform(transport, .delete, .port, ["spare"])
        let portDeletes = await transport.requests(.delete, "/v2.0/ports/port-spare")
        XCTAssertEqual(portDeletes.count, 1)
        XCTAssertEqual(gone.requestIDs, ["req-port-del"])
    }

    func testCapabilitiesOfferTheNetworkingActions() {
        let capabilities = BackendFixture.backend(RoutedTransport()).capabilities
        XCTAssertEqual(capabilities.actions(for: .floatingIP), [.create, .associate, .disassociate, .delete])
        XCTAssertEqual(capabilities.actions(for: .router), [.create, .update, .attachInterface, .detachInterface, .delete])
        XCTAssertEqual(capabilities.actions(for: .subnet), [.create, .delete])
        XCTAssertEqual(capabilities.actions(for: .port), [.create, .delete])
        XCTAssertEqual(capabilities.actions(for: .hypervisor), [])
        XCTAssertEqual(capabilities.refusal(.update, on: .hypervisor)?.message, "Hypervisors are only listed here (Nova shows "
            + "them to admins); enable or disable a compute service with `openstack compute service set`.")
    }
}

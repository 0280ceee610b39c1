import Foundation
import XCTest
@testable import OpenStackBackend

/// The bytes the APIs receive, for the request bodies whose shape is easiest to get wrong with
/// `Encodable`: an explicit null, a field left out when nil, an empty object, a string where a list may be.
final class RequestBodyTests: XCTestCase {
    private func text<Body: Encodable>(_ body: Body) throws -> String {
        String(decoding: try OpenStackCloudBackend.json(body), as: UTF8.self)
    }

    func testServerActionsAreOneKeyWithTheirArgumentOrNull() throws {
        XCTAssertEqual(ServerAction.body(for: .start).map { String(decoding: $0, as: UTF8.self) }, #"{"os-start":null}"#)
        XCTAssertEqual(ServerAction.body(for: .hardReboot).map { String(decoding: $0, as: UTF8.self) },
                       #"{"reboot":{"type":"HARD"}}"#)
        XCTAssertNil(ServerAction.body(for: .rename), "rename is a PUT of the server, not an action")
        XCTAssertEqual(try text(ActionBody("revertResize")), #"{"revertResize":null}"#)
        XCTAssertEqual(try text(ActionBody("os-getVNCConsole", VNCConsole(type: "novnc"))), #"{"os-getVNCConsole":{"type":"novnc"}}"#)
        XCTAssertEqual(try text(ActionBody("os-extend", ExtendVolume(newSize: 5))), #"{"os-extend":{"new_size":5}}"#)
    }

    func testNilFieldsAreLeftOutAndNullIsSaidOnlyWhereItMeansSomething() throws {
        XCTAssertEqual(try text(VolumeCreateRequest(volume: .init(name: "v", size: 2))), #"{"volume":{"name":"v","size":2}}"#)
        XCTAssertEqual(try text(FloatingIPCreateRequest(floatingip: .init(floatingNetworkID: "net-pub", description: "web"))),
                       #"{"floatingip":{"description":"web","floating_network_id":"net-pub"}}"#)
        XCTAssertEqual(try text(FloatingIPCreateRequest(floatingip: .init(floatingNetworkID: "net-pub", description: nil))),
                       #"{"floatingip":{"floating_network_id":"net-pub"}}"#)
        // A port of null is what disassociates; a fixed address is only sent when chosen.
        XCTAssertEqual(try text(FloatingIPUpdateRequest(floatingip: .init(portID: nil))), #"{"floatingip":{"port_id":null}}"#)
        XCTAssertEqual(try text(FloatingIPUpdateRequest(floatingip: .init(portID: "p", fixedIPAddress: "10.0.0.5"))),
                       #"{"floatingip":{"fixed_ip_address":"10.0.0.5","port_id":"p"}}"#)
        // An empty gateway clears it; a named one sets it.
        XCTAssertEqual(try text(RouterRequest(router: .init(externalGatewayInfo: .init(networkID: nil)))),
                       #"{"router":{"external_gateway_info":{}}}"#)
        XCTAssertEqual(try text(RouterRequest(router: .init(externalGatewayInfo: .init(networkID: "net-pub")))),
                       #"{"router":{"external_gateway_info":{"network_id":"net-pub"}}}"#)
        let anyProtocol = SecurityGroupRuleCreateRequest.Rule(securityGroupID: "sg", direction: "ingress", ethertype: "IPv4",
                                                              protocol: nil, portRangeMin: nil, portRangeMax: nil,
                                                              remoteIPPrefix: nil)
        XCTAssertEqual(try text(SecurityGroupRuleCreateRequest(securityGroupRule: anyProtocol)),
                       #"{"security_group_rule":{"direction":"ingress","ethertype":"IPv4","security_group_id":"sg"}}"#,
                       "no protocol means any protocol, as in Neutron")
    }

    func testServerNetworksAreAListOrAuto() throws {
        var server = ServerCreateRequest.Server(name: "t", minCount: 1, maxCount: 1, flavorRef: "f")
        XCTAssertEqual(try text(ServerCreateRequest(server: server)),
                       #"{"server":{"flavorRef":"f","max_count":1,"min_count":1,"name":"t"}}"#)
        server.networks = .auto
        XCTAssertEqual(try text(ServerCreateRequest(server: server)),
                       #"{"server":{"flavorRef":"f","max_count":1,"min_count":1,"name":"t","networks":"auto"}}"#)
        server.networks = .chosen([.init(uuid: "n1")])
        server.blockDeviceMapping = [.init(uuid: "vol")]
        XCTAssertEqual(try text(ServerCreateRequest(server: server)),
                       #"{"server":{"block_device_mapping_v2":[{"boot_index":0,"delete_on_termination":false,"#
                       + #""destination_type":"volume","source_type":"volume","uuid":"vol"}],"flavorRef":"f","max_count":1,"#
                       + #""min_count":1,"name":"t","networks":[{"uuid":"n1"}]}}"#)
    }

    func testASubnetSaysDHCPEitherWayAndPoolsOnlyWithIt() throws {
        let plain = SubnetCreateRequest(subnet: .init(name: "s", networkID: "n", cidr: "fd00::/64", ipVersion: 6, gatewayIP: nil,
                                                      enableDHCP: false, allocationPools: nil))
        XCTAssertEqual(try text(plain),
                       #"{"subnet":{"cidr":"fd00::\/64","enable_dhcp":false,"ip_version":6,"name":"s","network_id":"n"}}"#)
    }
}

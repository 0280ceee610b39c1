import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices

/// Every request body stacktop sends, encoded from a value and compared as a parsed JSON object with the
/// upstream API reference's request sample (vendored in `Samples/`), or, where upstream has none, with the
/// object the `[String: Any]` dictionaries built before the bodies became `Encodable` (the literals below).
///
/// Upstream samples show more fields than stacktop sends, and stacktop says a few the sample leaves out, so
/// each comparison names both lists by path ("server.metadata"); everything else must be equal, so a key
/// spelled differently from the API reference, a nil sent as null or a lost field fails.
final class RequestSampleTests: XCTestCase {
    // MARK: Helpers

    private func object(_ data: Data, file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        return try XCTUnwrap(parsed as? [String: Any], "not a JSON object: \(String(decoding: data, as: UTF8.self))",
                             file: file, line: line)
    }

    private func encoded<Body: Encodable>(_ body: Body) throws -> [String: Any] {
        try object(OpenStackCloudBackend.json(body))
    }

    /// Removes `path` ("a.b.c") from `object`; fails when it is not there, so a stale list cannot hide a change.
    private func removing(_ path: String, from object: [String: Any], what: String,
                          file: StaticString, line: UInt) -> [String: Any] {
        var copy = object
        let keys = path.split(separator: ".").map(String.init)
        guard let first = keys.first else { return copy }
        if keys.count == 1 {
            if copy.removeValue(forKey: first) == nil {
                XCTFail("\(what) has no \(path) to leave out", file: file, line: line)
            }
            return copy
        }
        guard let inner = copy[first] as? [String: Any] else {
            XCTFail("\(what) has no object at \(first) (looking for \(path))", file: file, line: line)
            return copy
        }
        copy[first] = removing(keys.dropFirst().joined(separator: "."), from: inner, what: what, file: file, line: line)
        return copy
    }

    /// The encoded body equals the sample once the sample's fields stacktop does not send (`notSent`) and
    /// stacktop's fields the sample does not show (`notInSample`) are set aside.
    private func assertMatchesSample<Body: Encodable>(_ body: Body, _ sample: String, notSent: [String] = [],
                                                      notInSample: [String] = [],
                                                      file: StaticString = #filePath, line: UInt = #line) throws {
        var expected = try object(Samples.data(sample), file: file, line: line)
        for path in notSent { expected = removing(path, from: expected, what: sample, file: file, line: line) }
        var actual = try encoded(body)
        for path in notInSample { actual = removing(path, from: actual, what: "the encoded body", file: file, line: line) }
        XCTAssertEqual(NSDictionary(dictionary: actual), NSDictionary(dictionary: expected),
                       "\(Body.self) differs from \(sample)", file: file, line: line)
    }

    /// The encoded body equals the object the former dictionary code built.
    private func assertEncodes<Body: Encodable>(_ body: Body, as expected: [String: Any],
                                                file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(NSDictionary(dictionary: try encoded(body)), NSDictionary(dictionary: expected),
                       "\(Body.self) differs from the dictionary it replaced", file: file, line: line)
    }

    // MARK: Nova

    func testServerCreateMatchesNovasSample() throws {
        // server-create-req.json boots from an image with a security group and user data.
        var server = ServerCreateRequest.Server(name: "new-server-test", minCount: 1, maxCount: 1, flavorRef: "1")
        server.imageRef = "70a599e0-31e7-49b7-b260-868f441e862b"
        server.securityGroups = [.init(name: "default")]
        server.userData = "IyEvYmluL2Jhc2gKL2Jpbi9zdQplY2hvICJJIGFtIGluIHlvdSEiCg=="
        let unsent = ["server.accessIPv4", "server.accessIPv6", "server.availability_zone", "server.OS-DCF:diskConfig",
                      "server.metadata", "OS-SCH-HNT:scheduler_hints"]
        try assertMatchesSample(ServerCreateRequest(server: server), "nova/servers/server-create-req.json",
                                notSent: unsent + ["server.personality"],
                                notInSample: ["server.min_count", "server.max_count"])
        // v2.100's sample asks for networks "auto", as stacktop does from 2.37 when none are named.
        server.networks = .auto
        try assertMatchesSample(ServerCreateRequest(server: server), "nova/servers/v2.100/server-create-req.json",
                                notSent: unsent + ["server.hostname"], notInSample: ["server.min_count", "server.max_count"])
    }

    func testServerCreateWithNetworksVolumeKeypairAndCountMatchesTheFormerDictionary() throws {
        var server = ServerCreateRequest.Server(name: "web", minCount: 3, maxCount: 3, flavorRef: "f1")
        server.blockDeviceMapping = [.init(uuid: "vol-1")]
        server.networks = .chosen([.init(uuid: "n1"), .init(uuid: "n2")])
        server.keyName = "ops"
        server.returnReservationID = true
        try assertEncodes(ServerCreateRequest(server: server), as: ["server": [
            "name": "web", "min_count": 3, "max_count": 3, "flavorRef": "f1",
            "block_device_mapping_v2": [["boot_index": 0, "uuid": "vol-1", "source_type": "volume",
                                         "destination_type": "volume", "delete_on_termination": false]],
            "networks": [["uuid": "n1"], ["uuid": "n2"]], "key_name": "ops", "return_reservation_id": true,
        ] as [String: Any]])
    }

    func testServerActionsMatchNovasSamples() throws {
        let reboot = try XCTUnwrap(ServerAction.body(for: .hardReboot))
        XCTAssertEqual(NSDictionary(dictionary: try object(reboot)),
                       NSDictionary(dictionary: try object(Samples.data("nova/servers/server-action-reboot.json"))))
        for (action, sample) in [(ActionKind.start, "server-action-start.json"), (.stop, "server-action-stop.json")] {
            let body = try XCTUnwrap(ServerAction.body(for: action))
            XCTAssertEqual(NSDictionary(dictionary: try object(body)),
                           NSDictionary(dictionary: try object(Samples.data("nova/servers/" + sample))), "\(action)")
        }
        try assertMatchesSample(ActionBody("createImage", CreateImage(name: "foo-image")),
                                "nova/servers/server-action-create-image.json", notSent: ["createImage.metadata"])
    }

    func testServerActionsWithoutASampleMatchTheFormerDictionaries() throws {
        let expected: [(ActionKind, [String: Any])] = [
            (.reboot, ["reboot": ["type": "SOFT"]]), (.powerOff, ["os-stop": NSNull()]), (.pause, ["pause": NSNull()]),
            (.unpause, ["unpause": NSNull()]), (.suspend, ["suspend": NSNull()]), (.resume, ["resume": NSNull()]),
            (.lock, ["lock": NSNull()]), (.unlock, ["unlock": NSNull()]),
        ]
        for (action, dictionary) in expected {
            let body = try XCTUnwrap(ServerAction.body(for: action), "\(action)")
            XCTAssertEqual(NSDictionary(dictionary: try object(body)), NSDictionary(dictionary: dictionary), "\(action)")
        }
        XCTAssertEqual(Set(ServerAction.bodies.keys), Set(expected.map(\.0) + [.hardReboot, .start, .stop]),
                       "a server action was added without a test of its body")
        try assertEncodes(ActionBody("resize", Resize(flavorRef: "f2")), as: ["resize": ["flavorRef": "f2"]])
        try assertEncodes(ActionBody("confirmResize"), as: ["confirmResize": NSNull()])
        try assertEncodes(ServerUpdateRequest(server: .init(name: "www")), as: ["server": ["name": "www"]])
    }

    func testConsoleRequestsMatchNovasSamples() throws {
        try assertMatchesSample(ActionBody("os-getConsoleOutput", ConsoleOutput(length: 50)),
                                "nova/os-console-output/console-output-post-req.json")
        try assertMatchesSample(ActionBody("os-getVNCConsole", VNCConsole(type: "novnc")),
                                "nova/os-remote-consoles/get-vnc-console-post-req.json")
        try assertMatchesSample(RemoteConsoleCreateRequest(remoteConsole: .init(protocol: "vnc", type: "novnc")),
                                "nova/os-remote-consoles/v2.6/create-vnc-console-req.json")
        try assertEncodes(ActionBody("os-getSerialConsole", VNCConsole(type: "serial")),
                          as: ["os-getSerialConsole": ["type": "serial"]])
    }

    func testKeypairImportAndVolumeAttachMatchNovasSamples() throws {
        let key = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDx8nkQv/zgGgB4rMYmIf+6A4l6Rr+o/6lHBQdW5aYd44bd8JttDCE/F/pNRr0lRE+"
            + "PiqSPO8nDPHw0010JeMH9gYgnnFlyY3/OcJ02RhIPyyxYpv9FhY+2YiUkpwFOcLImyrxEsYXpD/0d3ac30bNH6Sw9JD9UZHYcpSxsIbECHw== "
            + "Generated-by-Nova"
        try assertMatchesSample(KeypairImportRequest(keypair: .init(name: "me.and.myself@this.nice.domain.com mooh.", publicKey: key)),
                                "nova/os-keypairs/v2.92/keypairs-import-post-req.json",
                                notSent: ["keypair.type", "keypair.user_id"])
        try assertMatchesSample(VolumeAttachRequest(volumeAttachment: .init(volumeId: "a07f71dc-8151-4e7d-a0cc-cd24a3f11113")),
                                "nova/os-volume_attachments/attach-volume-to-server-req.json",
                                notSent: ["volumeAttachment.device"])
    }

    // MARK: Cinder

    func testVolumeCreateMatchesCindersSample() throws {
        // The sample spells every optional field as null; stacktop leaves them out, which Cinder reads alike.
        let nulls = ["availability_zone", "source_volid", "description", "snapshot_id", "backup_id", "volume_type",
                     "consistencygroup_id", "imageRef"].map { "volume." + $0 }
        try assertMatchesSample(VolumeCreateRequest(volume: .init(name: "v1", size: 10)), "cinder/volumes/volume-create-request.json",
                                notSent: nulls + ["volume.name", "volume.multiattach", "volume.metadata",
                                                  "OS-SCH-HNT:scheduler_hints"],
                                notInSample: ["volume.name"])
        try assertEncodes(VolumeCreateRequest(volume: .init(name: "v1", size: 10, imageRef: "img-1")),
                          as: ["volume": ["name": "v1", "size": 10, "imageRef": "img-1"] as [String: Any]])
        // The key the sample spells for the image (null there) is the one sent.
        let sample = try object(Samples.data("cinder/volumes/volume-create-request.json"))
        XCTAssertTrue((sample["volume"] as? [String: Any])?.keys.contains("imageRef") == true)
    }

    func testVolumeActionsAndSnapshotsMatchTheFormerShapes() throws {
        try assertEncodes(ActionBody("os-extend", ExtendVolume(newSize: 5)), as: ["os-extend": ["new_size": 5]])
        try assertEncodes(VolumeSnapshotCreateRequest(snapshot: .init(name: "s1", volumeID: "vol-1")),
                          as: ["snapshot": ["name": "s1", "volume_id": "vol-1"]])
        try assertEncodes(VolumeSnapshotCreateRequest(snapshot: .init(name: "s1", volumeID: "vol-1", description: "before", force: true)),
                          as: ["snapshot": ["name": "s1", "volume_id": "vol-1", "description": "before", "force": true] as [String: Any]])
    }

    // MARK: Glance

    func testImageCreateMatchesGlancesSample() throws {
        try assertMatchesSample(ImageCreateRequest(name: "Ubuntu", visibility: "private", diskFormat: "raw"),
                                "glance/image-create-request.json", notSent: ["id"], notInSample: ["visibility"])
    }

    // MARK: Neutron

    func testNetworkAndSecurityGroupCreatesMatchNeutronsSamples() throws {
        try assertMatchesSample(NetworkCreateRequest(network: .init(name: "sample_network")),
                                "neutron/networks/network-create-request.json",
                                notSent: ["admin_state_up", "dns_domain", "qos_policy_id", "mtu", "pvlan"].map { "network." + $0 })
        try assertMatchesSample(SecurityGroupCreateRequest(securityGroup: .init(name: "new-webservers",
                                                                                description: "security group for webservers")),
                                "neutron/security-groups/security-group-create-request.json",
                                notSent: ["security_group.stateful"])
    }

    func testSecurityGroupRuleCreateMatchesNeutronsSample() throws {
        let rule = SecurityGroupRuleCreateRequest(securityGroupRule: .init(securityGroupID: "a7734e61-b545-452d-a3cd-0189cbd9747a",
                                                           direction: "ingress", ethertype: "IPv4", protocol: "tcp",
                                                           portRangeMin: 80, portRangeMax: 80, remoteIPPrefix: nil))
        // The sample writes the ports as strings; stacktop sends numbers, which is what Neutron's schema says.
        try assertMatchesSample(rule, "neutron/security-groups/security-group-rule-create-request.json",
                                notSent: ["remote_group_id", "remote_address_group_id", "port_range_min", "port_range_max"]
                                    .map { "security_group_rule." + $0 },
                                notInSample: ["security_group_rule.port_range_min", "security_group_rule.port_range_max"])
        let sent = try encoded(rule)["security_group_rule"] as? [String: Any]
        let sample = try object(Samples.data("neutron/security-groups/security-group-rule-create-request.json"))
        let shown = sample["security_group_rule"] as? [String: Any]
        for key in ["port_range_min", "port_range_max"] {
            XCTAssertEqual((sent?[key] as? Int).map(String.init), shown?[key] as? String, key)
        }
        let egress = SecurityGroupRuleCreateRequest.Rule(securityGroupID: "sg", direction: "egress", ethertype: "IPv6", protocol: nil,
                                                         portRangeMin: nil, portRangeMax: nil, remoteIPPrefix: "::/0")
        try assertEncodes(SecurityGroupRuleCreateRequest(securityGroupRule: egress),
                          as: ["security_group_rule": ["security_group_id": "sg", "direction": "egress", "ethertype": "IPv6",
                                                      "remote_ip_prefix": "::/0"]])
    }

    func testFloatingIPCreateAndUpdateMatchNeutronsSamples() throws {
        try assertMatchesSample(FloatingIPCreateRequest(floatingip: .init(floatingNetworkID: "376da547-b977-4cfe-9cba-275c80debf57",
                                                                          description: "floating ip for testing")),
                                "neutron/floatingips/floatingip-create-request.json",
                                notSent: ["port_id", "subnet_id", "fixed_ip_address", "floating_ip_address", "dns_domain",
                                          "dns_name", "qos_policy_id"].map { "floatingip." + $0 })
        try assertMatchesSample(FloatingIPUpdateRequest(floatingip: .init(portID: "fc861431-0e6c-4842-a0ed-e2363f9bc3a8")),
                                "neutron/floatingips/floatingip-update-request.json")
        try assertEncodes(FloatingIPUpdateRequest(floatingip: .init(portID: nil)), as: ["floatingip": ["port_id": NSNull()]])
        try assertEncodes(FloatingIPUpdateRequest(floatingip: .init(portID: "p", fixedIPAddress: "10.0.0.5")),
                          as: ["floatingip": ["port_id": "p", "fixed_ip_address": "10.0.0.5"]])
    }

    func testSubnetPortAndRouterBodiesMatchTheFormerDictionaries() throws {
        try assertEncodes(SubnetCreateRequest(subnet: .init(name: "s", networkID: "n", cidr: "10.0.0.0/24", ipVersion: 4,
                                                            gatewayIP: "10.0.0.1", enableDHCP: true,
                                                            allocationPools: [.init(start: "10.0.0.10", end: "10.0.0.99")])),
                          as: ["subnet": ["name": "s", "network_id": "n", "cidr": "10.0.0.0/24", "ip_version": 4,
                                          "gateway_ip": "10.0.0.1", "enable_dhcp": true,
                                          "allocation_pools": [["start": "10.0.0.10", "end": "10.0.0.99"]]] as [String: Any]])
        try assertEncodes(SubnetCreateRequest(subnet: .init(name: "s", networkID: "n", cidr: "fd00::/64", ipVersion: 6,
                                                            gatewayIP: nil, enableDHCP: false, allocationPools: nil)),
                          as: ["subnet": ["name": "s", "network_id": "n", "cidr": "fd00::/64", "ip_version": 6,
                                          "enable_dhcp": false] as [String: Any]])
        try assertEncodes(PortCreateRequest(port: .init(name: "p", networkID: "n")), as: ["port": ["name": "p", "network_id": "n"]])
        try assertEncodes(PortCreateRequest(port: .init(name: "p", networkID: "n", fixedIPs: [.init(ipAddress: "10.0.0.7")])),
                          as: ["port": ["name": "p", "network_id": "n", "fixed_ips": [["ip_address": "10.0.0.7"]]] as [String: Any]])
        try assertEncodes(RouterRequest(router: .init(name: "r", externalGatewayInfo: .init(networkID: "pub"))),
                          as: ["router": ["name": "r", "external_gateway_info": ["network_id": "pub"]] as [String: Any]])
        try assertEncodes(RouterRequest(router: .init(name: "r")), as: ["router": ["name": "r"]])
        try assertEncodes(RouterRequest(router: .init(externalGatewayInfo: .init(networkID: nil))),
                          as: ["router": ["external_gateway_info": [String: Any]()]])
        try assertEncodes(RouterInterfaceRequest(subnetID: "sub-1"), as: ["subnet_id": "sub-1"])
    }
}

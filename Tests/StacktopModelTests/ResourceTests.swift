import XCTest
@testable import StacktopModel

final class ResourceTests: XCTestCase {
    func testStatesSortInHorizonsOrder() {
        XCTAssertEqual([InstanceState.unknown, .shutoff, .error, .running, .paused].sorted(),
                       [.running, .paused, .shutoff, .error, .unknown])
        XCTAssertEqual(InstanceState.allCases.sorted(), InstanceState.allCases)
        XCTAssertEqual(InstanceState.shutoff.label, "Shut off")
        XCTAssertEqual(InstanceState.shutdown.label, "Shutting down")
    }

    /// The Disk column counts the instance's own disks: not attached volumes, CD-ROMs or unknown sizes.
    func testAnInstancesDiskSizeIsItsOwnDisks() {
        let instance = Instance(id: "i-1", name: "db", state: .running, vcpus: 2, memoryMiB: 2048, disks: [
            InstanceDisk(target: "vda", capacityBytes: 20 << 30),
            InstanceDisk(target: "vdb", source: "data", capacityBytes: 100 << 30, volumeID: "v-1"),
            InstanceDisk(target: "sda", device: .cdrom, capacityBytes: 1 << 30),
            InstanceDisk(target: "vdc", capacityBytes: 512 << 20),
            InstanceDisk(target: "vdd"),
        ])
        XCTAssertEqual(instance.diskGiB, 20.5)
    }

    func testAddressesKeepTheInterfaceOrder() {
        let instance = Instance(id: "i-1", name: "lb", state: .running, vcpus: 1, memoryMiB: 512, interfaces: [
            InstanceInterface(mac: "52:54:00:00:00:02", addresses: ["172.16.5.171"]),
            InstanceInterface(mac: "52:54:00:00:00:01"),
            InstanceInterface(mac: "52:54:00:00:00:03", addresses: ["10.0.0.3", "fd00::3"]),
        ])
        XCTAssertEqual(instance.addresses, ["172.16.5.171", "10.0.0.3", "fd00::3"])
    }

    func testASubnetWorksOutWhatItWasNotTold() {
        let dhcp = Subnet(cidr: "10.0.0.0/24", gateway: "10.0.0.1", dhcpStart: "10.0.0.100", dhcpEnd: "10.0.0.199")
        XCTAssertEqual(dhcp.ipVersion, 4)
        XCTAssertTrue(dhcp.dhcpEnabled)
        XCTAssertEqual(dhcp.allocationPools, ["10.0.0.100-10.0.0.199"])
        let v6 = Subnet(cidr: "fd00:1::/64")
        XCTAssertEqual(v6.ipVersion, 6)
        XCTAssertFalse(v6.dhcpEnabled)
        XCTAssertEqual(v6.allocationPools, [])
        let told = Subnet(cidr: "10.1.0.0/24", dhcpStart: "10.1.0.5", dhcpEnd: "10.1.0.9", ipVersion: 4,
                          dhcpEnabled: false, allocationPools: ["10.1.0.2-10.1.0.4", "10.1.0.5-10.1.0.9"])
        XCTAssertFalse(told.dhcpEnabled, "what the service says wins")
        XCTAssertEqual(told.allocationPools, ["10.1.0.2-10.1.0.4", "10.1.0.5-10.1.0.9"])
    }

    func testRulePortRangesReadAsTheTablesShowThem() {
        func label(_ min: Int?, _ max: Int?) -> String {
            SecurityGroupRule(id: "r", direction: .ingress, portMin: min, portMax: max).portRangeLabel
        }
        XCTAssertEqual(label(22, 22), "22")
        XCTAssertEqual(label(8000, 8080), "8000-8080")
        XCTAssertEqual(label(443, nil), "443")
        XCTAssertEqual(label(nil, nil), "any")
        XCTAssertEqual(label(nil, 80), "any")
    }

    /// Group names are unique only within a project, as in OpenStack.
    func testAGroupIsUsedOnlyByInstancesOfItsProjectThatNameIt() {
        let web = Instance(id: "i-1", name: "web-01", state: .running, vcpus: 1, memoryMiB: 512, project: "shop",
                           securityGroups: ["default", "web"])
        XCTAssertTrue(SecurityGroup(id: "sg-1", name: "web", project: "shop").isUsed(by: web))
        XCTAssertFalse(SecurityGroup(id: "sg-2", name: "web", project: "ops").isUsed(by: web))
        XCTAssertFalse(SecurityGroup(id: "sg-3", name: "db", project: "shop").isUsed(by: web))
        XCTAssertTrue(SecurityGroup(id: "sg-4", name: "default").isUsed(by: web), "a group of no project is anyone's")
    }

    func testPortsSayWhatTheyPlugIn() {
        func port(_ owner: String) -> StacktopModel.Port {
            StacktopModel.Port(id: "p", name: "", network: "private", macAddress: "fa:16:3e:00:00:01", deviceOwner: owner,
                 status: "ACTIVE")
        }
        XCTAssertTrue(port("compute:nova").isServerPort)
        XCTAssertTrue(port("compute:az-2").isServerPort)
        XCTAssertFalse(port("compute:nova").isRouterInterface)
        for owner in ["network:router_interface", "network:router_interface_distributed",
                      "network:ha_router_replicated_interface"] {
            XCTAssertTrue(port(owner).isRouterInterface, owner)
        }
        XCTAssertFalse(port("network:router_gateway").isRouterInterface, "the gateway leg is not an interface")
        XCTAssertFalse(port("network:dhcp").isServerPort || port("network:dhcp").isRouterInterface)
        XCTAssertFalse(port("").isServerPort)
    }

    func testAFloatingIPIsAssociatedWhenItHasAPort() {
        var address = FloatingIP(id: "f", address: "203.0.113.10", status: "DOWN", network: "public")
        XCTAssertFalse(address.isAssociated)
        address.portID = "port-1"
        XCTAssertTrue(address.isAssociated)
    }

    func testAKeypairIsKnownByItsName() {
        XCTAssertEqual(Keypair(name: "alice", fingerprint: "aa", publicKey: "ssh-ed25519 AAAA").id, "alice")
    }
}

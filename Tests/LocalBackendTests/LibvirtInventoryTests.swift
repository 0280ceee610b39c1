#if canImport(Glibc)
import Glibc
#endif
import XCTest
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices

/// A fresh copy of the demo host for one test; its directory is removed when the test ends.
func openDemoHost(_ testCase: XCTestCase) throws -> LibvirtConnection {
    let path = try makeTemporaryDirectory(testCase) + "/node.xml"
    try DemoNodeXML.xml.write(toFile: path, atomically: true, encoding: .utf8)
    return try LibvirtConnection(uri: "test://" + path)
}

final class LibvirtInventoryTests: XCTestCase {
    private let gib: UInt64 = 1 << 30

    func testDemoInventoryHasEveryDomainPoolVolumeAndNetwork() throws {
        let inventory = try openDemoHost(self).inventory()
        let demo = DemoNodeBuilder.self

        XCTAssertEqual(Set(inventory.instances.map(\.name)), Set(demo.domains.map(\.name)))
        XCTAssertEqual(inventory.instances.count, demo.domains.count)
        XCTAssertGreaterThanOrEqual(inventory.instances.count, 14)
        XCTAssertEqual(Set(inventory.networks.map(\.name)), ["default", "backend", "dmz"])
        XCTAssertEqual(Set(inventory.pools.map(\.name)), ["images", "default"])

        let imageNames = inventory.poolVolumes.filter { $0.pool == "images" }.map(\.name)
        XCTAssertEqual(Set(imageNames), ["debian-12.qcow2", "ubuntu-24.04.qcow2", "cirros-0.6.2.img",
                                         "fedora 40 cloud.qcow2"])
        let defaultNames = Set(inventory.poolVolumes.filter { $0.pool == "default" }.map(\.name))
        XCTAssertEqual(defaultNames, Set(demo.domains.map { "\($0.name)-root.qcow2" })
            .union(["data-01", "backup vol", "logs-büro"]))
    }

    func testDemoStatesCoverEveryLibvirtState() throws {
        let inventory = try openDemoHost(self).inventory()
        let counts = Dictionary(grouping: inventory.instances, by: \.state).mapValues(\.count)
        // web-01, web-02, db primary, lb-edge, bastion, plus "monitoring" which is blocked (idle).
        XCTAssertEqual(counts[.running], 6)
        XCTAssertEqual(counts[.paused], 3)
        XCTAssertEqual(counts[.shutdown], 1)
        XCTAssertEqual(counts[.shutoff], 4)
        XCTAssertEqual(counts[.crashed], 1)
        XCTAssertEqual(counts[.suspended], 1)
        XCTAssertEqual(inventory.instances.first { $0.name == "monitoring" }?.state, .running)
        XCTAssertEqual(inventory.instances.first { $0.name == "ci runner 3" }?.state, .suspended)
    }

    func testNonASCIIInstanceIsReadCompletely() throws {
        let inventory = try openDemoHost(self).inventory()
        let replica = try XCTUnwrap(inventory.instances.first { $0.name == "数据库-replica" })
        XCTAssertEqual(replica.state, .paused)
        XCTAssertEqual(replica.vcpus, 4)
        XCTAssertEqual(replica.memoryMiB, 8192)
        XCTAssertEqual(replica.id.count, 36)
        XCTAssertNil(replica.project)
        XCTAssertNil(replica.flavor)

        let root = try XCTUnwrap(replica.disks.first)
        XCTAssertEqual(root.target, "vda")
        XCTAssertEqual(root.source, "/var/lib/stacktop-demo/volumes/数据库-replica-root.qcow2")
        XCTAssertEqual(root.format, "qcow2")
        XCTAssertEqual(root.bus, "virtio")
        XCTAssertEqual(root.capacityBytes, 40 * gib, "capacity comes from the matching pool volume")

        let nic = try XCTUnwrap(replica.interfaces.first)
        XCTAssertEqual(nic.network, "backend")
        XCTAssertEqual(nic.type, "network")
        XCTAssertEqual(nic.model, "virtio")
        XCTAssertTrue(nic.mac.hasPrefix("52:54:00:"))
        XCTAssertNotNil(nic.targetDevice)
        XCTAssertFalse(nic.addresses.isEmpty, "a paused guest still holds its lease")
        XCTAssertTrue(nic.addresses.allSatisfy { $0.hasPrefix("10.10.0.") }, "\(nic.addresses)")
    }

    func testDiskCapacitiesMatchPoolVolumesByPathAndByPoolVolumeName() throws {
        let inventory = try openDemoHost(self).inventory()
        let instances = Dictionary(uniqueKeysWithValues: inventory.instances.map { ($0.name, $0) })

        let dataDisk = try XCTUnwrap(instances["db primary"]?.disks.first { $0.target == "vdb" })
        XCTAssertEqual(dataDisk.source, "/var/lib/stacktop-demo/volumes/data-01")
        XCTAssertEqual(dataDisk.capacityBytes, 100 * gib)

        // Declared as <disk type='volume'><source pool='default' volume='backup vol'/>.
        let backup = try XCTUnwrap(instances["backup-agent"]?.disks.first { $0.target == "vdb" })
        XCTAssertEqual(backup.source, "default/backup vol")
        XCTAssertEqual(backup.capacityBytes, 200 * gib)
        XCTAssertEqual(backup.format, "raw")

        let cdrom = try XCTUnwrap(instances["tiny-test"]?.disks.first { $0.device == .cdrom })
        XCTAssertTrue(cdrom.readOnly)
        XCTAssertEqual(cdrom.capacityBytes, 117 << 20)
        XCTAssertEqual(instances["tiny-test"]?.diskGiB, 1, "cdroms do not count as disk space")

        for instance in inventory.instances {
            for disk in instance.disks {
                XCTAssertNotNil(disk.capacityBytes, "\(instance.name) \(disk.target) has no capacity")
            }
        }
    }

    func testInterfacesAddressesAndGraphics() throws {
        let inventory = try openDemoHost(self).inventory()
        let instances = Dictionary(uniqueKeysWithValues: inventory.instances.map { ($0.name, $0) })

        let bastion = try XCTUnwrap(instances["bastion"])
        XCTAssertEqual(bastion.graphics, [GraphicsConsole(type: "vnc", listen: "0.0.0.0", port: 5901, autoport: false)])
        XCTAssertTrue(bastion.addresses.allSatisfy { $0.hasPrefix("172.16.5.") } && !bastion.addresses.isEmpty)

        XCTAssertEqual(instances["web-01"]?.graphics,
                       [GraphicsConsole(type: "vnc", listen: "127.0.0.1", port: -1, autoport: true)])
        XCTAssertEqual(instances["lb-edge"]?.graphics.first?.type, "spice")
        let bridged = try XCTUnwrap(instances["lb-edge"]?.interfaces.first { $0.type == "bridge" })
        XCTAssertEqual(bridged.network, "br-ext")
        XCTAssertEqual(bridged.model, "e1000")

        XCTAssertEqual(instances["staging-api"]?.addresses, [], "a shut-off guest has no addresses")
        XCTAssertEqual(instances["staging-api"]?.interfaces.count, 1)
    }

    func testNetworksAndSubnets() throws {
        let inventory = try openDemoHost(self).inventory()
        let networks = Dictionary(uniqueKeysWithValues: inventory.networks.map { ($0.name, $0) })

        let nat = try XCTUnwrap(networks["default"])
        XCTAssertEqual(nat.forwardMode, "nat")
        XCTAssertEqual(nat.bridge, "virbr0")
        XCTAssertTrue(nat.active)
        XCTAssertEqual(nat.subnets, [Subnet(cidr: "192.168.122.0/24", gateway: "192.168.122.1",
                                            dhcpStart: "192.168.122.2", dhcpEnd: "192.168.122.254")])
        XCTAssertEqual(networks["backend"]?.forwardMode, "isolated")
        XCTAssertEqual(networks["backend"]?.subnets.first?.cidr, "10.10.0.0/24")
        XCTAssertEqual(networks["dmz"]?.forwardMode, "route")
        XCTAssertEqual(networks["dmz"]?.subnets.first?.cidr, "172.16.5.0/24")
        XCTAssertEqual(Set(inventory.networks.map(\.id)).count, 3)
    }

    func testPoolsAndVolumeDetails() throws {
        let inventory = try openDemoHost(self).inventory()
        let images = try XCTUnwrap(inventory.pools.first { $0.name == "images" })
        XCTAssertEqual(images.type, "dir")
        XCTAssertEqual(images.path, "/var/lib/stacktop-demo/images")
        XCTAssertTrue(images.active)
        XCTAssertGreaterThan(images.capacityBytes, images.allocationBytes)

        let volumes = Dictionary(uniqueKeysWithValues: inventory.poolVolumes.map { ("\($0.pool)/\($0.name)", $0) })
        let fedora = try XCTUnwrap(volumes["images/fedora 40 cloud.qcow2"])
        XCTAssertEqual(fedora.format, "qcow2")
        XCTAssertEqual(fedora.path, "/var/lib/stacktop-demo/images/fedora 40 cloud.qcow2")
        XCTAssertEqual(fedora.capacityBytes, 5 * gib)
        XCTAssertEqual(volumes["images/cirros-0.6.2.img"]?.format, "raw")
        XCTAssertEqual(volumes["default/logs-büro"]?.key, "/var/lib/stacktop-demo/volumes/logs-büro")
        XCTAssertLessThan(volumes["default/logs-büro"]?.allocationBytes ?? .max, 50 * gib)
    }

    func testDomainXMLByUUID() throws {
        let connection = try openDemoHost(self)
        let primary = try XCTUnwrap(try connection.inventory().instances.first { $0.name == "db primary" })
        let xml = try connection.domainXML(uuid: primary.id)
        XCTAssertTrue(xml.contains("<name>db primary</name>"))
        XCTAssertTrue(xml.contains(primary.id))

        XCTAssertThrowsError(try connection.domainXML(uuid: "00000000-0000-4000-8000-000000000000")) { error in
            XCTAssertEqual(error as? BackendError,
                           .notFound(kind: "instance", name: "00000000-0000-4000-8000-000000000000"))
        }
        XCTAssertThrowsError(try connection.domainXML(uuid: "not a uuid")) { error in
            XCTAssertEqual(error as? BackendError, .notFound(kind: "instance", name: "not a uuid"))
        }
    }

    func testHostname() throws {
        let name = try XCTUnwrap(try openDemoHost(self).hostname())
        XCTAssertFalse(name.isEmpty)
    }

    func testUnreachableURIGivesAClearError() {
        let uri = "test:///nonexistent/stacktop/path.xml"
        XCTAssertThrowsError(try LibvirtConnection(uri: uri)) { error in
            guard case .unreachable(let endpoint, let reason)? = error as? BackendError else {
                return XCTFail("expected BackendError.unreachable, got \(error)")
            }
            XCTAssertEqual(endpoint, uri)
            XCTAssertTrue(reason.contains("/nonexistent/stacktop/path.xml"), reason)
            XCTAssertTrue((error as? BackendError)?.message.hasPrefix("Could not connect to \(uri): ") ?? false)
        }
    }

    func testBrokenNodeFileReportsLibvirtsReason() throws {
        let path = "/tmp/stacktop-broken-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).xml"
        let file = try XCTUnwrap(fopen(path, "w"))
        fputs("<node><domain type='test'><name>half", file)
        fclose(file)
        addTeardownBlock { unlink(path) }
        XCTAssertThrowsError(try LibvirtConnection(uri: "test://" + path)) { error in
            guard case .unreachable(_, let reason)? = error as? BackendError else {
                return XCTFail("expected BackendError.unreachable, got \(error)")
            }
            XCTAssertFalse(reason.isEmpty)
            XCTAssertNotEqual(reason, "unknown libvirt error")
            XCTAssertFalse(reason.hasSuffix("."), "the reason is embedded in a sentence")
            XCTAssertFalse(reason.contains("\n"), "the message must fit a status line: \(reason)")
        }
    }

    func testThousandDomainHostLoads() throws {
        let path = try LibvirtScaleFixture.write(domains: 1000)
        addTeardownBlock { unlink(path) }
        let opening = ContinuousClock.now
        let connection = try LibvirtConnection(uri: "test://" + path)
        let started = ContinuousClock.now
        let inventory = try connection.inventory()
        let finished = ContinuousClock.now
        print("1000 test-driver domains: open \(started - opening), inventory() \(finished - started)")
        XCTAssertEqual(inventory.instances.count, 1000)
        XCTAssertEqual(inventory.poolVolumes.count, 1000)
        XCTAssertEqual(inventory.instances.filter { $0.state == .shutoff }.count, 500)
    }
}

/// A generated host with many domains, each with a root volume, an interface and, for half of
/// them, a VNC console; half run and half are shut off.
enum LibvirtScaleFixture {
    static func write(domains count: Int) throws -> String {
        var xml = "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
        for index in 0..<count {
            let name = "vm-\(index)"
            let hex = String(index, radix: 16)
            let padded = String(repeating: "0", count: 12 - hex.count) + hex
            let mac = String(format6: index)
            xml += """
              <domain type='test'><name>\(name)</name><uuid>6a0e0000-0000-4000-8000-\(padded)</uuid>
                <memory unit='MiB'>1024</memory><vcpu>2</vcpu><os><type>hvm</type></os>
                <devices>
                  <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
                    <source file='/scale/\(name).qcow2'/><target dev='vda' bus='virtio'/></disk>
                  <interface type='network'><mac address='\(mac)'/><source network='default'/>
                    <model type='virtio'/></interface>
                  \(index.isMultiple(of: 2) ? "<graphics type='vnc' port='-1' autoport='yes'/>" : "")
                </devices>
                <test:runstate>\(index.isMultiple(of: 2) ? 1 : 5)</test:runstate>
              </domain>\n
            """
        }
        xml += """
          <network><name>default</name><forward mode='nat'/><bridge name='virbr0'/>
            <ip address='192.168.0.1' prefix='16'><dhcp><range start='192.168.1.0' end='192.168.254.254'/></dhcp></ip>
          </network>
          <pool type='dir'><name>scale</name><target><path>/scale</path></target>\n
        """
        for index in 0..<count {
            xml += "    <volume><name>vm-\(index).qcow2</name><capacity unit='MiB'>10</capacity>"
                + "<allocation unit='MiB'>1</allocation><target><format type='qcow2'/></target></volume>\n"
        }
        xml += "  </pool>\n</node>\n"
        let path = "/tmp/stacktop-scale-\(getpid())-\(count)-\(UInt32.random(in: 0...UInt32.max)).xml"
        guard let file = fopen(path, "w") else { throw BackendError.failed(what: "Writing \(path)", reason: "fopen") }
        defer { fclose(file) }
        fputs(xml, file)
        return path
    }
}

private extension String {
    init(format6 index: Int) {
        let bytes = [0x52, 0x54, 0x00, (index >> 16) & 0xFF, (index >> 8) & 0xFF, index & 0xFF]
        self = bytes.map { byte in
            let hex = String(byte, radix: 16)
            return hex.count == 1 ? "0" + hex : hex
        }.joined(separator: ":")
    }
}

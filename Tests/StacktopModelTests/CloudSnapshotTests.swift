import XCTest
import Foundation
@testable import StacktopModel

/// The snapshot is what the store caches between runs: it must come back exactly, and a cache written by
/// an older stacktop must still draw the first frame.
final class CloudSnapshotCodingTests: XCTestCase {
    private static let takenAt = Date(timeIntervalSince1970: 1_790_000_000.25)

    /// Every list non-empty and every optional field set, so a field the encoder drops cannot go unseen.
    static func everything() -> CloudSnapshot {
        var snapshot = CloudSnapshot(
            instances: [Instance(id: "i-1", name: "web-01", state: .paused, vcpus: 2, memoryMiB: 2048,
                                 disks: [InstanceDisk(target: "vda", source: "/pool/web-01.qcow2", format: "qcow2",
                                                      capacityBytes: 10 << 30, bus: "virtio", deleteOnTermination: true),
                                         InstanceDisk(target: "vdb", source: "data", capacityBytes: 1 << 30,
                                                      readOnly: true, volumeID: "v-1")],
                                 interfaces: [InstanceInterface(mac: "52:54:00:00:00:01", network: "default",
                                                                model: "virtio", addresses: ["10.0.0.5", "fd00::5"],
                                                                targetDevice: "vnet0")],
                                 graphics: [GraphicsConsole(type: "vnc", listen: "127.0.0.1", port: 5900)],
                                 image: "debian-12", flavor: "m1.small", project: "web", createdAt: takenAt,
                                 cpuTimeNanoseconds: 12_345, hostname: "node-1", keypair: "alice",
                                 securityGroups: ["default", "web"], locked: true)],
            images: [Image(id: "img-1", name: "debian-12", format: "qcow2", sizeBytes: 1 << 30, pool: "images",
                           path: "/images/debian-12.qcow2", os: "Debian 12", minDiskGiB: 8, minRamMiB: 1024,
                           visibility: .community, status: "queued", project: "web", createdAt: takenAt)],
            volumes: [Volume(id: "v-1", name: "data", sizeBytes: 1 << 30, allocationBytes: 1 << 20, pool: "default",
                             path: "/pool/data", format: "raw", status: "in-use", attachedTo: ["web-01"], project: "web",
                             bootable: true, attachmentDevices: ["/dev/vdb"])],
            pools: [StoragePool(id: "p-1", name: "default", type: "dir", path: "/pool", active: false,
                                capacityBytes: 100, allocationBytes: 40, availableBytes: 60)],
            networks: [Network(id: "n-1", name: "private", bridge: "br0", forwardMode: "nat", active: false,
                               autostart: true,
                               subnets: [Subnet(cidr: "10.0.0.0/24", gateway: "10.0.0.1", dhcpStart: "10.0.0.10",
                                                dhcpEnd: "10.0.0.20", id: "s-1", name: "private-subnet")],
                               project: "web", shared: true, external: true, portCount: 7)],
            securityGroups: [SecurityGroup(id: "sg-1", name: "web", description: "HTTP in", project: "web",
                                           rules: [SecurityGroupRule(id: "r-1", direction: .ingress, ethertype: "IPv6",
                                                                     protocol: "tcp", portMin: 80, portMax: 88,
                                                                     remoteCIDR: "::/0", remoteGroup: "default")])],
            quotas: [ProjectQuotas(project: "web", usages: [QuotaUsage(resource: .ramMiB, used: 2048, limit: -1)])],
            flavors: [Flavor(id: "f-1", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20, isPublic: false)],
            keypairs: [Keypair(name: "alice", fingerprint: "aa:bb", publicKey: "ssh-ed25519 AAAA alice", type: "x509",
                               project: "web", createdAt: takenAt)],
            projects: [Project(id: "pr-1", name: "web", description: "The shop", enabled: false, instanceCount: 3)],
            hypervisors: [Hypervisor(id: "h-1", hostname: "node-1", type: "QEMU", state: "up", status: "enabled",
                                     hostIP: "192.0.2.1", vcpus: 8, vcpusUsed: 2, memoryMiB: 16_384, memoryUsedMiB: 4096,
                                     localDiskGiB: 100, localDiskUsedGiB: 10, runningVMs: 1, cpuUtilization: 0.25)],
            floatingIPs: [FloatingIP(id: "fip-1", address: "203.0.113.10", status: "ACTIVE", project: "web",
                                     network: "public", fixedAddress: "10.0.0.5", portID: "port-1", server: "web-01",
                                     router: "edge")],
            routers: [Router(id: "rt-1", name: "edge", status: "ACTIVE", adminStateUp: false, project: "web",
                             externalNetwork: "public", externalAddresses: ["203.0.113.2"],
                             interfaces: [RouterInterface(subnet: "private-subnet", cidr: "10.0.0.0/24",
                                                          address: "10.0.0.1", portID: "port-2")])],
            ports: [Port(id: "port-1", name: "", network: "private", macAddress: "fa:16:3e:00:00:01",
                         fixedIPs: ["10.0.0.5"], deviceOwner: "compute:nova", deviceID: "i-1", device: "web-01",
                         status: "ACTIVE", project: "web")],
            staleParts: [StalePart(what: "images", reason: "Glance did not answer.", lastGood: takenAt)],
            takenAt: takenAt)
        snapshot.volumeSnapshots = [VolumeSnapshot(id: "vs-1", name: "before-upgrade", volumeID: "v-1",
                                                   volumeName: "data", sizeBytes: 1 << 30, status: "creating",
                                                   description: "nightly", project: "web", createdAt: takenAt)]
        snapshot.unavailableParts = [StalePart(what: "Routers", reason: "This cloud has no Neutron.")]
        snapshot.extraDetails = [DetailBlock.key(kind: "secgroup", id: "sg-1"): [DetailBlock(title: "Filter",
                                                                                             lines: ["<filter/>"])]]
        return snapshot
    }

    func testASnapshotComesBackExactlyThroughJSON() throws {
        let snapshot = Self.everything()
        let data = try JSONEncoder().encode(snapshot)
        let decoded = try JSONDecoder().decode(CloudSnapshot.self, from: data)
        XCTAssertEqual(decoded, snapshot)
        // The key names are the cache's format: a renamed key would round-trip here and still lose every
        // cache already written.
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
        XCTAssertEqual(Set(object.keys), ["instances", "images", "volumes", "volumeSnapshots", "pools", "networks",
                                          "securityGroups", "quotas", "flavors", "keypairs", "projects", "hypervisors",
                                          "floatingIPs", "routers", "ports", "staleParts", "unavailableParts",
                                          "extraDetails", "takenAt"])
    }

    /// The first release's cache: only the lists it had, and subnets without ids, names or pools.
    func testACacheFromBeforeTheNewerListsStillDecodes() throws {
        let old = """
            {"instances":[{"id":"i-1","name":"web-01","state":"running","vcpus":1,"memoryMiB":512,"disks":[],
                           "interfaces":[],"graphics":[],"securityGroups":[],"locked":false}],
             "images":[],"volumes":[],"pools":[],"securityGroups":[],"quotas":[],"flavors":[],"keypairs":[],
             "networks":[{"id":"n-1","name":"default","forwardMode":"nat","active":true,"autostart":false,
                          "shared":false,"external":false,
                          "subnets":[{"cidr":"192.168.122.0/24","gateway":"192.168.122.1",
                                      "dhcpStart":"192.168.122.2","dhcpEnd":"192.168.122.254"},
                                     {"cidr":"fd00::/64"}]}],
             "projects":[{"id":"p-1","name":"admin","description":"","enabled":true}],
             "takenAt":0}
            """
        let snapshot = try JSONDecoder().decode(CloudSnapshot.self, from: Data(old.utf8))
        XCTAssertEqual(snapshot.instances.map(\.name), ["web-01"])
        XCTAssertEqual(snapshot.projects.map(\.name), ["admin"])
        XCTAssertEqual(snapshot.takenAt, Date(timeIntervalSinceReferenceDate: 0))
        XCTAssertEqual(snapshot.volumeSnapshots, [])
        XCTAssertEqual(snapshot.hypervisors, [])
        XCTAssertEqual(snapshot.floatingIPs, [])
        XCTAssertEqual(snapshot.routers, [])
        XCTAssertEqual(snapshot.ports, [])
        XCTAssertEqual(snapshot.staleParts, [])
        XCTAssertEqual(snapshot.unavailableParts, [])
        XCTAssertEqual(snapshot.extraDetails, [:])

        let subnets = try XCTUnwrap(snapshot.networks.first?.subnets)
        XCTAssertEqual(subnets[0], Subnet(cidr: "192.168.122.0/24", gateway: "192.168.122.1",
                                          dhcpStart: "192.168.122.2", dhcpEnd: "192.168.122.254"))
        XCTAssertEqual(subnets[0].id, "")
        XCTAssertEqual(subnets[0].ipVersion, 4)
        XCTAssertTrue(subnets[0].dhcpEnabled)
        XCTAssertEqual(subnets[0].allocationPools, ["192.168.122.2-192.168.122.254"])
        XCTAssertEqual(subnets[1].ipVersion, 6, "the version follows the CIDR")
        XCTAssertFalse(subnets[1].dhcpEnabled)
        XCTAssertEqual(subnets[1].allocationPools, [])
    }

    func testAHostCachedBeforeItsLoadWasMeasuredDecodesWithoutIt() throws {
        let old = """
            {"instances":[],"images":[],"volumes":[],"pools":[],"networks":[],"securityGroups":[],"quotas":[],
             "flavors":[],"keypairs":[],"projects":[],"takenAt":0,
             "hypervisors":[{"id":"kvm","hostname":"kvm","type":"QEMU","state":"up","status":"enabled",
                             "vcpus":4,"memoryMiB":16384,"memoryUsedMiB":2048,"runningVMs":1}]}
            """
        let decoded = try JSONDecoder().decode(CloudSnapshot.self, from: Data(old.utf8))
        XCTAssertEqual(decoded.hypervisors, [Hypervisor(id: "kvm", hostname: "kvm", type: "QEMU", state: "up",
                                                        status: "enabled", vcpus: 4, memoryMiB: 16_384,
                                                        memoryUsedMiB: 2048, runningVMs: 1)])
        XCTAssertNil(decoded.hypervisors.first?.cpuUtilization)
    }

    /// Only the lists added later are optional: a cache missing one of the first lists is not a snapshot.
    func testACacheWithoutAnOriginalListIsRefused() throws {
        let data = try JSONEncoder().encode(Self.everything())
        for key in ["instances", "images", "volumes", "pools", "networks", "securityGroups", "quotas", "flavors",
                    "keypairs", "projects", "takenAt"] {
            var object = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any])
            XCTAssertNotNil(object.removeValue(forKey: key))
            let without = try JSONSerialization.data(withJSONObject: object)
            XCTAssertThrowsError(try JSONDecoder().decode(CloudSnapshot.self, from: without), key) { error in
                guard case DecodingError.keyNotFound(let missing, _) = error else {
                    return XCTFail("\(key): \(error)")
                }
                XCTAssertEqual(missing.stringValue, key)
            }
        }
    }
}

final class CloudSnapshotQueryTests: XCTestCase {
    private func instance(_ n: Int, _ state: InstanceState) -> Instance {
        Instance(id: "i-\(n)", name: "vm-\(n)", state: state, vcpus: 1, memoryMiB: 512)
    }

    func testInstanceCountsFollowTheStateOrderAndSkipAbsentStates() {
        let states: [InstanceState] = [.error, .shutoff, .running, .unknown, .running, .paused, .shutoff, .running]
        let snapshot = CloudSnapshot(instances: states.enumerated().map { instance($0.offset, $0.element) })
        let counts = snapshot.instanceCountsByState
        XCTAssertEqual(counts.map(\.state), [.running, .paused, .shutoff, .error, .unknown])
        XCTAssertEqual(counts.map(\.count), [3, 1, 2, 1, 1])
        XCTAssertEqual(counts.map(\.count).reduce(0, +), states.count)
        XCTAssertTrue(CloudSnapshot().instanceCountsByState.isEmpty)
    }

    func testUnavailabilityIsLookedUpByTitleWhateverTheCase() {
        var snapshot = CloudSnapshot()
        snapshot.unavailableParts = [StalePart(what: "images", reason: "No Glance in this cloud."),
                                     StalePart(what: "Floating IPs", reason: "Neutron refused: 403.")]
        snapshot.staleParts = [StalePart(what: "volumes", reason: "Cinder timed out.")]
        XCTAssertEqual(snapshot.unavailability(of: "Images")?.reason, "No Glance in this cloud.")
        XCTAssertEqual(snapshot.unavailability(of: "floating ips")?.reason, "Neutron refused: 403.")
        XCTAssertNil(snapshot.unavailability(of: "volumes"), "a stale list is not an unavailable one")
        XCTAssertNil(snapshot.unavailability(of: "image"))
    }

    func testDetailBlockKeysNameTheKindAndTheID() {
        XCTAssertEqual(DetailBlock.key(kind: "secgroup", id: "sg-1"), "secgroup/sg-1")
    }
}

/// A refresh that found nothing new is told apart from one that did, whatever the time of reading.
final class SameDataTests: XCTestCase {
    func testOnlyTheTimeOfReadingMayDiffer() {
        let first = CloudSnapshot(instances: [Instance(id: "i-1", name: "web-01", state: .running, vcpus: 1, memoryMiB: 512)],
                                  takenAt: Date(timeIntervalSince1970: 100))
        var later = first
        later.takenAt = Date(timeIntervalSince1970: 102)
        XCTAssertTrue(first.hasSameData(as: later))
        later.instances[0].state = .paused
        XCTAssertFalse(first.hasSameData(as: later))
        var stale = first
        stale.staleParts = [StalePart(what: "images", reason: "Glance is down.")]
        XCTAssertFalse(first.hasSameData(as: stale), "a part going stale is news")
    }
}

import StacktopModel
import StacktopServices

/// The demo cloud as `stacktop --demo` first shows it, as a plain value: libvirt's test driver on the shipped
/// node XML with a freshly seeded store, read at `DemoCloud.now`. The dashboard's screen snapshots are drawn
/// from it without libvirt; `DemoCloudAgreementTests` (LocalBackendTests) reads the real demo and fails, naming
/// the list, when the two differ, so a change to the demo is made here as well.
public enum DemoCloud {
    /// Screens show ages and dates; a fixed clock keeps the snapshots stable from day to day.
    public static let now = Date(timeIntervalSince1970: 1_790_000_000)

    /// What the demo backend says about itself (its endpoint is a path the screens never show).
    public static let description = BackendDescription(kind: .demo, endpoint: "test:///demo",
                                                       currentProject: "engineering")

    public static var snapshot: CloudSnapshot {
        // libvirt's power state follows the domain state (a guest shutting down is shut down; the demo's
        // suspended guest is suspended to memory).
        let instances = instances.map { instance in
            var instance = instance
            instance.powerState = switch instance.state {
            case .running: .running
            case .paused: .paused
            case .crashed: .crashed
            case .suspended: .suspended
            default: .shutdown
            }
            return instance
        }
        var snapshot = CloudSnapshot(instances: instances, images: images, volumes: volumes, pools: pools,
                                     networks: networks, securityGroups: securityGroups, quotas: quotas,
                                     flavors: flavors, keypairs: keypairs, projects: projects,
                                     hypervisors: hypervisors, takenAt: now)
        snapshot.volumeSnapshots = volumeSnapshots
        snapshot.extraDetails = networkFilters
        return snapshot
    }

    /// The demo cloud served by the in-memory backend, which offers every action.
    public static func backend() -> InMemoryBackend {
        InMemoryBackend(snapshot: snapshot, description: description)
    }

    static let instances: [Instance] = [
        Instance(id: "23b5557f-f46c-4e0b-b69c-829a25d7fb23", name: "backup-agent", state: .shutoff,
                 vcpus: 1, memoryMiB: 1024,
                 disks: [root("backup-agent", gib(10), made: true),
                         InstanceDisk(target: "vdb", source: "default/backup vol", format: "raw",
                                      capacityBytes: gib(200), bus: "virtio", deleteOnTermination: false)],
                 interfaces: [nic(0, "52:54:00:0c:00:e3", "backend")],
                 image: "debian-12", flavor: "ds1G", project: "engineering", createdAt: ago(43),
                 hostname: "vm", keypair: "alice-laptop", securityGroups: ["default"]),
        Instance(id: "2f7f3529-0d19-4f31-904e-35db08c4e347", name: "bastion", state: .running,
                 vcpus: 1, memoryMiB: 512,
                 disks: [root("bastion", gib(10), made: true)],
                 interfaces: [nic(0, "52:54:00:0a:00:d9", "dmz", "172.16.5.191")],
                 graphics: [GraphicsConsole(type: "vnc", listen: "0.0.0.0", port: 5901)],
                 image: "debian-12", flavor: "m1.tiny", project: "engineering", createdAt: ago(40, 14, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default"]),
        Instance(id: "ab5b2a62-59c4-4e0b-bea0-725555cd0879", name: "cache-01", state: .shutdown,
                 vcpus: 1, memoryMiB: 1024,
                 disks: [root("cache-01", gib(10), made: true)],
                 interfaces: [nic(0, "52:54:00:08:00:d0", "backend")],
                 image: "ubuntu-24.04", flavor: "ds1G", project: "admin", createdAt: ago(38, 5),
                 hostname: "vm", keypair: "ops-bastion", securityGroups: ["default"]),
        Instance(id: "d8a5a011-e1da-44f6-a33d-28579010005a", name: "ci runner 3", state: .suspended,
                 vcpus: 4, memoryMiB: 4096,
                 disks: [root("ci runner 3", gib(25), made: false)],
                 interfaces: [nic(0, "52:54:00:06:00:0a", "default", "192.168.122.123")],
                 image: "debian-12", flavor: "ds4G", project: "engineering", createdAt: ago(35, 19, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default"]),
        Instance(id: "bdb1a011-e1e1-44f6-a246-28579015005a", name: "ci runner 4", state: .shutoff,
                 vcpus: 4, memoryMiB: 4096,
                 disks: [root("ci runner 4", gib(25), made: false)],
                 interfaces: [nic(0, "52:54:00:07:00:55", "default")],
                 image: "fedora 40 cloud", flavor: "ds4G", project: "engineering", createdAt: ago(32, 10),
                 hostname: "vm", keypair: "alice-laptop", securityGroups: ["default"]),
        Instance(id: "9d85e82d-619a-4896-a40a-31aba154920f", name: "db primary", state: .running,
                 vcpus: 4, memoryMiB: 8192,
                 disks: [root("db primary", gib(40), made: false),
                         InstanceDisk(target: "vdb", source: volumesDirectory + "data-01", format: "raw",
                                      capacityBytes: gib(100), bus: "virtio", deleteOnTermination: false)],
                 interfaces: [nic(0, "52:54:00:03:00:69", "backend", "10.10.0.161"),
                              nic(1, "52:54:00:03:01:b6", "default", "192.168.122.64")],
                 image: "ubuntu-24.04", flavor: "m1.large", project: "admin", createdAt: ago(30, 0, 30),
                 hostname: "vm", keypair: "ops-bastion", securityGroups: ["default"], locked: true),
        Instance(id: "4b62fa99-22bf-4ca1-b09f-ff008f04ff69", name: "lb-edge", state: .running,
                 vcpus: 2, memoryMiB: 1024,
                 disks: [root("lb-edge", gib(10), made: true)],
                 interfaces: [nic(0, "52:54:00:09:00:fb", "dmz", "172.16.5.171"),
                              nic(1, "52:54:00:09:01:48", "default", "192.168.122.164"),
                              nic(2, "52:54:00:09:09:b0", "br-ext", "192.168.0.3", model: "e1000", type: "bridge")],
                 graphics: [GraphicsConsole(type: "spice", listen: "127.0.0.1", autoport: true)],
                 image: "debian-12", flavor: "custom.2c1g", project: "engineering", createdAt: ago(27, 15),
                 hostname: "vm", keypair: "alice-laptop", securityGroups: ["default", "web"]),
        Instance(id: "6696d3d5-caa1-4ec0-99fe-c4356462e146", name: "log collector", state: .paused,
                 vcpus: 1, memoryMiB: 2048,
                 disks: [root("log collector", gib(15), made: false),
                         InstanceDisk(target: "vdb", source: volumesDirectory + "logs-büro", format: "qcow2",
                                      capacityBytes: gib(50), bus: "virtio", deleteOnTermination: false)],
                 interfaces: [nic(0, "52:54:00:0d:00:18", "backend", "10.10.1.65")],
                 image: "fedora 40 cloud", flavor: "m1.small", project: "engineering", createdAt: ago(24, 5, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default"]),
        Instance(id: "87182ca0-3fff-4e79-8671-8248ac634b43", name: "monitoring", state: .running,
                 vcpus: 2, memoryMiB: 3072,
                 disks: [root("monitoring", gib(20), made: true)],
                 interfaces: [nic(0, "52:54:00:0b:00:4e", "default", "192.168.122.203"),
                              nic(1, "52:54:00:0b:01:01", "backend", "10.10.1.46")],
                 graphics: [GraphicsConsole(type: "vnc", listen: "127.0.0.1", autoport: true)],
                 image: "ubuntu-24.04", flavor: "custom.2c3g", project: "admin", createdAt: ago(21, 20),
                 hostname: "vm", keypair: "ops-bastion", securityGroups: ["default"]),
        Instance(id: "ebfaec25-0276-463f-b882-9e58852d6463", name: "staging-api", state: .shutoff,
                 vcpus: 2, memoryMiB: 2048,
                 disks: [root("staging-api", gib(20), made: true)],
                 interfaces: [nic(0, "52:54:00:0e:00:45", "default")],
                 image: "debian-12", flavor: "ds2G", project: "engineering", createdAt: ago(19, 10, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default", "web"]),
        Instance(id: "b27920b4-fa24-4d56-bd34-49ad973a30fb", name: "tiny-test", state: .shutoff,
                 vcpus: 1, memoryMiB: 256,
                 disks: [root("tiny-test", gib(1), made: true),
                         InstanceDisk(target: "sda", source: imagesDirectory + "cirros-0.6.2.img", device: .cdrom, format: "raw",
                                      capacityBytes: mib(117), bus: "sata", readOnly: true, deleteOnTermination: false)],
                 interfaces: [nic(0, "52:54:00:0f:00:3a", "default")],
                 image: "cirros-0.6.2", flavor: "cirros256", project: "engineering", createdAt: ago(17, 1),
                 hostname: "vm", keypair: "alice-laptop", securityGroups: ["default"]),
        Instance(id: "07fe8ae7-399e-456c-a2a7-881c6e7319eb", name: "web-01", state: .running,
                 vcpus: 2, memoryMiB: 2048,
                 disks: [root("web-01", gib(20), made: true)],
                 interfaces: [nic(0, "52:54:00:00:00:28", "default", "192.168.122.3")],
                 graphics: [GraphicsConsole(type: "vnc", listen: "127.0.0.1", autoport: true)],
                 image: "ubuntu-24.04", flavor: "ds2G", project: "admin", createdAt: ago(13, 15, 30),
                 hostname: "vm", keypair: "ops-bastion", securityGroups: ["default"]),
        Instance(id: "baff8ae7-399f-456c-afa5-881c6e7219eb", name: "web-02", state: .running,
                 vcpus: 2, memoryMiB: 2048,
                 disks: [root("web-02", gib(20), made: true)],
                 interfaces: [nic(0, "52:54:00:01:00:b3", "default", "192.168.122.23")],
                 graphics: [GraphicsConsole(type: "vnc", listen: "127.0.0.1", autoport: true)],
                 image: "debian-12", flavor: "ds2G", project: "engineering", createdAt: ago(11, 6),
                 hostname: "vm", keypair: "alice-laptop", securityGroups: ["default", "web"]),
        Instance(id: "6d018be7-39a0-456c-bca3-881c6e7119eb", name: "web-03", state: .paused,
                 vcpus: 2, memoryMiB: 2048,
                 disks: [root("web-03", gib(20), made: true)],
                 interfaces: [nic(0, "52:54:00:02:00:5e", "default", "192.168.122.43")],
                 image: "fedora 40 cloud", flavor: "ds2G", project: "engineering", createdAt: ago(8, 20, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default", "web"]),
        Instance(id: "8bb7e800-7e39-4cae-9a54-fe50acd43158", name: "Ünïcødé-büild", state: .crashed,
                 vcpus: 2, memoryMiB: 4096,
                 disks: [root("Ünïcødé-büild", gib(30), made: true)],
                 interfaces: [nic(0, "52:54:00:05:00:1f", "default")],
                 graphics: [GraphicsConsole(type: "vnc", listen: "127.0.0.1", port: 5905)],
                 image: "ubuntu-24.04", flavor: "m1.medium", project: "admin", createdAt: ago(5, 11),
                 hostname: "vm", keypair: "ops-bastion", securityGroups: ["default"]),
        Instance(id: "b682264c-537c-4697-a131-619b51ea5a40", name: "数据库-replica", state: .paused,
                 vcpus: 4, memoryMiB: 8192,
                 disks: [root("数据库-replica", gib(40), made: true)],
                 interfaces: [nic(0, "52:54:00:04:00:54", "backend", "10.10.0.181")],
                 image: "debian-12", flavor: "m1.large", project: "engineering", createdAt: ago(3, 1, 30),
                 hostname: "vm", keypair: "ci-deploy", securityGroups: ["default", "db"]),
    ]

    static let images: [Image] = [
        image("cirros-0.6.2.img", name: "cirros-0.6.2", format: "raw", size: mib(117), os: "CirrOS 0.6.2",
              minDiskGiB: 1, minRamMiB: 64, visibility: .public, project: "admin", createdAt: ago(95)),
        image("debian-12.qcow2", name: "debian-12", format: "qcow2", size: gib(1), os: "Debian 12",
              minDiskGiB: 8, minRamMiB: 1024, visibility: .public, project: "admin", createdAt: ago(86)),
        image("fedora 40 cloud.qcow2", name: "fedora 40 cloud", format: "qcow2", size: gib(5), os: "Fedora 40",
              minDiskGiB: 10, minRamMiB: 2048, visibility: .public, project: "admin", createdAt: ago(77)),
        image("ubuntu-24.04.qcow2", name: "ubuntu-24.04", format: "qcow2", size: mib(3584), os: "Ubuntu 24.04",
              minDiskGiB: 10, minRamMiB: 1024, visibility: .shared, project: "engineering", createdAt: ago(68)),
    ]

    static let volumes: [Volume] = [
        volume("backup vol", size: gib(200), allocated: gib(9), format: "raw", attachedTo: "backup-agent", project: "engineering"),
        rootVolume(of: "backup-agent", size: gib(10), allocated: mib(1270), project: "engineering"),
        rootVolume(of: "bastion", size: gib(10), allocated: mib(1270), project: "engineering"),
        rootVolume(of: "cache-01", size: gib(10), allocated: mib(1270), project: "admin"),
        rootVolume(of: "ci runner 3", size: gib(25), allocated: mib(1825), project: "engineering"),
        rootVolume(of: "ci runner 4", size: gib(25), allocated: mib(1825), project: "engineering"),
        volume("data-01", size: gib(100), allocated: gib(6), format: "raw", attachedTo: "db primary", project: "admin"),
        rootVolume(of: "db primary", size: gib(40), allocated: mib(2380), project: "admin"),
        rootVolume(of: "lb-edge", size: gib(10), allocated: mib(1270), project: "engineering"),
        rootVolume(of: "log collector", size: gib(15), allocated: mib(1455), project: "engineering"),
        volume("logs-büro", size: gib(50), allocated: mib(1200), format: "qcow2", attachedTo: "log collector", project: "engineering"),
        rootVolume(of: "monitoring", size: gib(20), allocated: mib(1640), project: "admin"),
        rootVolume(of: "staging-api", size: gib(20), allocated: mib(1640), project: "engineering"),
        rootVolume(of: "tiny-test", size: gib(1), allocated: mib(937), project: "engineering"),
        rootVolume(of: "web-01", size: gib(20), allocated: mib(1640), project: "admin"),
        rootVolume(of: "web-02", size: gib(20), allocated: mib(1640), project: "engineering"),
        rootVolume(of: "web-03", size: gib(20), allocated: mib(1640), project: "engineering"),
        rootVolume(of: "Ünïcødé-büild", size: gib(30), allocated: mib(2010), project: "admin"),
        rootVolume(of: "数据库-replica", size: gib(40), allocated: mib(2380), project: "engineering"),
    ]

    static let pools: [StoragePool] = [
        StoragePool(id: "4ab761cb-38e5-4eb6-934a-48c91a7e32ff", name: "default", type: "dir", path: "/var/lib/stacktop-demo/volumes", active: true,
                    capacityBytes: gib(100), allocationBytes: mib(42652), availableBytes: mib(59748)),
        StoragePool(id: "b7bd716b-5ded-4920-90d1-a6aba6a5c852", name: "images", type: "dir", path: "/var/lib/stacktop-demo/images", active: true,
                    capacityBytes: gib(100), allocationBytes: mib(1514), availableBytes: mib(100886)),
    ]

    static let networks: [Network] = [
        Network(id: "ddbaca80-e335-4bdc-b225-aa8d62d0fc48", name: "backend", bridge: "virbr1", forwardMode: "isolated",
                subnets: [Subnet(cidr: "10.10.0.0/24", gateway: "10.10.0.1", dhcpStart: "10.10.0.100", dhcpEnd: "10.10.0.199")],
                project: "engineering"),
        Network(id: "88a6fe74-f9ce-461c-b334-f375b278ccd9", name: "default", bridge: "virbr0", forwardMode: "nat",
                subnets: [Subnet(cidr: "192.168.122.0/24", gateway: "192.168.122.1", dhcpStart: "192.168.122.2", dhcpEnd: "192.168.122.254")],
                project: "admin", shared: true),
        Network(id: "dad6806c-f05f-48a9-a90a-a4caf444e6b8", name: "dmz", bridge: "virbr2", forwardMode: "route",
                subnets: [Subnet(cidr: "172.16.5.0/24", gateway: "172.16.5.1", dhcpStart: "172.16.5.10", dhcpEnd: "172.16.5.50")],
                project: "admin"),
    ]

    static let securityGroups: [SecurityGroup] = [
        SecurityGroup(id: "fbf6e661-f7f1-5c4b-a042-0964c47f8100", name: "default", description: "Default security group",
                      project: "engineering", rules: [
            rule("948f35ed-9b02-5743-a976-4a2682ab22d7", .ingress, remoteGroup: "default"),
            rule("948f36ed-9b02-58f6-a976-4a2682ab3ad4", .ingress, ethertype: "IPv6", remoteGroup: "default"),
            rule("948f37ed-9b02-5aa9-a976-4a2682ab32d5", .egress),
            rule("948f38ed-9b02-5c5c-a976-4a2682ab4ad2", .egress, ethertype: "IPv6"),
        ]),
        SecurityGroup(id: "e205581a-f1e0-5290-ab23-c3533c3b47b4", name: "web", description: "Public web traffic and SSH",
                      project: "engineering", rules: [
            rule("3050de53-4887-5c32-ae94-0c546bf892c7", .ingress, protocol: "tcp", port: 22, remoteCIDR: "0.0.0.0/0"),
            rule("3050dd53-4887-5a7f-ae94-0c546bf88ac4", .ingress, protocol: "tcp", port: 80, remoteCIDR: "0.0.0.0/0"),
            rule("3050dc53-4887-58cc-ae94-0c546bf882c5", .ingress, protocol: "tcp", port: 443, remoteCIDR: "0.0.0.0/0"),
            rule("3050db53-4887-5719-ae94-0c546bf8bac2", .ingress, ethertype: "IPv6", protocol: "tcp", port: 443, remoteCIDR: "::/0"),
            rule("3050da53-4887-5566-ae94-0c546bf8b2c3", .ingress, protocol: "icmp", remoteCIDR: "0.0.0.0/0"),
            rule("3050d953-4887-53b3-ae94-0c546bf8aac0", .egress, remoteCIDR: "0.0.0.0/0"),
        ]),
        SecurityGroup(id: "b56cbba6-0518-536c-a504-4b8fcedc9f19", name: "db", description: "PostgreSQL from the application subnet only",
                      project: "engineering", rules: [
            rule("8fc4f1ba-2ef2-56fe-a57c-7e46b316b310", .ingress, protocol: "tcp", port: 5432, remoteCIDR: "10.10.0.0/24"),
            rule("8fc4f0ba-2ef2-554b-a57c-7e46b316bb13", .ingress, protocol: "tcp", port: 22, remoteCIDR: "10.10.0.0/24"),
            rule("8fc4efba-2ef2-5398-a57c-7e46b3164312", .ingress, protocol: "icmp", remoteCIDR: "10.10.0.0/24"),
            rule("8fc4f6ba-2ef2-5f7d-a57c-7e46b3168b15", .egress, remoteCIDR: "0.0.0.0/0"),
        ]),
        SecurityGroup(id: "755b0d5a-2249-5cfb-a348-58428fd7a1bb", name: "default", description: "Default security group",
                      project: "admin", rules: [
            rule("b820df64-1b42-5daf-a843-336b200a185d", .ingress, remoteGroup: "default"),
            rule("b820e064-1b42-5f62-a843-336b200be05e", .ingress, ethertype: "IPv6", remoteGroup: "default"),
            rule("b820e164-1b43-5115-a843-336b200be85f", .egress),
            rule("b820da64-1b42-5530-a843-336b200a3058", .egress, ethertype: "IPv6"),
        ]),
    ]

    static let volumeSnapshots: [VolumeSnapshot] = [
        VolumeSnapshot(id: "bea8515d-45a4-5a53-a7f3-e5c2ceed9c8f", name: "logs-büro-weekly",
                       volumeID: "/var/lib/stacktop-demo/volumes/logs-büro", volumeName: "logs-büro",
                       sizeBytes: 53_687_091_200, description: "Before the log retention change", project: "engineering",
                       createdAt: now.addingTimeInterval(-2 * 86_400)),
    ]

    static let quotas: [ProjectQuotas] = [
        ProjectQuotas(project: "engineering", usages: [
            QuotaUsage(resource: .instances, used: 11, limit: 12),
            QuotaUsage(resource: .cores, used: 24, limit: 27),
            QuotaUsage(resource: .ramMiB, used: 27392, limit: 32768),
            QuotaUsage(resource: .volumes, used: 13, limit: 18),
            QuotaUsage(resource: .gigabytes, used: 446, limit: 1000),
            QuotaUsage(resource: .snapshots, used: 1, limit: 10),
            QuotaUsage(resource: .networks, used: 1, limit: 100),
            QuotaUsage(resource: .securityGroups, used: 3, limit: 8),
            QuotaUsage(resource: .securityGroupRules, used: 14, limit: 100),
            QuotaUsage(resource: .keypairs, used: 2, limit: 100),
        ]),
        ProjectQuotas(project: "admin", usages: [
            QuotaUsage(resource: .instances, used: 5, limit: 10),
            QuotaUsage(resource: .cores, used: 11, limit: 20),
            QuotaUsage(resource: .ramMiB, used: 18432, limit: 51200),
            QuotaUsage(resource: .volumes, used: 6, limit: 10),
            QuotaUsage(resource: .gigabytes, used: 220, limit: 1000),
            QuotaUsage(resource: .snapshots, used: 0, limit: 10),
            QuotaUsage(resource: .networks, used: 2, limit: 100),
            QuotaUsage(resource: .securityGroups, used: 1, limit: 10),
            QuotaUsage(resource: .securityGroupRules, used: 4, limit: 100),
            QuotaUsage(resource: .keypairs, used: 1, limit: 100),
        ]),
    ]

    static let flavors: [Flavor] = [
        Flavor(id: "c1", name: "cirros256", vcpus: 1, ramMiB: 256, diskGiB: 1),
        Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1),
        Flavor(id: "d1", name: "ds512M", vcpus: 1, ramMiB: 512, diskGiB: 5),
        Flavor(id: "d2", name: "ds1G", vcpus: 1, ramMiB: 1024, diskGiB: 10),
        Flavor(id: "2", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20),
        Flavor(id: "d1fdf6dc-9998-5c3a-a23b-4872f871ae96", name: "custom.2c1g", vcpus: 2, ramMiB: 1024, diskGiB: 10, isPublic: false),
        Flavor(id: "d3", name: "ds2G", vcpus: 2, ramMiB: 2048, diskGiB: 10),
        Flavor(id: "d1f6e6dc-9992-525c-a22b-4672f835d22c", name: "custom.2c3g", vcpus: 2, ramMiB: 3072, diskGiB: 20, isPublic: false),
        Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40),
        Flavor(id: "d4", name: "ds4G", vcpus: 4, ramMiB: 4096, diskGiB: 20),
        Flavor(id: "4", name: "m1.large", vcpus: 4, ramMiB: 8192, diskGiB: 80),
        Flavor(id: "5", name: "m1.xlarge", vcpus: 8, ramMiB: 16384, diskGiB: 160),
    ]

    static let keypairs: [Keypair] = [
        Keypair(name: "alice-laptop", fingerprint: "85:80:ac:e3:5c:d9:78:45:63:68:0c:2a:39:5f:2d:f1",
                publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILmppkpocxnUZdAJWqaXRy0rDnUDn7pLyqiX+q6urUCB alice-laptop",
                project: "engineering", createdAt: ago(62)),
        Keypair(name: "ci-deploy", fingerprint: "5a:b4:7f:ee:0d:90:fb:1d:31:87:f5:67:19:39:87:ce",
                publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJEv5BA6efdDTVAtEqdaPmZb09wi00AOrcNAzO5qQhE9 ci-deploy",
                project: "engineering", createdAt: ago(48)),
        Keypair(name: "ops-bastion", fingerprint: "60:b9:c2:b3:3b:b5:b7:b5:22:34:ef:dd:64:99:91:57",
                publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH1skfj6MkaJJl8WjSsWFVgDkvr8IvhvPADIOe5digjz ops-bastion",
                project: "admin", createdAt: ago(91)),
    ]

    static let projects: [Project] = [
        Project(id: "caa648d6-e16a-5942-af8c-fa0446d3e388", name: "engineering",
                description: "Web shop team: storefront, API and its databases"),
        Project(id: "58a2f1d0-9fb9-5992-acd1-1a36d506b9b9", name: "admin",
                description: "Cloud operators: monitoring, bastion and shared services"),
    ]

    static let hypervisors: [Hypervisor] = [
        Hypervisor(id: "vm", hostname: "vm", type: "TEST", state: "up", status: "enabled",
                   vcpus: 16, vcpusUsed: 21, memoryMiB: 65536, memoryUsedMiB: 30208, runningVMs: 6),
    ]

    /// What each security group becomes on the host, as the Security Groups panel's details show it.
    static let networkFilters: [String: [DetailBlock]] = Dictionary(uniqueKeysWithValues: [
        defaultGroupFilter(of: "fbf6e661-f7f1-5c4b-a042-0964c47f8100", project: "engineering"),
        groupFilter(of: "e205581a-f1e0-5290-ab23-c3533c3b47b4", name: "web", project: "engineering", rules: [
            tcpIn(22, from: "0.0.0.0", mask: 0), tcpIn(80, from: "0.0.0.0", mask: 0),
            tcpIn(443, from: "0.0.0.0", mask: 0), tcpIn(443, from: "::", mask: 0, ipv6: true),
            accept("in", "icmp state='NEW' srcipaddr='0.0.0.0' srcipmask='0'"), anythingOut,
        ]),
        groupFilter(of: "b56cbba6-0518-536c-a504-4b8fcedc9f19", name: "db", project: "engineering", rules: [
            tcpIn(5432, from: "10.10.0.0", mask: 24), tcpIn(22, from: "10.10.0.0", mask: 24),
            accept("in", "icmp state='NEW' srcipaddr='10.10.0.0' srcipmask='24'"), anythingOut,
        ]),
        defaultGroupFilter(of: "755b0d5a-2249-5cfb-a348-58428fd7a1bb", project: "admin"),
    ])

    /// The addresses a `default` group admits (its rule "from group default"): every instance's, whichever its
    /// project, in both projects' groups alike, because the demo's filters find a remote group's members by
    /// the group's name alone. The agreement test says when that changes.
    static let defaultGroupMembers = [
        "172.16.5.191", "192.168.122.123", "10.10.0.161", "192.168.122.64", "172.16.5.171",
        "192.168.122.164", "192.168.0.3", "10.10.1.65", "192.168.122.203", "10.10.1.46",
        "192.168.122.3", "192.168.122.23", "192.168.122.43", "10.10.0.181",
    ]

    /// The filter of a project's `default` group: members in (IPv4 only; no member has an IPv6 address), all out.
    static func defaultGroupFilter(of group: String, project: String) -> (String, [DetailBlock]) {
        let members = defaultGroupMembers.map { accept("in", "all state='NEW' srcipaddr='\($0)' srcipmask='32'") }
        return groupFilter(of: group, name: "default", project: project, rules: members + [
            ["  <!-- ingress IPv6 from group default: no member address known yet, so nothing is allowed -->"],
            accept("out", "all state='NEW'"), accept("out", "all-ipv6 state='NEW'"),
        ])
    }

    /// A security group's network filter as the host writes it: a comment naming the group, then its rules.
    static func groupFilter(of group: String, name: String, project: String, rules: [[String]]) -> (String, [DetailBlock]) {
        let xml = ["<filter name='stacktop-sg-\(group)' chain='root'>",
                   "  <!-- stacktop security group \(name) (project \(project)) -->"]
            + rules.joined() + ["</filter>"]
        return networkFilter(of: group, xml.joined(separator: "\n"))
    }

    /// A filter rule that accepts the traffic `element` matches (a libvirt protocol element's inside).
    static func accept(_ direction: String, _ element: String) -> [String] {
        ["  <rule action='accept' direction='\(direction)' priority='500'>", "    <\(element)/>", "  </rule>"]
    }

    /// New TCP connections in to `port` from a CIDR.
    static func tcpIn(_ port: Int, from address: String, mask: Int, ipv6: Bool = false) -> [String] {
        accept("in", (ipv6 ? "tcp-ipv6" : "tcp") + " state='NEW' dstportstart='\(port)' dstportend='\(port)' "
            + "srcipaddr='\(address)' srcipmask='\(mask)'")
    }

    /// A group's usual egress rule: any new IPv4 connection out.
    static let anythingOut = accept("out", "all state='NEW' dstipaddr='0.0.0.0' dstipmask='0'")

    // MARK: The shapes the demo repeats

    static let volumesDirectory = "/var/lib/stacktop-demo/volumes/"
    static let imagesDirectory = "/var/lib/stacktop-demo/images/"

    static func gib(_ count: UInt64) -> UInt64 { count << 30 }
    static func mib(_ count: UInt64) -> UInt64 { count << 20 }

    /// `now` less whole days, hours and minutes (the seed gives every instance a different hour).
    static func ago(_ days: Int, _ hours: Int = 0, _ minutes: Int = 0) -> Date {
        now.addingTimeInterval(-Double(days * 86_400 + hours * 3_600 + minutes * 60))
    }

    /// The instance's root disk, `NAME-root.qcow2` in the volumes pool; `made`: its launch made it, so it
    /// goes with the instance.
    static func root(_ instance: String, _ bytes: UInt64, made: Bool) -> InstanceDisk {
        InstanceDisk(target: "vda", source: volumesDirectory + instance + "-root.qcow2", format: "qcow2",
                     capacityBytes: bytes, bus: "virtio", deleteOnTermination: made)
    }

    /// A virtio interface on a libvirt network, `testnetN` on the host, with its one address where known.
    static func nic(_ index: Int, _ mac: String, _ network: String, _ address: String? = nil,
                    model: String = "virtio", type: String = "network") -> InstanceInterface {
        InstanceInterface(mac: mac, network: network, type: type, model: model,
                          addresses: address.map { [$0] } ?? [], targetDevice: "testnet\(index)")
    }

    static func image(_ file: String, name: String, format: String, size: UInt64, os: String, minDiskGiB: Int,
                      minRamMiB: Int, visibility: Image.Visibility, project: String, createdAt: Date) -> Image {
        Image(id: imagesDirectory + file, name: name, format: format, sizeBytes: size, pool: "images",
              path: imagesDirectory + file, os: os, minDiskGiB: minDiskGiB, minRamMiB: minRamMiB,
              visibility: visibility, project: project, createdAt: createdAt)
    }

    /// A volume of the volumes pool in use by one instance.
    static func volume(_ name: String, size: UInt64, allocated: UInt64, format: String, attachedTo instance: String,
                       project: String, bootable: Bool = false) -> Volume {
        Volume(id: volumesDirectory + name, name: name, sizeBytes: size, allocationBytes: allocated, pool: "default",
               path: volumesDirectory + name, format: format, status: "in-use", attachedTo: [instance],
               project: project, bootable: bootable)
    }

    static func rootVolume(of instance: String, size: UInt64, allocated: UInt64, project: String) -> Volume {
        volume(instance + "-root.qcow2", size: size, allocated: allocated, format: "qcow2", attachedTo: instance,
               project: project, bootable: true)
    }

    static func rule(_ id: String, _ direction: SecurityGroupRule.Direction, ethertype: String = "IPv4",
                     protocol: String? = nil, port: Int? = nil, remoteCIDR: String? = nil,
                     remoteGroup: String? = nil) -> SecurityGroupRule {
        SecurityGroupRule(id: id, direction: direction, ethertype: ethertype, protocol: `protocol`, portMin: port,
                          portMax: port, remoteCIDR: remoteCIDR, remoteGroup: remoteGroup)
    }

    /// The details block a security group's network filter shows, keyed as the snapshot keys it.
    static func networkFilter(of group: String, _ xml: String) -> (String, [DetailBlock]) {
        let name = "stacktop-sg-" + group
        return (DetailBlock.key(kind: "secgroup", id: group),
                [DetailBlock(title: "As a libvirt network filter (\(name))",
                             lines: xml.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))])
    }
}

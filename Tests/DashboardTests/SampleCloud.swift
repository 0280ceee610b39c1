import StacktopModel
import FoundationEssentials

/// A small hand-made cloud for reducer tests (screens are snapshot-tested on the real demo cloud).
enum SampleCloud {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func instance(_ n: Int, _ name: String, _ state: InstanceState, vcpus: Int = 1, ram: Int = 1024,
                         project: String = "admin") -> Instance {
        Instance(id: "uuid-\(n)", name: name, state: state, vcpus: vcpus, memoryMiB: ram,
                 disks: [InstanceDisk(target: "vda", source: "/pool/\(name).qcow2", format: "qcow2", capacityBytes: 10 << 30)],
                 interfaces: [InstanceInterface(mac: "52:54:00:00:00:0\(n)", network: "default", addresses: ["192.168.122.\(10 + n)"])],
                 image: "debian-12", flavor: "m1.small", project: project,
                 createdAt: now.addingTimeInterval(Double(-n * 86400)))
    }

    static let snapshot = CloudSnapshot(
        instances: [
            instance(1, "web-01", .running, vcpus: 2, ram: 2048),
            instance(2, "web-10", .running),
            instance(3, "web-2", .paused),
            instance(4, "db primary", .shutoff, vcpus: 4, ram: 8192, project: "demo"),
            instance(5, "Ünïcødé-büild", .crashed),
        ],
        networks: [Network(id: "net-1", name: "default", bridge: "virbr0", forwardMode: "nat",
                           subnets: [Subnet(cidr: "192.168.122.0/24", gateway: "192.168.122.1")])],
        quotas: [ProjectQuotas(project: "admin", usages: [
            QuotaUsage(resource: .instances, used: 9, limit: 10),
            QuotaUsage(resource: .cores, used: 10, limit: 20),
        ])],
        projects: [Project(id: "p1", name: "admin"), Project(id: "p2", name: "demo")],
        takenAt: now)
}

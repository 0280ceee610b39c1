import StacktopModel
import StacktopServices
import StacktopStore

/// Fills a fresh store so the demo host looks like a small, lived-in cloud: two projects, the
/// classic m1 flavors, keypairs, security groups, one project close to its quota, image metadata
/// for the "images" pool, an owner for every instance, volume and network, and one volume snapshot.
/// Deterministic for a given inventory and `now` (stable ids, fixed ages), and safe to re-apply.
public enum DemoSeed {
    /// The busy project, listed first so the Overview opens on its nearly full quota bars.
    public static let busyProject = "engineering"
    public static let adminProject = "admin"
    /// The pool whose volumes become images.
    public static let imagePool = "images"

    public static func apply(to store: StateStore, inventory: HostInventory, now: Date = Date()) throws {
        try store.upsertProject(Project(id: stableID("project", busyProject), name: busyProject,
                                        description: "Web shop team: storefront, API and its databases"))
        try store.upsertProject(Project(id: stableID("project", adminProject), name: adminProject,
                                        description: "Cloud operators: monitoring, bastion and shared services"))
        let catalogue = flavors(for: inventory)
        for flavor in catalogue { try store.upsertFlavor(flavor) }
        for keypair in keypairs(now: now) { try store.upsertKeypair(keypair) }
        for group in securityGroups { try store.upsertSecurityGroup(group) }

        let images = try seedImages(store, inventory: inventory, now: now)
        let owners = try seedInstances(store, inventory: inventory, images: images, flavors: catalogue, now: now)
        let busyVolumes = try seedVolumes(store, inventory: inventory, instanceOwners: owners)
        try seedVolumeSnapshot(store, inventory: inventory, now: now)
        try seedNetworks(store, inventory: inventory)
        try seedQuotas(store, inventory: inventory, instanceOwners: owners, busyVolumes: busyVolumes)
    }

    /// The classic m1 flavors (ids 1-5 are the ids OpenStack gave them) and DevStack's small ones,
    /// which cover the odd sizes test hosts are made of.
    public static let standardFlavors: [Flavor] = [
        Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1),
        Flavor(id: "2", name: "m1.small", vcpus: 1, ramMiB: 2048, diskGiB: 20),
        Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40),
        Flavor(id: "4", name: "m1.large", vcpus: 4, ramMiB: 8192, diskGiB: 80),
        Flavor(id: "5", name: "m1.xlarge", vcpus: 8, ramMiB: 16384, diskGiB: 160),
        Flavor(id: "c1", name: "cirros256", vcpus: 1, ramMiB: 256, diskGiB: 1),
        Flavor(id: "d1", name: "ds512M", vcpus: 1, ramMiB: 512, diskGiB: 5),
        Flavor(id: "d2", name: "ds1G", vcpus: 1, ramMiB: 1024, diskGiB: 10),
        Flavor(id: "d3", name: "ds2G", vcpus: 2, ramMiB: 2048, diskGiB: 10),
        Flavor(id: "d4", name: "ds4G", vcpus: 4, ramMiB: 4096, diskGiB: 20),
    ]

    /// The standard flavors plus a private "custom.2c3g" style flavor for every instance size
    /// none of them has, so every demo instance shows a flavor that agrees with its size.
    public static func flavors(for inventory: HostInventory) -> [Flavor] {
        var result = standardFlavors
        for instance in inventory.instances
        where LocalSnapshotAssembler.matchFlavor(vcpus: instance.vcpus, memoryMiB: instance.memoryMiB, in: result) == nil {
            let ram = instance.memoryMiB % 1024 == 0 ? "\(instance.memoryMiB / 1024)g" : "\(instance.memoryMiB)m"
            let name = "custom.\(instance.vcpus)c\(ram)"
            let rootGiB = instance.disks.first { $0.target == "vda" }?.capacityBytes.map(QuotaCalculator.wholeGiB)
            result.append(Flavor(id: stableID("flavor", name), name: name, vcpus: instance.vcpus,
                                 ramMiB: instance.memoryMiB, diskGiB: rootGiB ?? 10, isPublic: false))
        }
        return result
    }

    // Real ed25519 keys made with ssh-keygen for the demo (private halves discarded); fingerprints
    // are `ssh-keygen -l -E md5`, the form Nova shows.
    static func keypairs(now: Date) -> [Keypair] {
        [
            Keypair(name: "alice-laptop", fingerprint: "85:80:ac:e3:5c:d9:78:45:63:68:0c:2a:39:5f:2d:f1",
                    publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILmppkpocxnUZdAJWqaXRy0rDnUDn7pLyqiX+q6urUCB alice-laptop",
                    project: busyProject, createdAt: now.addingDays(-62)),
            Keypair(name: "ci-deploy", fingerprint: "5a:b4:7f:ee:0d:90:fb:1d:31:87:f5:67:19:39:87:ce",
                    publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJEv5BA6efdDTVAtEqdaPmZb09wi00AOrcNAzO5qQhE9 ci-deploy",
                    project: busyProject, createdAt: now.addingDays(-48)),
            Keypair(name: "ops-bastion", fingerprint: "60:b9:c2:b3:3b:b5:b7:b5:22:34:ef:dd:64:99:91:57",
                    publicKey: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIH1skfj6MkaJJl8WjSsWFVgDkvr8IvhvPADIOe5digjz ops-bastion",
                    project: adminProject, createdAt: now.addingDays(-91)),
        ]
    }

    static let securityGroups: [SecurityGroup] = [
        defaultGroup(project: busyProject),
        SecurityGroup(id: stableID("secgroup", busyProject, "web"), name: "web",
                      description: "Public web traffic and SSH", project: busyProject, rules: [
            rule("web", 1, .ingress, "tcp", 22, "0.0.0.0/0"),
            rule("web", 2, .ingress, "tcp", 80, "0.0.0.0/0"),
            rule("web", 3, .ingress, "tcp", 443, "0.0.0.0/0"),
            rule("web", 4, .ingress, "tcp", 443, "::/0", ethertype: "IPv6"),
            rule("web", 5, .ingress, "icmp", nil, "0.0.0.0/0"),
            rule("web", 6, .egress, nil, nil, "0.0.0.0/0"),
        ]),
        SecurityGroup(id: stableID("secgroup", busyProject, "db"), name: "db",
                      description: "PostgreSQL from the application subnet only", project: busyProject, rules: [
            rule("db", 1, .ingress, "tcp", 5432, "10.10.0.0/24"),
            rule("db", 2, .ingress, "tcp", 22, "10.10.0.0/24"),
            rule("db", 3, .ingress, "icmp", nil, "10.10.0.0/24"),
            rule("db", 4, .egress, nil, nil, "0.0.0.0/0"),
        ]),
        defaultGroup(project: adminProject),
    ]

    /// What OpenStack creates in every project: members reach each other, everything goes out.
    static func defaultGroup(project: String) -> SecurityGroup {
        let name = "default-\(project)"
        return SecurityGroup(id: stableID("secgroup", project, "default"), name: "default",
                             description: "Default security group", project: project, rules: [
            rule(name, 1, .ingress, nil, nil, nil, remoteGroup: "default"),
            rule(name, 2, .ingress, nil, nil, nil, ethertype: "IPv6", remoteGroup: "default"),
            rule(name, 3, .egress, nil, nil, nil),
            rule(name, 4, .egress, nil, nil, nil, ethertype: "IPv6"),
        ])
    }

    static func rule(_ group: String, _ number: Int, _ direction: SecurityGroupRule.Direction, _ proto: String?,
                     _ port: Int?, _ cidr: String?, ethertype: String = "IPv4",
                     remoteGroup: String? = nil) -> SecurityGroupRule {
        SecurityGroupRule(id: stableID("rule", group, String(number)), direction: direction, ethertype: ethertype,
                          protocol: proto, portMin: port, portMax: port, remoteCIDR: cidr, remoteGroup: remoteGroup)
    }

    /// Image metadata for every volume of the images pool; returns it sorted by name.
    static func seedImages(_ store: StateStore, inventory: HostInventory, now: Date) throws -> [ImageMetadata] {
        let volumes = inventory.poolVolumes.filter { $0.pool == imagePool }.sorted { $0.name < $1.name }
        var result: [ImageMetadata] = volumes.enumerated().map { index, volume in
            let name = stripExtension(volume.name)
            let family = OSFamily.matching(name)
            let isPrivate = ["custom", "golden", "internal"].contains { name.lowercased().contains($0) }
            return ImageMetadata(
                path: volume.path, name: name, os: family.map { $0.label(for: name) },
                minDiskGiB: max(family?.minDiskGiB ?? 0, QuotaCalculator.wholeGiB(volume.capacityBytes)),
                minRamMiB: family?.minRamMiB ?? 0, visibility: isPrivate ? .private : .public,
                project: isPrivate ? busyProject : adminProject,
                createdAt: now.addingDays(-Double(max(95 - index * 9, 12))))
        }
        // So the Images panel shows more than one visibility: the team shares the newest upload.
        if result.count >= 3, !result.contains(where: { $0.visibility != .public }), let last = result.indices.last {
            result[last].visibility = .shared
            result[last].project = busyProject
        }
        for metadata in result { try store.upsertImageMetadata(metadata) }
        return result
    }

    /// An owner record for every instance; returns uuid -> project.
    static func seedInstances(_ store: StateStore, inventory: HostInventory, images: [ImageMetadata],
                              flavors: [Flavor], now: Date) throws -> [String: String] {
        let lookup = VolumeIndex(inventory.poolVolumes)
        let bootImages = images.filter { !$0.path.lowercased().hasSuffix(".iso") }
        // CirrOS is a test image: only the smallest instances boot it.
        let serverImages = bootImages.filter { OSFamily.matching($0.name) != .cirros }
        let instances = inventory.instances.sorted { $0.name < $1.name }
        let firstDatabase = instances.firstIndex { role(of: $0.name) == .database }
        var owners: [String: String] = [:]
        for (index, instance) in instances.enumerated() {
            // Two of every three go to the busy project, so it ends up near its limits.
            let project = index % 3 == 2 ? adminProject : busyProject
            let groups: [String] = switch role(of: instance.name) {
            case .web where project == busyProject: ["default", "web"]
            case .database where project == busyProject: ["default", "db"]
            default: ["default"]
            }
            let keypair = project == adminProject ? "ops-bastion" : (index % 2 == 0 ? "alice-laptop" : "ci-deploy")
            // Ages from about six weeks down to a day, each at a different hour.
            let ageDays = 43.0 * Double(instances.count - index) / Double(max(instances.count, 1))
                + Double(index * 7 % 24) / 24
            try store.upsertInstanceOwnership(InstanceOwnership(
                uuid: instance.id, project: project,
                flavor: LocalSnapshotAssembler.matchFlavor(vcpus: instance.vcpus, memoryMiB: instance.memoryMiB,
                                                           in: flavors)?.name,
                image: image(for: instance, index: index, images: images,
                             bootImages: instance.memoryMiB > 512 && !serverImages.isEmpty ? serverImages : bootImages,
                             lookup: lookup)?.name,
                keypair: keypair, securityGroups: groups, createdAt: now.addingDays(-ageDays),
                locked: index == firstDatabase))
            owners[instance.id] = project
        }
        return owners
    }

    /// The image a disk reads directly, else one whose OS the name mentions, else round robin.
    static func image(for instance: Instance, index: Int, images: [ImageMetadata], bootImages: [ImageMetadata],
                      lookup: VolumeIndex) -> ImageMetadata? {
        let read = Set(instance.disks.compactMap { lookup.volume(for: $0)?.path })
        if let direct = images.first(where: { read.contains($0.path) }) { return direct }
        let lower = instance.name.lowercased()
        if let named = bootImages.first(where: { OSFamily.matching($0.name).map { lower.contains($0.rawValue) } ?? false }) {
            return named
        }
        return bootImages.isEmpty ? nil : bootImages[index % bootImages.count]
    }

    /// Every volume outside the images pool belongs to the project of the instance using it,
    /// spare ones alternate between the projects. Returns how many the busy project owns.
    static func seedVolumes(_ store: StateStore, inventory: HostInventory,
                            instanceOwners: [String: String]) throws -> Int {
        let volumes = inventory.poolVolumes.filter { $0.pool != imagePool }.sorted { $0.path < $1.path }
        let lookup = VolumeIndex(inventory.poolVolumes)
        var spare = 0
        var busy = 0
        for volume in volumes {
            let user = inventory.instances.first { $0.disks.contains { lookup.volume(for: $0)?.path == volume.path } }
            var project = user.flatMap { instanceOwners[$0.id] }
            if project == nil {
                project = spare % 2 == 0 ? busyProject : adminProject
                spare += 1
            }
            try store.setVolumeOwner(path: volume.path, project: project)
            if project == busyProject { busy += 1 }
        }
        return busy
    }

    /// One snapshot of the first qcow2 data volume (outside the images pool, booted by no instance), so the
    /// Volume Snapshots panel is not empty; its owner is the volume's. The demo moves no bytes, so this record is
    /// the whole snapshot, as one taken in the demo is.
    static func seedVolumeSnapshot(_ store: StateStore, inventory: HostInventory, now: Date) throws {
        let lookup = VolumeIndex(inventory.poolVolumes)
        let booted = Set(inventory.instances.flatMap { instance in
            instance.disks.filter { $0.target == "vda" }.compactMap { lookup.volume(for: $0)?.path }
        })
        guard let volume = inventory.poolVolumes
            .filter({ $0.pool != imagePool && $0.format == "qcow2" && !booted.contains($0.path) })
            .min(by: { $0.name < $1.name }) else { return }
        let name = stripExtension(volume.name) + "-weekly"
        try store.recordVolumeSnapshot(VolumeSnapshotRecord(
            id: stableID("volume-snapshot", volume.path, name), name: name, volumePath: volume.path,
            sizeBytes: volume.capacityBytes, description: "Before the log retention change",
            project: try store.volumeOwners()[volume.path], createdAt: now.addingDays(-2)))
    }

    /// "default" and bridged networks are the admin's shared ones; the rest are project networks.
    static func seedNetworks(_ store: StateStore, inventory: HostInventory) throws {
        var next = 0
        for network in inventory.networks.sorted(by: { $0.name < $1.name }) {
            let lower = network.name.lowercased()
            let external = network.forwardMode == "bridge"
                || ["ext", "public", "provider"].contains { lower.contains($0) }
            if external || lower == "default" {
                try store.upsertNetworkOwnership(NetworkOwnership(name: network.name, project: adminProject,
                                                                  shared: true, external: external))
            } else {
                try store.upsertNetworkOwnership(NetworkOwnership(
                    name: network.name, project: next % 2 == 0 ? busyProject : adminProject))
                next += 1
            }
        }
    }

    /// Limits for the busy project just above what it uses: one instance to spare, about 90% of
    /// its cores and 85% of its RAM in use, and room for its volumes (root disks count as volumes,
    /// which would otherwise push it over the default of 10). The admin project keeps the defaults.
    static func seedQuotas(_ store: StateStore, inventory: HostInventory, instanceOwners: [String: String],
                           busyVolumes: Int) throws {
        let busy = inventory.instances.filter { instanceOwners[$0.id] == busyProject }
        guard !busy.isEmpty else { return }
        let cores = busy.reduce(0) { $0 + $1.vcpus }
        let ram = busy.reduce(0) { $0 + $1.memoryMiB }
        try store.setQuotaLimit(busy.count + 1, for: .instances, project: busyProject)
        // Rounded to nearest, not up: with a dozen cores, rounding up would drop below 85%.
        try store.setQuotaLimit(max(cores + 1, Int((Double(cores) / 0.9).rounded())), for: .cores, project: busyProject)
        let ramLimit = Int((Double(ram) / 0.85 / 1024).rounded(.up)) * 1024
        try store.setQuotaLimit(ramLimit, for: .ramMiB, project: busyProject)
        try store.setQuotaLimit(8, for: .securityGroups, project: busyProject)
        let volumeDefault = try store.quotaDefaults()[.volumes] ?? 10
        try store.setQuotaLimit(max(volumeDefault, Int((Double(busyVolumes) / 0.75).rounded(.up))),
                                for: .volumes, project: busyProject)
    }

    enum Role { case web, database, other }

    static func role(of name: String) -> Role {
        let lower = name.lowercased()
        if ["db", "postgres", "sql", "mongo", "redis", "replica", "数据库"].contains(where: lower.contains) { return .database }
        if ["web", "www", "nginx", "app", "api", "frontend", "lb"].contains(where: lower.contains) { return .web }
        return .other
    }

    /// Operating systems the demo recognises in image names, with sensible minimums.
    enum OSFamily: String, CaseIterable {
        case ubuntu, debian, fedora, cirros, alpine, rocky, centos, windows

        static func matching(_ name: String) -> OSFamily? {
            let lower = name.lowercased()
            return allCases.first { lower.contains($0.rawValue) }
        }

        var displayName: String {
            switch self {
            case .ubuntu: "Ubuntu"
            case .debian: "Debian"
            case .fedora: "Fedora"
            case .cirros: "CirrOS"
            case .alpine: "Alpine Linux"
            case .rocky: "Rocky Linux"
            case .centos: "CentOS Stream"
            case .windows: "Windows Server"
            }
        }

        var minDiskGiB: Int {
            switch self {
            case .cirros, .alpine: 1
            case .debian: 8
            case .ubuntu, .fedora, .rocky, .centos: 10
            case .windows: 40
            }
        }

        var minRamMiB: Int {
            switch self {
            case .cirros: 64
            case .alpine: 256
            case .debian, .ubuntu: 1024
            case .fedora, .rocky, .centos: 2048
            case .windows: 4096
            }
        }

        /// "Ubuntu 22.04" from "ubuntu-22.04-server": the family plus the first version-like word.
        func label(for imageName: String) -> String {
            let words = imageName.split(whereSeparator: { $0 == "-" || $0 == "_" || $0 == " " })
            guard let version = words.first(where: { $0.first?.isNumber ?? false }) else { return displayName }
            return "\(displayName) \(version)"
        }
    }

    static func stripExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        let ext = name[name.index(after: dot)...].lowercased()
        return ["qcow2", "img", "raw", "iso", "vmdk", "vdi"].contains(ext) ? String(name[..<dot]) : name
    }

    /// A UUID-shaped id derived from names, so re-seeding updates rows instead of duplicating them.
    static func stableID(_ parts: String...) -> String {
        let text = parts.joined(separator: "/")
        var high: UInt64 = 0xcbf2_9ce4_8422_2325
        var low: UInt64 = 0x8422_2325_cbf2_9ce4
        for byte in text.utf8 {
            high = (high ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            low = (low &* 0x0000_0100_0000_01b3) ^ UInt64(byte) ^ (high >> 29)
        }
        let hex = hexDigits(high) + hexDigits(low)
        let characters = Array(hex)
        func slice(_ from: Int, _ to: Int) -> String { String(characters[from..<to]) }
        return "\(slice(0, 8))-\(slice(8, 12))-5\(slice(13, 16))-a\(slice(17, 20))-\(slice(20, 32))"
    }

    private static func hexDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

private extension Date {
    func addingDays(_ days: Double) -> Date { addingTimeInterval(days * 86_400) }
}

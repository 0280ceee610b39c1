/// A resource a project's quota limits, with the name Nova/Cinder/Neutron give it. The first ten are
/// what a libvirt host counts (`libvirtResources`); the rest exist only on a cloud.
public enum QuotaResource: String, Sendable, Codable, CaseIterable {
    case instances, cores, ramMiB = "ram", volumes, gigabytes, snapshots, networks
    case securityGroups = "security_groups", securityGroupRules = "security_group_rules", keypairs
    // Nova
    case serverGroups = "server_groups", serverGroupMembers = "server_group_members"
    case metadataItems = "metadata_items", injectedFiles = "injected_files"
    case injectedFileContentBytes = "injected_file_content_bytes", injectedFilePathBytes = "injected_file_path_bytes"
    // Cinder
    case backups, backupGigabytes = "backup_gigabytes", perVolumeGigabytes = "per_volume_gigabytes"
    case volumeGroups = "groups"
    // Neutron
    case subnets, ports, routers, floatingIPs = "floating_ips", routerRoutes = "router_routes"
    case rbacPolicies = "rbac_policies", subnetPools = "subnet_pools"

    /// What a libvirt host counts and stores limits for.
    public static let libvirtResources: [QuotaResource] = [
        .instances, .cores, .ramMiB, .volumes, .gigabytes, .snapshots, .networks, .securityGroups,
        .securityGroupRules, .keypairs,
    ]

    public var label: String {
        switch self {
        case .instances: "Instances"
        case .cores: "vCPUs"
        case .ramMiB: "RAM"
        case .volumes: "Volumes"
        case .gigabytes: "Volume Storage"
        case .snapshots: "Volume Snapshots"
        case .networks: "Networks"
        case .securityGroups: "Security Groups"
        case .securityGroupRules: "Security Group Rules"
        case .keypairs: "Key Pairs"
        case .serverGroups: "Server Groups"
        case .serverGroupMembers: "Server Group Members"
        case .metadataItems: "Metadata Items"
        case .injectedFiles: "Injected Files"
        case .injectedFileContentBytes: "Injected File Size"
        case .injectedFilePathBytes: "Injected File Path"
        case .backups: "Volume Backups"
        case .backupGigabytes: "Backup Storage"
        case .perVolumeGigabytes: "Per-Volume Size"
        case .volumeGroups: "Volume Groups"
        case .subnets: "Subnets"
        case .ports: "Ports"
        case .routers: "Routers"
        case .floatingIPs: "Floating IPs"
        case .routerRoutes: "Router Routes"
        case .rbacPolicies: "RBAC Policies"
        case .subnetPools: "Subnet Pools"
        }
    }

    /// The unit amounts are counted in ("" for counts), as the APIs count them.
    public var unit: String {
        switch self {
        case .ramMiB: "MiB"
        case .gigabytes, .backupGigabytes, .perVolumeGigabytes: "GiB"
        case .injectedFileContentBytes, .injectedFilePathBytes: "bytes"
        default: ""
        }
    }

    /// "5 GiB", "2048 MiB", "3": an amount with its unit.
    public func amount(_ n: Int) -> String { unit.isEmpty ? String(n) : "\(n) \(unit)" }
}

/// How much of one resource a project uses, against its limit.
public struct QuotaUsage: Sendable, Equatable, Codable {
    public var resource: QuotaResource
    public var used: Int
    /// -1 means unlimited, as in the OpenStack APIs.
    public var limit: Int

    public init(resource: QuotaResource, used: Int, limit: Int) {
        self.resource = resource; self.used = used; self.limit = limit
    }

    public var isUnlimited: Bool { limit < 0 }

    /// Used over limit, 0...1 and beyond; 0 when unlimited.
    public var fraction: Double {
        guard limit > 0 else { return limit == 0 && used > 0 ? 1 : 0 }
        return Double(used) / Double(limit)
    }

    /// What may still be created.
    /// Overflow-safe: the numbers come from outside (a cached snapshot, an older decoder).
    public var remaining: Int? {
        guard !isUnlimited else { return nil }
        let (difference, overflow) = limit.subtractingReportingOverflow(used)
        return overflow ? (used < 0 ? Int.max : 0) : max(0, difference)
    }
}

/// All quota usages of one project.
public struct ProjectQuotas: Sendable, Equatable, Codable {
    public var project: String
    public var usages: [QuotaUsage]

    public init(project: String, usages: [QuotaUsage]) {
        self.project = project; self.usages = usages
    }

    public subscript(resource: QuotaResource) -> QuotaUsage? {
        usages.first { $0.resource == resource }
    }
}

/// A resource a project's quota limits, with the name Nova/Cinder/Neutron give it.
public enum QuotaResource: String, Sendable, Codable, CaseIterable {
    case instances, cores, ramMiB = "ram", volumes, gigabytes, snapshots, networks
    case securityGroups = "security_groups", securityGroupRules = "security_group_rules", keypairs

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
        }
    }

    /// The unit amounts are shown in ("" for counts).
    public var unit: String {
        switch self {
        case .ramMiB: "MiB"
        case .gigabytes: "GiB"
        default: ""
        }
    }
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

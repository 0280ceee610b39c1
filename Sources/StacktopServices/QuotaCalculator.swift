import StacktopModel

/// Quota usage computed from what exists, never stored: a domain defined or deleted outside
/// stacktop still shows up in the numbers.
public enum QuotaCalculator {
    /// Nova/Cinder/Neutron's stock defaults, used for any resource the store has no default for.
    public static let openStackDefaults: [QuotaResource: Int] = [
        .instances: 10, .cores: 20, .ramMiB: 51_200, .volumes: 10, .gigabytes: 1_000, .snapshots: 10,
        .networks: 100, .securityGroups: 10, .securityGroupRules: 100, .keypairs: 100,
    ]

    private static let bytesPerGiB: UInt64 = 1 << 30

    /// One `ProjectQuotas` per project, in the given order, with a usage for every resource a libvirt host counts
    /// in declaration order. Resources without a project count for nobody.
    /// - Instances: every defined instance, whatever its state (a shut-off domain still holds its
    ///   reservation in Nova too); cores and RAM sum their vCPUs and MiB.
    /// - Gigabytes: each volume's size rounded up to whole GiB, as Cinder sizes volumes.
    /// - Snapshots: every volume snapshot of the project, whatever its status (Cinder counts an errored one
    ///   too until it is deleted).
    /// - Limits: `limits[project][resource]`, else `defaults[resource]`, else unlimited (-1).
    public static func usage(projects: [String], instances: [Instance], volumes: [Volume],
                             networks: [Network], securityGroups: [SecurityGroup], keypairs: [Keypair],
                             volumeSnapshots: [VolumeSnapshot] = [], limits: [String: [QuotaResource: Int]],
                             defaults: [QuotaResource: Int] = openStackDefaults) -> [ProjectQuotas] {
        projects.map { project in
            let ownInstances = instances.filter { $0.project == project }
            let ownVolumes = volumes.filter { $0.project == project }
            let ownGroups = securityGroups.filter { $0.project == project }
            let used: [QuotaResource: Int] = [
                .instances: ownInstances.count,
                .cores: ownInstances.reduce(0) { $0 + $1.vcpus },
                .ramMiB: ownInstances.reduce(0) { $0 + $1.memoryMiB },
                .volumes: ownVolumes.count,
                .gigabytes: ownVolumes.reduce(0) { $0 + wholeGiB($1.sizeBytes) },
                .snapshots: volumeSnapshots.filter { $0.project == project }.count,
                .networks: networks.filter { $0.project == project }.count,
                .securityGroups: ownGroups.count,
                .securityGroupRules: ownGroups.reduce(0) { $0 + $1.rules.count },
                .keypairs: keypairs.filter { $0.project == project }.count,
            ]
            let usages = QuotaResource.libvirtResources.map { resource in
                QuotaUsage(resource: resource, used: used[resource] ?? 0,
                           limit: limits[project]?[resource] ?? defaults[resource] ?? -1)
            }
            return ProjectQuotas(project: project, usages: usages)
        }
    }

    public static func wholeGiB(_ bytes: UInt64) -> Int {
        Int((bytes + bytesPerGiB - 1) / bytesPerGiB)
    }
}

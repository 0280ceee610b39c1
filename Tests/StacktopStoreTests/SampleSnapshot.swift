import Foundation
import StacktopModel

/// A small snapshot the cache must keep exactly (a creation time with a fraction of a second, a locked instance
/// with a disk, an image, a quota, a flavor): the round-trip test saves it, the fuzz suite mutates its JSON.
func sampleSnapshot(takenAt: Date) -> CloudSnapshot {
    CloudSnapshot(
        instances: [Instance(id: "u1", name: "web-01", state: .running, vcpus: 2, memoryMiB: 4096,
                             disks: [InstanceDisk(target: "vda", source: "/d/web-01.qcow2", capacityBytes: 42)],
                             project: "web", createdAt: Date(timeIntervalSince1970: 1_700_000_000.25),
                             securityGroups: ["default"], locked: true)],
        images: [Image(id: "i1", name: "cirros", format: "qcow2", sizeBytes: 117_440_512)],
        quotas: [ProjectQuotas(project: "web", usages: [QuotaUsage(resource: .cores, used: 2, limit: 20)])],
        flavors: [Flavor(id: "1", name: "m1.tiny", vcpus: 1, ramMiB: 512, diskGiB: 1)],
        takenAt: takenAt)
}

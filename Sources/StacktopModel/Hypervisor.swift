/// A compute host: a Nova hypervisor (`GET /os-hypervisors/detail`; capacity fields are gone from 2.88 on,
/// so they are optional), or the libvirt host itself.
public struct Hypervisor: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var hostname: String
    /// "QEMU", "fake", ...
    public var type: String?
    /// "up" or "down".
    public var state: String
    /// "enabled" or "disabled".
    public var status: String
    public var hostIP: String?
    public var vcpus: Int?
    public var vcpusUsed: Int?
    public var memoryMiB: Int?
    public var memoryUsedMiB: Int?
    public var localDiskGiB: Int?
    public var localDiskUsedGiB: Int?
    public var runningVMs: Int?
    /// Share (0…1) of all host CPUs busy since the previous reading; nil on the first reading or when the
    /// backend cannot tell. Optional, so snapshots cached before it existed still decode.
    public var cpuUtilization: Double?

    public init(id: String, hostname: String, type: String? = nil, state: String, status: String,
                hostIP: String? = nil, vcpus: Int? = nil, vcpusUsed: Int? = nil, memoryMiB: Int? = nil,
                memoryUsedMiB: Int? = nil, localDiskGiB: Int? = nil, localDiskUsedGiB: Int? = nil,
                runningVMs: Int? = nil, cpuUtilization: Double? = nil) {
        self.id = id; self.hostname = hostname; self.type = type; self.state = state; self.status = status
        self.hostIP = hostIP; self.vcpus = vcpus; self.vcpusUsed = vcpusUsed; self.memoryMiB = memoryMiB
        self.memoryUsedMiB = memoryUsedMiB; self.localDiskGiB = localDiskGiB
        self.localDiskUsedGiB = localDiskUsedGiB; self.runningVMs = runningVMs; self.cpuUtilization = cpuUtilization
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

extension NovaDecoder {
    /// `GET /os-hypervisors` or `/os-hypervisors/detail`; ids are numbers before 2.53 and UUIDs after.
    public static func hypervisors(_ data: Data,
                                   path: String = "/os-hypervisors/detail") throws(DecodingFailure) -> OpenStackPage<Hypervisor> {
        struct Wire: Decodable {
            var id: FlexibleID
            var hypervisor_hostname: String
            var hypervisor_type: String?
            var state: String
            var status: String
            var host_ip: String?
            var vcpus: Int?
            var vcpus_used: Int?
            var memory_mb: Int?
            var memory_mb_used: Int?
            var local_gb: Int?
            var local_gb_used: Int?
            var running_vms: Int?
        }
        let page = try WireDecoder.page(Wire.self, key: "hypervisors", from: data, service: service, path: path)
        return page.map {
            Hypervisor(id: $0.id.value, hostname: $0.hypervisor_hostname, type: $0.hypervisor_type,
                       state: $0.state, status: $0.status, hostIP: $0.host_ip, vcpus: $0.vcpus,
                       vcpusUsed: $0.vcpus_used, memoryMiB: $0.memory_mb, memoryUsedMiB: $0.memory_mb_used,
                       localDiskGiB: $0.local_gb, localDiskUsedGiB: $0.local_gb_used, runningVMs: $0.running_vms)
        }
    }
}

import Foundation
import StacktopModel

/// Puts lists read in parallel together: ids become names (images, flavors, projects, servers) and
/// attached volumes get their sizes.
enum SnapshotAssembly {
    static func assemble(servers: [Instance], flavors: [Flavor], keypairs: [Keypair], images: [Image],
                         volumes: [Volume], networks: [Network], securityGroups: [SecurityGroup],
                         projects: [Project], quotas: [ProjectQuotas], hypervisors: [Hypervisor] = [],
                         neutron: NeutronLists = NeutronLists(), knownImageNames: [String: String] = [:], takenAt: Date) -> CloudSnapshot {
        let projectNames = Dictionary(projects.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let imageNames = knownImageNames.merging(images.map { ($0.id, $0.name) }, uniquingKeysWith: { _, fresh in fresh })
        let flavorsByID = Dictionary(flavors.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let volumeSizes = Dictionary(volumes.map { ($0.id, $0.sizeBytes) }, uniquingKeysWith: { first, _ in first })
        func project(_ id: String?) -> String? { id.map { projectNames[$0] ?? $0 } }

        let instances = servers.map { server -> Instance in
            var named = server
            named.project = project(server.project)
            if let image = server.image { named.image = imageNames[image] ?? image }
            // Before 2.47 a server names only its flavor id; the flavor list supplies the size.
            if server.vcpus == 0, let id = server.flavor, let flavor = flavorsByID[id] {
                named.flavor = flavor.name
                named.vcpus = flavor.vcpus
                named.memoryMiB = flavor.ramMiB
                if let image = server.image, flavor.diskGiB > 0, !server.disks.contains(where: { $0.target == "root" }) {
                    named.disks.insert(InstanceDisk(target: "root", source: image, device: .disk,
                                                    capacityBytes: UInt64(flavor.diskGiB) * 1_073_741_824), at: 0)
                }
            }
            for index in named.disks.indices where named.disks[index].target == "volume" {
                if let source = named.disks[index].source, let size = volumeSizes[source] {
                    named.disks[index].capacityBytes = size
                }
            }
            return named
        }
        let serverNames = Dictionary(servers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let named = NeutronNaming(neutron, networks: networks, serverNames: serverNames, project: project)
        return CloudSnapshot(
            instances: instances,
            images: images.map { var image = $0; image.project = project($0.project); return image },
            volumes: volumes.map { volume in
                var named = volume
                named.project = project(volume.project)
                named.attachedTo = volume.attachedTo.map { serverNames[$0] ?? $0 }
                return named
            },
            networks: networks.map { var network = $0; network.project = project($0.project); return network },
            securityGroups: securityGroups.map { var group = $0; group.project = project($0.project); return group },
            quotas: quotas, flavors: flavors, keypairs: keypairs, projects: projects, hypervisors: hypervisors,
            floatingIPs: named.floatingIPs(), routers: named.routers(), ports: named.ports(), takenAt: takenAt)
    }
}

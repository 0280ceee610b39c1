import Foundation
import StacktopModel

/// Puts lists read in parallel together: ids become names (images, flavors, projects, servers) and
/// attached volumes get their sizes.
enum SnapshotAssembly {
    static func assemble(servers: [Instance], flavors: [Flavor], keypairs: [Keypair], keypairsRead: Bool = false,
                         images: [Image],
                         volumes: [Volume], volumeSnapshots: [VolumeSnapshot] = [], networks: [Network],
                         securityGroups: [SecurityGroup],
                         projects: [Project], quotas: [ProjectQuotas], hypervisors: [Hypervisor] = [],
                         neutron: NeutronLists = NeutronLists(), knownImageNames: [String: String] = [:],
                         instanceCountsByProjectID: [String: Int]? = nil, staleParts: [StalePart] = [],
                         unavailableParts: [StalePart] = [], takenAt: Date) -> CloudSnapshot {
        let projectNames = Dictionary(projects.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let imageNames = knownImageNames.merging(images.map { ($0.id, $0.name) }, uniquingKeysWith: { _, fresh in fresh })
        let flavorsByID = Dictionary(flavors.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let volumesByID = Dictionary(volumes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
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
            // An attached volume shows by its name, on the device Cinder says the guest sees it as.
            for index in named.disks.indices {
                guard let id = named.disks[index].volumeID, let volume = volumesByID[id] else { continue }
                named.disks[index].capacityBytes = volume.sizeBytes
                named.disks[index].source = volume.name
                if let slot = volume.attachedTo.firstIndex(of: server.id), let devices = volume.attachmentDevices,
                   slot < devices.count, !devices[slot].isEmpty {
                    named.disks[index].target = devices[slot].hasPrefix("/dev/") ? String(devices[slot].dropFirst(5)) : devices[slot]
                }
            }
            return named
        }
        let serverNames = Dictionary(servers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let named = NeutronNaming(neutron, networks: networks, serverNames: serverNames, project: project)
        let portsByNetwork = neutron.portsRead
            ? Dictionary(grouping: neutron.ports, by: \.networkID).mapValues(\.count) : nil
        var snapshot = CloudSnapshot(
            instances: instances,
            images: images.map { var image = $0; image.project = project($0.project); return image },
            volumes: volumes.map { volume in
                var named = volume
                named.project = project(volume.project)
                named.attachedTo = volume.attachedTo.map { serverNames[$0] ?? $0 }
                return named
            },
            networks: networks.map { network in
                var named = network
                named.project = project(network.project)
                // Neutron's own count: server, router, DHCP and free ports alike.
                if let portsByNetwork { named.portCount = portsByNetwork[network.id] ?? 0 }
                return named
            },
            securityGroups: securityGroups.map { var group = $0; group.project = project($0.project); return group },
            quotas: quotas.map { set in
                // Nova limits key pairs per user and reports none in use; the user's key pairs are the use.
                guard keypairsRead else { return set }
                var counted = set
                for index in counted.usages.indices where counted.usages[index].resource == .keypairs {
                    counted.usages[index].used = keypairs.count
                }
                return counted
            },
            flavors: flavors, keypairs: keypairs,
            projects: projects.map { project in
                var counted = project
                if let instanceCountsByProjectID { counted.instanceCount = instanceCountsByProjectID[project.id] ?? 0 }
                return counted
            },
            hypervisors: hypervisors,
            floatingIPs: named.floatingIPs(), routers: named.routers(), ports: named.ports(),
            staleParts: staleParts, takenAt: takenAt)
        snapshot.volumeSnapshots = volumeSnapshots.map { volumeSnapshot in
            var named = volumeSnapshot
            named.project = project(volumeSnapshot.project)
            named.volumeName = volumesByID[volumeSnapshot.volumeID]?.name
            return named
        }
        snapshot.unavailableParts = unavailableParts
        return snapshot
    }
}

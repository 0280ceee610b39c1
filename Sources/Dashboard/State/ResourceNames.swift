import StacktopModel

/// Actions name their targets the way people do (and the way the CLI and the audit log do): by name.
enum ResourceNames {
    static func name(of id: String, in panel: Panel, snapshot: CloudSnapshot?) -> String? {
        guard let snapshot else { return nil }
        switch panel {
        case .instances: return snapshot.instances.first { $0.id == id }?.name
        case .images: return snapshot.images.first { $0.id == id }?.name
        case .volumes: return snapshot.volumes.first { $0.id == id }?.name
        case .networks: return snapshot.networks.first { $0.id == id }?.name
        case .securityGroups: return snapshot.securityGroups.first { $0.id == id }?.name
        case .flavors: return snapshot.flavors.first { $0.id == id }?.name
        case .keypairs: return snapshot.keypairs.first { $0.name == id }?.name ?? id
        case .projects: return snapshot.projects.first { $0.id == id }?.name
        case .floatingIPs: return snapshot.floatingIPs.first { $0.id == id }?.address
        case .routers: return snapshot.routers.first { $0.id == id }?.name
        case .hypervisors: return snapshot.hypervisors.first { $0.id == id }?.hostname
        case .quotas: return id.split(separator: "/").first.map(String.init)
        case .overview: return nil
        }
    }
}

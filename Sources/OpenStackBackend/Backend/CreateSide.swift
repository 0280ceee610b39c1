import Foundation
import StacktopModel
import StacktopServices

/// The actions that make or reshape things (as opposed to the lifecycle actions and deletes in
/// `Mutations.swift`): each has its own options, so each has its own function.
extension OpenStackCloudBackend {
    static let createSide: Set<Capability> = [
        Capability(.instance, .create), Capability(.instance, .attachVolume), Capability(.instance, .detachVolume),
        Capability(.volume, .create), Capability(.volume, .extend), Capability(.volumeSnapshot, .create),
        Capability(.securityGroup, .create), Capability(.securityGroup, .delete), Capability(.securityGroupRule, .create),
        Capability(.network, .create), Capability(.keypair, .create),
        Capability(.instance, .resize), Capability(.instance, .confirmResize), Capability(.instance, .revertResize),
        Capability(.instance, .snapshot), Capability(.image, .create), Capability(.image, .upload),
    ]

    /// Neutron's networking beyond networks. Default Neutron policy lets a project member do all of
    /// these on the project's own resources (a router's gateway may be any external network), so
    /// admins and members are offered the same; a stricter cloud's 403 becomes a sentence.
    /// The grammar is in FloatingIPActions.swift, RouterActions.swift and SubnetPortActions.swift;
    /// subnets are plugged into a router with attach-interface/detach-interface `--subnet`.
    static let networkingSide: Set<Capability> = [
        Capability(.floatingIP, .create), Capability(.floatingIP, .associate), Capability(.floatingIP, .disassociate),
        Capability(.floatingIP, .delete),
        Capability(.router, .create), Capability(.router, .update), Capability(.router, .attachInterface),
        Capability(.router, .detachInterface), Capability(.router, .delete),
        Capability(.subnet, .create), Capability(.subnet, .delete), Capability(.port, .create), Capability(.port, .delete),
    ]

    /// nil when the request is not a create-side action.
    func performCreateSide(_ request: ActionRequest) async throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.instance, .create): return try await createServer(request)
        case (.instance, .attachVolume), (.instance, .detachVolume): return try await changeAttachment(request)
        case (.volume, .create): return try await createVolume(request)
        case (.volume, .extend): return try await extendVolume(request)
        case (.volumeSnapshot, .create): return try await createVolumeSnapshot(request)
        case (.securityGroup, .create): return try await createSecurityGroup(request)
        case (.securityGroup, .delete): return try await deleteSecurityGroups(request)
        case (.securityGroupRule, .create): return try await createSecurityGroupRule(request)
        case (.network, .create): return try await createNetwork(request)
        case (.keypair, .create): return try await createKeypair(request)
        case (.instance, .resize): return try await resizeServer(request)
        case (.instance, .confirmResize), (.instance, .revertResize): return try await finishResize(request)
        case (.instance, .snapshot): return try await snapshotServer(request)
        case (.image, .create), (.image, .upload): return try await uploadImage(request)
        case (.floatingIP, .create): return try await allocateFloatingIP(request)
        case (.floatingIP, .associate): return try await associateFloatingIP(request)
        case (.floatingIP, .disassociate): return try await disassociateFloatingIPs(request)
        case (.router, .create): return try await createRouter(request)
        case (.router, .update): return try await updateRouter(request)
        case (.router, .attachInterface), (.router, .detachInterface): return try await changeRouterInterface(request)
        case (.subnet, .create): return try await createSubnet(request)
        case (.port, .create): return try await createPort(request)
        default: return nil
        }
    }
}

import Foundation
import StacktopModel
import StacktopServices

/// The actions that make or reshape things (as opposed to the lifecycle actions and deletes in
/// `Mutations.swift`): each has its own options, so each has its own function.
extension OpenStackCloudBackend {
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

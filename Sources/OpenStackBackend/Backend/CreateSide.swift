import Foundation
import StacktopModel
import StacktopServices

/// The actions that make or reshape things (as opposed to the lifecycle actions and deletes in
/// `Mutations.swift`): each has its own options, so each has its own function.
extension OpenStackCloudBackend {
    static let createSide: Set<Capability> = [
        Capability(.instance, .create), Capability(.instance, .attachVolume), Capability(.instance, .detachVolume),
        Capability(.volume, .create), Capability(.volume, .extend),
        Capability(.securityGroup, .create), Capability(.securityGroup, .delete), Capability(.securityGroupRule, .create),
        Capability(.network, .create), Capability(.keypair, .create),
        Capability(.instance, .resize), Capability(.instance, .confirmResize), Capability(.instance, .revertResize),
        Capability(.instance, .snapshot), Capability(.image, .create), Capability(.image, .upload),
    ]

    /// nil when the request is not a create-side action.
    func performCreateSide(_ request: ActionRequest) async throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.instance, .create): return try await createServer(request)
        case (.instance, .attachVolume), (.instance, .detachVolume): return try await changeAttachment(request)
        case (.volume, .create): return try await createVolume(request)
        case (.volume, .extend): return try await extendVolume(request)
        case (.securityGroup, .create): return try await createSecurityGroup(request)
        case (.securityGroup, .delete): return try await deleteSecurityGroups(request)
        case (.securityGroupRule, .create): return try await createSecurityGroupRule(request)
        case (.network, .create): return try await createNetwork(request)
        case (.keypair, .create): return try await createKeypair(request)
        case (.instance, .resize): return try await resizeServer(request)
        case (.instance, .confirmResize), (.instance, .revertResize): return try await finishResize(request)
        case (.instance, .snapshot): return try await snapshotServer(request)
        case (.image, .create), (.image, .upload): return try await uploadImage(request)
        default: return nil
        }
    }
}

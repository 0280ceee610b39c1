import Foundation
import StacktopModel
import StacktopServices

/// The actions that make or reshape things (as opposed to the lifecycle actions and deletes in
/// `Mutations.swift`): each has its own options, so each has its own function.
extension OpenStackCloudBackend {
    static let createSide: Set<Capability> = [
        Capability(.instance, .create),
    ]

    /// nil when the request is not a create-side action.
    func performCreateSide(_ request: ActionRequest) async throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.instance, .create): return try await createServer(request)
        default: return nil
        }
    }
}

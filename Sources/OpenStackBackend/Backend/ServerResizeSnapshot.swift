import Foundation
import StacktopModel
import StacktopServices

/// Resize (then confirm or revert it) and snapshot: server actions that carry an argument or answer with one.
extension OpenStackCloudBackend {
    func resizeServer(_ request: ActionRequest) async throws -> ActionOutcome {
        let server = try Self.single(request, "`stacktop server resize SERVER --flavor FLAVOR`")
        let flavor = try Self.required(request, .flavor,
                                       reason: "Resizing server \(server) needs the new flavor: add --flavor FLAVOR.")
        let flavorID = try await flavorID(flavor)
        let response = try await serverAction(server, ActionBody("resize", Resize(flavorRef: flavorID)),
                                              what: "Resize server \(server) to \(flavor)")
        return ActionOutcome(message: "Asked Nova to resize server \(server) to \(flavor); confirm it with "
                                + "`stacktop server confirm-resize \(server)` (or revert-resize) once it is VERIFY_RESIZE.",
                             requestIDs: response.requestIDs)
    }

    /// Several servers may be confirmed or reverted at once, each resolved before any is sent.
    func finishResize(_ request: ActionRequest) async throws -> ActionOutcome {
        let confirm = request.action == .confirmResize
        guard !request.targets.isEmpty else {
            throw BackendError.missingTarget(kind: .instance, action: request.action, usage: nil)
        }
        var ids: [String] = []
        for target in request.targets { ids.append(try await resolver.resolve(target, kind: .instance)) }
        var requestIDs: [String] = []
        for (target, id) in zip(request.targets, ids) {
            let response = try await serverAction(id, ActionBody(confirm ? "confirmResize" : "revertResize"),
                                                  what: "\(request.action.traits.title) of server \(target)", resolved: true)
            if let requestID = response.requestID { requestIDs.append(requestID) }
        }
        let names = request.targets.joined(separator: ", ")
        return ActionOutcome(message: confirm ? "Confirmed the resize of \(names)."
                                              : "Asked Nova to revert the resize of \(names) to the old flavor.",
                             requestIDs: requestIDs)
    }

    func snapshotServer(_ request: ActionRequest) async throws -> ActionOutcome {
        let server = try Self.single(request, "`stacktop server snapshot SERVER --image-name NAME`")
        let imageName = Self.option(request, .imageName) ?? "\(server)-snapshot"
        let response = try await serverAction(server, ActionBody("createImage", CreateImage(name: imageName)),
                                              what: "Snapshot server \(server)")
        // 2.45 and later answer with the id; older versions only in the Location header.
        let imageID = (Self.object(response.body)?["image_id"] as? String)
            ?? response.header("Location").flatMap { $0.split(separator: "/").last.map(String.init) }
        return ActionOutcome(message: "Asked Nova to snapshot server \(server) as image \(imageName)"
                                + (imageID.map { " (id \($0))" } ?? "") + "; it is saved in the background.",
                             requestIDs: response.requestIDs)
    }

    private func serverAction<Argument: Encodable>(_ server: String, _ body: ActionBody<Argument>, what: String,
                                                   resolved: Bool = false) async throws -> HTTPResponse {
        let id = resolved ? server : try await resolver.resolve(server, kind: .instance)
        return try await client.send(.compute, "servers/\(Self.pathComponent(id))/action", method: .post,
                                     body: try Self.json(body), headers: await compute.headers(), what: what)
    }
}

/// `{"resize": {"flavorRef": "…"}}`'s argument.
struct Resize: Encodable { var flavorRef: String }

/// `{"createImage": {"name": "web-backup"}}`'s argument.
struct CreateImage: Encodable { var name: String }

import Foundation
import StacktopModel
import StacktopServices

/// Volumes on Cinder (create, extend, snapshot) and their attachments through Nova (attach, detach).
extension OpenStackCloudBackend {
    func createVolume(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop volume create NAME --size GIB`")
        guard let size = try Self.positive(request, .size, what: "the size in GiB") else {
            throw BackendError.invalidOption(.size, reason: "Volume \(name) needs a size: add --size GIB.")
        }
        var volume = VolumeCreateRequest.Volume(name: name, size: size)
        let image = Self.option(request, .image)
        if let image { volume.imageRef = try await resolver.resolve(image, kind: .image) }
        let response = try await client.send(.blockStorage, "volumes", method: .post,
                                             body: try Self.json(VolumeCreateRequest(volume: volume)), what: "Create volume \(name)")
        let id = Self.answerField(response.body, "volume")
        let from = image.map { " from image \($0)" } ?? ""
        return ActionOutcome(message: "Asked Cinder to create volume \(name) of \(size) GiB\(from)"
                                + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func extendVolume(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop volume extend NAME --size GIB`")
        guard let size = try Self.positive(request, .size, what: "the new size in GiB") else {
            throw BackendError.invalidOption(.size, reason: "Extending volume \(name) needs the new size: add --size GIB.")
        }
        let id = try await resolver.resolve(name, kind: .volume)
        let response = try await client.send(.blockStorage, "volumes/\(Self.pathComponent(id))/action", method: .post,
                                             body: try Self.json(ActionBody("os-extend", ExtendVolume(newSize: size))),
                                             what: "Extend volume \(name)")
        return ActionOutcome(message: "Asked Cinder to extend volume \(name) to \(size) GiB.",
                             requestIDs: response.requestIDs)
    }

    /// `volume-snapshot create NAME --volume V [--description D] [--force]`. `force` goes to Cinder only when
    /// asked: without it Cinder refuses a volume that is in use, and that refusal is said with the way out.
    func createVolumeSnapshot(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop volume-snapshot create NAME --volume VOLUME`"
        let name = try Self.single(request, usage)
        let volume = try Self.required(request, .volume,
                                       reason: "Name the volume to take snapshot \(name) of: add --volume VOLUME.")
        let forced = request.flag(.force)
        let snapshot = VolumeSnapshotCreateRequest.Snapshot(name: name, volumeID: try await resolver.resolve(volume, kind: .volume),
                                                            description: Self.option(request, .description),
                                                            force: forced ? true : nil)
        let what = "Create volume snapshot \(name) of volume \(volume)"
        let response: HTTPResponse
        do {
            response = try await client.send(.blockStorage, "snapshots", method: .post,
                                             body: try Self.json(VolumeSnapshotCreateRequest(snapshot: snapshot)), what: what)
        } catch BackendError.remote(_, 400, let reason, let requestID) where !forced && Self.saysInUse(reason) {
            throw BackendError.remote(what: what, status: 400, reason: "volume \(volume) is in use (attached to a server), "
                + "which Cinder snapshots only when told to; add --force to take it anyway (writes the guest has not "
                + "flushed are not in it), or detach the volume first", requestID: requestID)
        }
        let id = Self.answerField(response.body, "snapshot")
        return ActionOutcome(message: "Asked Cinder to take snapshot \(name) of volume \(volume)"
                                + (forced ? " while it is in use" : "") + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    /// Cinder's words for an attached volume ("Invalid volume: Volume … status must be available, but current
    /// status is: in-use"); any other status (error, creating…) keeps Cinder's own words, since --force would not help.
    static func saysInUse(_ reason: String) -> Bool {
        reason.lowercased().contains("status is: in-use")
    }

    /// Attach and detach go through Nova, which tells Cinder and the hypervisor.
    func changeAttachment(_ request: ActionRequest) async throws -> ActionOutcome {
        let attach = request.action == .attachVolume
        let word = attach ? "attach-volume" : "detach-volume"
        let server = try Self.single(request, "`stacktop server \(word) SERVER --volume VOLUME`")
        let volume = try Self.required(request, .volume,
                                       reason: "Name the volume to \(attach ? "attach to" : "detach from") server "
                                           + "\(server): add --volume VOLUME.")
        let serverID = try await resolver.resolve(server, kind: .instance)
        let volumeID = try await resolver.resolve(volume, kind: .volume)
        let path = "servers/\(Self.pathComponent(serverID))/os-volume_attachments"
        let headers = await compute.headers()
        let response: HTTPResponse
        if attach {
            response = try await client.send(.compute, path, method: .post,
                                             body: try Self.json(VolumeAttachRequest(volumeAttachment: .init(volumeId: volumeID))),
                                             headers: headers, what: "Attach volume \(volume) to server \(server)")
        } else {
            response = try await client.send(.compute, path + "/" + Self.pathComponent(volumeID), method: .delete,
                                             headers: headers, what: "Detach volume \(volume) from server \(server)")
        }
        let device = Self.answerField(response.body, "volumeAttachment", "device")
            .map { " as \($0)" } ?? ""
        return ActionOutcome(message: attach ? "Asked Nova to attach volume \(volume) to server \(server)\(device)."
                                             : "Asked Nova to detach volume \(volume) from server \(server).",
                             requestIDs: response.requestIDs)
    }
}

/// `POST /volumes`: `{"volume": {"name": "v1", "size": 2, "imageRef": "…"}}`, the image only when given.
struct VolumeCreateRequest: Encodable {
    var volume: Volume
    struct Volume: Encodable {
        var name: String
        var size: Int
        var imageRef: String?
    }
}

/// `POST /snapshots`: `{"snapshot": {"name": "s1", "volume_id": "…", "description": "…", "force": true}}`, the
/// description and force only when given.
struct VolumeSnapshotCreateRequest: Encodable {
    var snapshot: Snapshot
    struct Snapshot: Encodable {
        var name: String
        var volumeID: String
        var description: String?
        var force: Bool?
        enum CodingKeys: String, CodingKey { case name, volumeID = "volume_id", description, force }
    }
}

/// `{"os-extend": {"new_size": 5}}`'s argument.
struct ExtendVolume: Encodable {
    var newSize: Int
    enum CodingKeys: String, CodingKey { case newSize = "new_size" }
}

/// `POST /servers/{id}/os-volume_attachments`: `{"volumeAttachment": {"volumeId": "…"}}`.
struct VolumeAttachRequest: Encodable {
    var volumeAttachment: Attachment
    struct Attachment: Encodable { var volumeId: String }
}

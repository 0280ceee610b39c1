import Foundation
import StacktopModel
import StacktopServices

/// `stacktop image create NAME --file PATH [--visibility private|public]`: the image record
/// (`POST /v2/images`), then its data (`PUT /v2/images/{id}/file`).
extension OpenStackCloudBackend {
    func uploadImage(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop image create NAME --file PATH`")
        let path = try Self.required(request, .file,
                                     reason: "Image \(name) needs its data: add --file PATH (a qcow2 or raw file).")
        // One of the schema's words, lowercased there.
        let visibility = request[.visibility] ?? "private"
        let url = URL(fileURLWithPath: (path as NSString).expandingTildeInPath)
        // Mapped, so a large image is paged in as it is sent rather than read whole first.
        guard let data = try? Data(contentsOf: url, options: .alwaysMapped) else {
            throw BackendError.invalidOption(.file, reason: "--file \(path) could not be read; give the path of a readable image file "
                + "on this machine.")
        }
        let format = Self.diskFormat(data)
        let record = ImageCreateRequest(name: name, visibility: visibility, diskFormat: format)
        let created = try await client.send(.image, "v2/images", method: .post, body: try Self.json(record),
                                            what: "Create image \(name)")
        var requestIDs = created.requestIDs
        guard let id = Self.object(created.body)?["id"] as? String else {
            throw BackendError.failed(what: "Create image \(name)", reason: "Glance's answer had no image id; check "
                + "`stacktop image list`")
        }
        let what = "Uploading \(url.lastPathComponent)"
        let total = UInt64(data.count)
        ActionProgress.report(ActionProgress.Update(what: what, done: 0, total: total))
        do {
            // The task-local reporter is not bound on URLSession's delegate thread: take it along.
            let reporter = ActionProgress.currentReporter
            let response = try await sendImageData(data, imageID: id, what: "Upload the data of image \(name)") { sent in
                reporter?.receive(ActionProgress.Update(what: what, done: UInt64(max(0, sent)), total: total))
            }
            if let requestID = response.requestID { requestIDs.append(requestID) }
        } catch {
            // An image record without data stays "queued" forever: remove it, then report why the upload failed.
            _ = try? await client.send(.image, "v2/images/\(Self.pathComponent(id))", method: .delete,
                                       what: "Remove image \(name)")
            throw error
        }
        ActionProgress.report(ActionProgress.Update(what: what, done: total, total: total))
        return ActionOutcome(message: "Uploaded image \(name) (\(format), \(Self.mebibytes(total)), \(visibility), id \(id)); "
                                + "Glance makes it active once it has checked the data.",
                             requestIDs: requestIDs)
    }

    /// The body in one PUT, its progress reported as the transport sends it; the timeout grows with
    /// the size (at least 1 MB/s).
    private func sendImageData(_ data: Data, imageID: String, what: String,
                               progress: @escaping @Sendable (Int64) -> Void) async throws -> HTTPResponse {
        let base = try await session.baseURL(for: .image)
        let url = try KeystoneSession.join(base, path: "v2/images/\(Self.pathComponent(imageID))/file", query: [])
        var request = HTTPRequest(method: .put, url: url, headers: ["Content-Type": "application/octet-stream"], body: data,
                                  timeout: session.credentials.timeout + Double(data.count) / 1_000_000,
                                  uploadProgress: progress)
        var token = try await session.validToken().value
        request.headers["X-Auth-Token"] = token.exposedValue
        var response = try await client.transport.send(request)
        if response.status == 401 {
            token = try await session.authenticate().value
            request.headers["X-Auth-Token"] = token.exposedValue
            response = try await client.transport.send(request)
        }
        guard response.status < 400 else { throw RemoteFailure.error(what: what, response: response) }
        return response
    }

    /// qcow2 files start with "QFI\xfb"; anything else is sent as raw (Glance does not look inside).
    static func diskFormat(_ data: Data) -> String {
        data.prefix(4).elementsEqual([0x51, 0x46, 0x49, 0xFB]) ? "qcow2" : "raw"
    }

    static func mebibytes(_ bytes: UInt64) -> String {
        let tenths = (bytes * 10 + 524_288) / 1_048_576
        return "\(tenths / 10).\(tenths % 10) MiB"
    }
}

/// `POST /v2/images`: the record alone, unwrapped, as Glance v2 takes it; the data follows in a PUT.
struct ImageCreateRequest: Encodable {
    var name: String
    var visibility: String
    var diskFormat: String
    var containerFormat = "bare"
    enum CodingKeys: String, CodingKey {
        case name, visibility, diskFormat = "disk_format", containerFormat = "container_format"
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// Glance v2 responses. Image properties (os_distro, os_type) sit at the top level of each image.
public enum GlanceDecoder {
    static let service = "Glance"

    /// `GET /v2/images`. `next` is a path such as "/v2/images?marker=...".
    public static func images(_ data: Data, projectNamesByID: [String: String] = [:],
                              path: String = "/v2/images") throws(DecodingFailure) -> OpenStackPage<Image> {
        struct Body: Decodable {
            var images: [WireImage]
            var next: String?
        }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        return OpenStackPage(items: body.images.map { $0.image(projectNamesByID) }, next: body.next)
    }

    /// `GET /v2/images/{id}`: the image object itself, unwrapped.
    public static func image(_ data: Data, projectNamesByID: [String: String] = [:],
                             path: String = "/v2/images/{id}") throws(DecodingFailure) -> Image {
        try WireDecoder.decode(WireImage.self, from: data, service: service, path: path).image(projectNamesByID)
    }
}

/// A queued image has no format or size yet, so both are optional on the wire.
private struct WireImage: Decodable {
    var id: String
    var name: String?
    var status: String
    var disk_format: String?
    var size: UInt64?
    var visibility: String?
    var min_disk: Int?
    var min_ram: Int?
    var os_distro: String?
    var os_type: String?
    var owner: String?
    var created_at: String?

    func image(_ projectNames: [String: String]) -> Image {
        Image(id: id, name: name ?? "", format: disk_format ?? "", sizeBytes: size ?? 0,
              os: os_distro ?? os_type, minDiskGiB: min_disk ?? 0, minRamMiB: min_ram ?? 0,
              // An unknown visibility is treated as the most restrictive one.
              visibility: visibility.flatMap(Image.Visibility.init(rawValue:)) ?? .private,
              status: status, project: owner.map { projectNames[$0] ?? $0 },
              createdAt: created_at.flatMap(OpenStackDate.parse))
    }
}

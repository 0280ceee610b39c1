#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// Keystone v3 responses. Keystone's `links` is an object (`{"next": ..., "self": ...}`), not a list.
public enum KeystoneDecoder {
    static let service = "Keystone"

    /// `GET /v3/projects` or `/v3/auth/projects`.
    public static func projects(_ data: Data, path: String = "/v3/projects") throws(DecodingFailure) -> OpenStackPage<Project> {
        struct Links: Decodable { var next: String? }
        struct Body: Decodable {
            var projects: [WireProject]
            var links: Links?
        }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        return OpenStackPage(items: body.projects.map(\.project), next: body.links?.next)
    }

    /// `GET /v3/projects/{id}`.
    public static func project(_ data: Data, path: String = "/v3/projects/{id}") throws(DecodingFailure) -> Project {
        struct Body: Decodable { var project: WireProject }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path).project.project
    }
}

private struct WireProject: Decodable {
    var id: String
    var name: String
    var description: String?
    var enabled: Bool?

    var project: Project {
        Project(id: id, name: name, description: description ?? "", enabled: enabled ?? true)
    }
}

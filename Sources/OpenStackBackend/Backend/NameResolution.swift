import Foundation
import StacktopModel
import StacktopServices

/// Turns the names a user typed into ids. A name is matched exactly; an unmatched word that looks
/// like an id is used as one; a name shared by several resources is refused with their ids.
struct NameResolution: Sendable {
    let client: OpenStackClient
    let compute: ComputeVersion
    let limit: Int?

    func resolve(_ target: String, kind: ResourceKind) async throws -> String {
        let candidates: [(id: String, name: String)]
        switch kind {
        case .instance:
            // Nova's name filter is a regular expression; anchor and escape it, then compare exactly.
            let pattern = "^" + NSRegularExpression.escapedPattern(for: target) + "$"
            candidates = try await client.listAll(.compute, "servers", query: [URLQueryItem(name: "name", value: pattern)],
                                                  headers: await compute.headers(), limit: limit,
                                                  what: "Finding server \(target)") { body, _ in
                try NovaDecoder.servers(body, path: "/servers")
            }.map { ($0.id, $0.name) }
        case .image:
            candidates = try await client.listAll(.image, "v2/images", query: [URLQueryItem(name: "name", value: target)],
                                                  limit: limit, what: "Finding image \(target)") { body, _ in
                try GlanceDecoder.images(body)
            }.map { ($0.id, $0.name) }
        case .volume:
            candidates = try await client.listAll(.blockStorage, "volumes/detail",
                                                  query: [URLQueryItem(name: "name", value: target)], limit: limit,
                                                  what: "Finding volume \(target)") { body, _ in
                try CinderDecoder.volumes(body)
            }.map { ($0.id, $0.name) }
        case .volumeSnapshot:
            candidates = try await client.listAll(.blockStorage, "snapshots/detail",
                                                  query: [URLQueryItem(name: "name", value: target)], limit: limit,
                                                  what: "Finding volume snapshot \(target)") { body, _ in
                try CinderDecoder.snapshots(body)
            }.map { ($0.id, $0.name) }
        case .network:
            candidates = try await client.listAll(.network, "v2.0/networks",
                                                  query: [URLQueryItem(name: "name", value: target)], limit: limit,
                                                  what: "Finding network \(target)") { body, _ in
                try NeutronDecoder.networks(body)
            }.map { ($0.id, $0.name) }
        case .router, .subnet, .port:
            let (path, key) = kind == .router ? ("v2.0/routers", "routers")
                : kind == .subnet ? ("v2.0/subnets", "subnets") : ("v2.0/ports", "ports")
            candidates = try await client.listAll(.network, path, query: [URLQueryItem(name: "name", value: target)],
                                                  limit: limit, what: "Finding \(kind.noun) \(target)") { body, _ in
                OpenStackCloudBackend.idNamePage(body, key: key)
            }
        case .floatingIP:
            // A floating IP has no name: people know it by its address.
            candidates = try await client.listAll(.network, "v2.0/floatingips",
                                                  query: [URLQueryItem(name: "floating_ip_address", value: target)],
                                                  limit: limit, what: "Finding floating IP \(target)") { body, _ in
                try NeutronDecoder.floatingIPs(body)
            }.map { ($0.id, $0.address) }
        default:
            // Key pairs are named by their name; rules have only ids.
            return target
        }
        let matches = candidates.filter { $0.name == target }
        switch matches.count {
        case 1: return matches[0].id
        case 0 where Self.looksLikeID(target): return target
        case 0: throw BackendError.notFound(kind: kind == .instance ? "server" : kind.rawValue, name: target)
        default:
            throw BackendError.ambiguousName(kind: kind.noun, name: target, candidates: matches.map(\.id), tellApartBy: .id)
        }
    }

    /// A UUID with or without dashes, as every service but Nova's flavors and key pairs uses.
    static func looksLikeID(_ text: String) -> Bool {
        let hex = text.filter { $0 != "-" }
        return (text.count == 36 || text.count == 32) && hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }
}

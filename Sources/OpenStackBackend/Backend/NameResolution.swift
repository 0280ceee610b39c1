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
            candidates = try await listed(.compute, "servers", target, kind, filterValue: pattern,
                                          headers: await compute.headers()) { body in
                try NovaDecoder.servers(body, path: "/servers").map { ($0.id, $0.name) }
            }
        case .image:
            candidates = try await listed(.image, "v2/images", target, kind) { try GlanceDecoder.images($0).map { ($0.id, $0.name) } }
        case .volume:
            candidates = try await listed(.blockStorage, "volumes/detail", target, kind) {
                try CinderDecoder.volumes($0).map { ($0.id, $0.name) }
            }
        case .volumeSnapshot:
            candidates = try await listed(.blockStorage, "snapshots/detail", target, kind) {
                try CinderDecoder.snapshots($0).map { ($0.id, $0.name) }
            }
        case .network:
            candidates = try await listed(.network, "v2.0/networks", target, kind) {
                try NeutronDecoder.networks($0).map { ($0.id, $0.name) }
            }
        case .router, .subnet, .port:
            let (path, key) = kind == .router ? ("v2.0/routers", "routers")
                : kind == .subnet ? ("v2.0/subnets", "subnets") : ("v2.0/ports", "ports")
            candidates = try await listed(.network, path, target, kind) { OpenStackCloudBackend.idNamePage($0, key: key) }
        case .floatingIP:
            // A floating IP has no name: people know it by its address.
            candidates = try await listed(.network, "v2.0/floatingips", target, kind, filter: "floating_ip_address") {
                try NeutronDecoder.floatingIPs($0).map { ($0.id, $0.address) }
            }
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

    /// The ids and names of every page of `path` whose `filter` is `target` (or `filterValue`, as the service wants it).
    private func listed(_ service: ServiceType, _ path: String, _ target: String, _ kind: ResourceKind,
                        filter: String = "name", filterValue: String? = nil, headers: [String: String] = [:],
                        _ decode: (Data) throws -> OpenStackPage<(id: String, name: String)>) async throws -> [(id: String, name: String)] {
        try await client.listAll(service, path, query: [URLQueryItem(name: filter, value: filterValue ?? target)],
                                 headers: headers, limit: limit, what: "Finding \(kind.noun) \(target)") { body, _ in
            try decode(body)
        }
    }

    /// A UUID with or without dashes, as every service but Nova's flavors and key pairs uses.
    static func looksLikeID(_ text: String) -> Bool {
        let hex = text.filter { $0 != "-" }
        return (text.count == 36 || text.count == 32) && hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }
}

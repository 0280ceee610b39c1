import Foundation
import StacktopModel
import StacktopServices

/// Small pieces every create-side action shares: reading options, JSON bodies, local files and
/// the ids of kinds that `NameResolution` does not cover (flavors, security groups). Request bodies are
/// `Encodable` values declared beside the code that sends them; answers are read as they come.
extension OpenStackCloudBackend {
    var resolver: NameResolution { NameResolution(client: client, compute: compute, limit: options.pageLimit) }

    /// The one name a create or a single-target action works on.
    static func single(_ request: ActionRequest, _ usage: String) throws -> String {
        let names = request.targets.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard names.count == 1 else {
            throw names.isEmpty ? BackendError.missingTarget(kind: request.kind, action: request.action, usage: usage)
                : BackendError.oneAtATime(kind: request.kind, action: request.action, usage: usage)
        }
        return names[0]
    }

    /// An option with its surrounding blanks removed; nil when absent or empty.
    static func option(_ request: ActionRequest, _ key: OptionKey) -> String? {
        guard let value = request[key]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        return value
    }

    /// An option the action cannot go without; refused with `reason` when absent or empty.
    static func required(_ request: ActionRequest, _ key: OptionKey, reason: @autoclosure () -> String) throws -> String {
        guard let value = option(request, key) else { throw BackendError.invalidOption(key, reason: reason()) }
        return value
    }

    /// A whole number the schema parsed, checked against the range this action allows; nil when absent.
    static func positive(_ request: ActionRequest, _ key: OptionKey, what: String, upTo limit: Int = Int.max) throws -> Int? {
        guard let value = request.integer(key) else { return nil }
        guard value >= 1, value <= limit else {
            let range = limit == Int.max ? "a whole number of 1 or more" : "a whole number from 1 to \(limit)"
            throw BackendError.invalidOption(key, reason: "\(key) is \(what), \(range), not \"\(value)\".")
        }
        return value
    }

    /// A request body as the APIs receive it: keys sorted, nil fields left out.
    static func json<Body: Encodable>(_ body: Body) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try encoder.encode(body)
    }

    static func object(_ data: Data) -> [String: Any]? {
        (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
    }

    /// One text field of the object a create answers with, as `{"OBJECT": {"KEY": "..."}}`; nil when absent.
    static func answerField(_ data: Data, _ objectKey: String, _ key: String = "id") -> String? {
        (object(data)?[objectKey] as? [String: Any])?[key] as? String
    }

    /// A file on this machine named by an option (user data, a public key, an image).
    static func localFile(_ path: String, option: OptionKey) throws -> Data {
        let expanded = (path as NSString).expandingTildeInPath
        guard let data = FileManager.default.contents(atPath: expanded) else {
            throw BackendError.invalidOption(option, reason: "\(option) \(path) could not be read; give the path of a readable "
                                             + "file on this machine.")
        }
        return data
    }

    /// Nova has no name filter for flavors: the list is short, so it is read and matched here.
    func flavorID(_ name: String) async throws -> String {
        let flavors = try await client.listAll(.compute, "flavors", headers: await compute.headers(), limit: options.pageLimit,
                                               what: "Finding flavor \(name)") { body, _ in
            Self.idNamePage(body, key: "flavors")
        }
        if let match = flavors.first(where: { $0.name == name }) ?? flavors.first(where: { $0.id == name }) {
            return match.id
        }
        throw BackendError.invalidOption(.flavor, reason: "No flavor named \"\(name)\" exists; pick one from `stacktop flavor list`"
            + (flavors.isEmpty ? "." : " (" + flavors.prefix(8).map(\.name).joined(separator: ", ") + ")."))
    }

    /// Security groups of the token's project (an admin sees every project's "default" otherwise).
    func securityGroupID(_ name: String) async throws -> String {
        var query = [URLQueryItem(name: "name", value: name)]
        if let project = try await session.validToken().project?.id {
            query.append(URLQueryItem(name: "project_id", value: project))
        }
        let groups = try await client.listAll(.network, "v2.0/security-groups", query: query, limit: options.pageLimit,
                                              what: "Finding security group \(name)") { body, _ in
            Self.idNamePage(body, key: "security_groups")
        }
        let matches = groups.filter { $0.name == name }
        switch matches.count {
        case 1: return matches[0].id
        case 0 where NameResolution.looksLikeID(name): return name
        case 0: throw BackendError.notFound(kind: "secgroup", name: name)
        default:
            throw BackendError.ambiguousName(kind: ResourceKind.securityGroup.noun, name: name, candidates: matches.map(\.id),
                                             tellApartBy: .id)
        }
    }

    /// `{"KEY": [{"id", "name"}], "KEY_links": [{"rel": "next", "href"}]}`, as Nova and Neutron page.
    static func idNamePage(_ body: Data, key: String) -> OpenStackPage<(id: String, name: String)> {
        let root = object(body) ?? [:]
        let items = (root[key] as? [[String: Any]] ?? []).compactMap { item -> (id: String, name: String)? in
            guard let id = (item["id"] as? String) ?? (item["id"] as? Int).map(String.init) else { return nil }
            return (id, item["name"] as? String ?? "")
        }
        let next = (root[key + "_links"] as? [[String: Any]])?.first { $0["rel"] as? String == "next" }?["href"] as? String
        return OpenStackPage(items: items, next: next)
    }
}

/// `{"ACTION": ARGUMENT}`, or `{"ACTION": null}` without one: how Nova's `servers/{id}/action` and Cinder's
/// `volumes/{id}/action` take every action. The argument is a small `Encodable` of its own shape.
struct ActionBody<Argument: Encodable>: Encodable {
    var action: String
    var argument: Argument?

    init(_ action: String, _ argument: Argument?) { self.action = action; self.argument = argument }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: ActionName.self)
        if let argument {
            try container.encode(argument, forKey: ActionName(stringValue: action))
        } else {
            try container.encodeNil(forKey: ActionName(stringValue: action))
        }
    }

    private struct ActionName: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// The argument of an action that takes none: `{"os-start": null}`.
struct NoArgument: Encodable {}

extension ActionBody where Argument == NoArgument {
    init(_ action: String) { self.init(action, nil) }
}

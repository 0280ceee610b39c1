import Foundation
import StacktopModel
import StacktopServices

extension OpenStackCloudBackend {
    /// Exactly the actions `perform` implements.
    public var capabilities: Capabilities {
        let supported = Set(OpenStackActionTable.handlers.keys)
        let elsewhere = "stacktop cannot change these on OpenStack yet; use the openstack CLI or Horizon."
        return Capabilities(supported: supported, unsupportedKinds: [
            .quota: elsewhere, .flavor: elsewhere, .project: elsewhere,
            .hypervisor: "Hypervisors are only listed here (Nova shows them to admins); enable or disable a compute "
                + "service with `openstack compute service set`.",
        ])
    }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        // What the action touched is read at the next refresh, whatever its cadence (quotas count it too).
        defer { fetch.cadence.markChanged(SnapshotParts.needed(for: request.kind).union([.servers, .quotas])) }
        if let refusal = capabilities.refusal(request.action, on: request.kind) { throw refusal }
        if OpenStackActionTable.handler(for: request) == .withBody {
            guard let outcome = try await performCreateSide(request) else {
                throw BackendError.unsupported(action: "\(request.action.traits.title) \(request.kind.noun)")
            }
            return outcome
        }
        guard !request.targets.isEmpty else {
            throw BackendError.missingTarget(kind: request.kind, action: request.action, usage: nil)
        }
        var newName: String?
        if request.action == .rename {
            guard let name = request[.name]?.trimmingCharacters(in: .whitespaces), !name.isEmpty else {
                throw BackendError.invalidOption(.name, reason: "Rename needs the new name: add --name NEW.")
            }
            guard request.targets.count == 1 else {
                throw BackendError.oneAtATime(kind: .instance, action: .rename, usage: nil)
            }
            newName = name
        }
        // Every name is resolved before anything changes, so an ambiguous one stops the whole request.
        let resolver = NameResolution(client: client, compute: compute, limit: options.pageLimit)
        var ids: [String] = []
        for target in request.targets { ids.append(try await resolver.resolve(target, kind: request.kind)) }

        var requestIDs: [String] = []
        for (target, id) in zip(request.targets, ids) {
            let response = try await send(request, id: id, target: target, newName: newName)
            if let requestID = response.requestID { requestIDs.append(requestID) }
        }
        return ActionOutcome(message: Self.message(request, newName: newName), requestIDs: requestIDs)
    }

    private func send(_ request: ActionRequest, id: String, target: String, newName: String?) async throws -> HTTPResponse {
        let what = "\(request.action.traits.title) \(request.kind.noun) \(target)"
        let component = Self.pathComponent(id)
        switch request.kind {
        case .instance:
            let headers = await compute.headers()
            if request.action == .delete {
                return try await client.send(.compute, "servers/\(component)", method: .delete, headers: headers, what: what)
            }
            if let newName {
                return try await client.send(.compute, "servers/\(component)", method: .put,
                                             body: try Self.json(ServerUpdateRequest(server: .init(name: newName))),
                                             headers: headers, what: what)
            }
            guard let body = ServerAction.body(for: request.action) else { throw BackendError.unsupported(action: what) }
            return try await client.send(.compute, "servers/\(component)/action", method: .post, body: body,
                                         headers: headers, what: what)
        default:
            guard let place = Self.deletePaths[request.kind] else { throw BackendError.unsupported(action: what) }
            // Nova wants its microversion on every call; a floating IP is released, not deleted.
            let headers = place.service == .compute ? await compute.headers() : [:]
            return try await client.send(place.service, "\(place.path)/\(component)", method: .delete, headers: headers,
                                         what: request.kind == .floatingIP ? "Release floating IP \(target)" : what)
        }
    }

    /// Where a resource of each kind but servers is deleted: `DELETE PATH/{id}` on its service.
    static let deletePaths: [ResourceKind: (service: ServiceType, path: String)] = [
        .volume: (.blockStorage, "volumes"), .volumeSnapshot: (.blockStorage, "snapshots"), .image: (.image, "v2/images"),
        .network: (.network, "v2.0/networks"), .securityGroupRule: (.network, "v2.0/security-group-rules"),
        .keypair: (.compute, "os-keypairs"), .router: (.network, "v2.0/routers"), .subnet: (.network, "v2.0/subnets"),
        .port: (.network, "v2.0/ports"), .floatingIP: (.network, "v2.0/floatingips"),
    ]

    static func message(_ request: ActionRequest, newName: String?) -> String {
        let names = request.targets.joined(separator: ", ")
        let noun = request.kind.noun + (request.targets.count > 1 ? "s" : "")
        switch request.action {
        case .rename: return "Renamed server \(names) to \(newName ?? "")."
        // Neutron deletes at once (204), so these say it is done; Nova, Cinder and Glance work on after answering.
        case .delete where request.kind == .floatingIP: return "Released \(noun) \(names) back to the pool."
        case .delete where [.router, .subnet, .port].contains(request.kind): return "Deleted \(noun) \(names)."
        case .delete: return "Asked to delete \(noun) \(names)."
        case .powerOff:
            return "Asked to power off server \(names): Nova has no separate power-off, so this sent os-stop "
                + "(a clean shutdown that Nova forces off after its timeout)."
        default: return "Asked to \(request.action.traits.title.lowercased()) \(noun) \(names)."
        }
    }
}

/// The `POST /servers/{id}/action` bodies stacktop sends.
enum ServerAction {
    /// Instance actions besides rename and delete (which are a PUT and a DELETE): the action's key
    /// and, for reboots, its type.
    static let bodies: [ActionKind: (name: String, rebootType: String?)] = [
        .start: ("os-start", nil), .stop: ("os-stop", nil), .powerOff: ("os-stop", nil),
        .reboot: ("reboot", "SOFT"), .hardReboot: ("reboot", "HARD"),
        .pause: ("pause", nil), .unpause: ("unpause", nil), .suspend: ("suspend", nil), .resume: ("resume", nil),
        .lock: ("lock", nil), .unlock: ("unlock", nil),
    ]

    static func body(for action: ActionKind) -> Data? {
        guard let entry = bodies[action] else { return nil }
        return try? OpenStackCloudBackend.json(ActionBody(entry.name, entry.rebootType.map(Reboot.init)))
    }

    /// `{"reboot": {"type": "SOFT"}}`.
    struct Reboot: Encodable { var type: String }
}

/// `PUT /servers/{id}`: `{"server": {"name": "www"}}`.
struct ServerUpdateRequest: Encodable {
    var server: Server
    struct Server: Encodable { var name: String }
}

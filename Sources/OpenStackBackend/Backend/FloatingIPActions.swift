import Foundation
import StacktopModel
import StacktopServices

/// Floating IPs on Neutron, named by their address as people do:
///   floating-ip create [--network public]                  allocate one from an external network
///   floating-ip associate ADDRESS --server NAME [--fixed-ip 10.0.0.5]
///   floating-ip disassociate ADDRESS...
///   floating-ip delete ADDRESS...                         release it back to the pool
extension OpenStackCloudBackend {
    func allocateFloatingIP(_ request: ActionRequest) async throws -> ActionOutcome {
        guard request.targets.count <= 1 else {
            throw BackendError.oneAtATime(kind: .floatingIP, action: .create, usage: "`stacktop floating-ip create --network public`")
        }
        let network = try await externalNetwork(Self.option(request, .network) ?? request.targets.first)
        let body = FloatingIPCreateRequest(floatingip: .init(floatingNetworkID: network.id,
                                                             description: Self.option(request, .description)))
        let response = try await client.send(.network, "v2.0/floatingips", method: .post, body: try Self.json(body),
                                             what: "Allocate a floating IP from \(network.name)")
        let created = try? NeutronDecoder.floatingIP(response.body, path: "/v2.0/floatingips")
        let address = created.map { " \($0.address)" } ?? ""
        return ActionOutcome(message: "Allocated floating IP\(address) from \(network.name)"
                                + (created.map { " (id \($0.id))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func associateFloatingIP(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop floating-ip associate 172.24.4.10 --server web-01`"
        let address = try Self.single(request, usage)
        let server = try Self.required(request, .server,
                                       reason: "Name the server to associate \(address) with: add --server NAME, as in \(usage).")
        let floatingID = try await resolver.resolve(address, kind: .floatingIP)
        let serverID = try await resolver.resolve(server, kind: .instance)
        let (port, fixed) = try await serverPort(serverID, server: server, fixedIP: Self.option(request, .fixedIP))
        let body = FloatingIPUpdateRequest(floatingip: .init(portID: port, fixedIPAddress: fixed))
        let response = try await client.send(.network, "v2.0/floatingips/\(Self.pathComponent(floatingID))", method: .put,
                                             body: try Self.json(body),
                                             what: "Associate floating IP \(address) with server \(server)")
        return ActionOutcome(message: "Associated floating IP \(address) with server \(server)"
                                + (fixed.map { " at \($0)" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func disassociateFloatingIPs(_ request: ActionRequest) async throws -> ActionOutcome {
        guard !request.targets.isEmpty else {
            throw BackendError.missingTarget(kind: .floatingIP, action: .disassociate,
                                             usage: "`stacktop floating-ip disassociate 172.24.4.10`")
        }
        var ids: [String] = []
        for address in request.targets { ids.append(try await resolver.resolve(address, kind: .floatingIP)) }
        var requestIDs: [String] = []
        for (address, id) in zip(request.targets, ids) {
            let response = try await client.send(.network, "v2.0/floatingips/\(Self.pathComponent(id))", method: .put,
                                                 body: try Self.json(FloatingIPUpdateRequest(floatingip: .init(portID: nil))),
                                                 what: "Disassociate floating IP \(address)")
            if let id = response.requestID { requestIDs.append(id) }
        }
        let noun = request.targets.count == 1 ? "floating IP" : "floating IPs"
        return ActionOutcome(message: "Disassociated \(noun) \(request.targets.joined(separator: ", ")); "
                                + (request.targets.count == 1 ? "it stays" : "they stay") + " allocated to the project.",
                             requestIDs: requestIDs)
    }

    /// The external network named (or the only one there is): floating IPs come only from those.
    func externalNetwork(_ name: String?, option: OptionKey = .network) async throws -> (id: String, name: String) {
        let externals = try await client.listAll(.network, "v2.0/networks",
                                                 query: [URLQueryItem(name: "router:external", value: "true")],
                                                 limit: options.pageLimit, what: "Listing external networks") { body, _ in
            try NeutronDecoder.networks(body)
        }
        let names = externals.map(\.name).joined(separator: ", ")
        guard let name else {
            guard externals.count == 1 else {
                if externals.isEmpty {
                    throw BackendError.unavailable(feature: "external network", reason: "This cloud has no external network "
                        + "to take a floating IP or a gateway from; ask an administrator for one.")
                }
                throw BackendError.invalidOption(option, reason: "Name the external network with --network: this cloud has "
                    + "\(externals.count) (\(names)).")
            }
            return (externals[0].id, externals[0].name)
        }
        if let match = externals.first(where: { $0.name == name || $0.id == name }) { return (match.id, match.name) }
        throw BackendError.invalidOption(option, reason: "\"\(name)\" is not an external network; "
            + (externals.isEmpty ? "this cloud has none, ask an administrator for one." : "use one of: \(names)."))
    }

    /// The server's port to map onto: the one holding `fixedIP`, else its only port with an address.
    func serverPort(_ serverID: String, server: String, fixedIP: String?) async throws -> (port: String, fixed: String?) {
        let ports = try await client.listAll(.network, "v2.0/ports", query: [URLQueryItem(name: "device_id", value: serverID)],
                                             limit: options.pageLimit, what: "Finding the ports of server \(server)") { body, _ in
            try NeutronDecoder.ports(body)
        }.filter { !$0.fixedIPs.isEmpty }
        if let fixedIP {
            guard let port = ports.first(where: { $0.fixedIPs.contains(fixedIP) }) else {
                throw BackendError.invalidOption(.fixedIP, reason: "Server \(server) has no address \(fixedIP); its addresses are "
                    + Self.addresses(ports) + ".")
            }
            return (port.id, fixedIP)
        }
        switch ports.count {
        case 0:
            throw BackendError.invalidOption(.server, reason: "Server \(server) has no port with an address to map a floating IP onto; "
                + "attach it to a network first.")
        case 1:
            // Neutron picks the port's first IPv4 address itself; naming it only matters for ports with several.
            return (ports[0].id, ports[0].fixedIPs.count > 1 ? ports[0].fixedIPs.first { !$0.contains(":") } : nil)
        default:
            throw BackendError.invalidOption(.fixedIP,
                                             reason: "Server \(server) has \(ports.count) ports; choose the address to map with "
                + "--fixed-ip (one of \(Self.addresses(ports))).")
        }
    }

    private static func addresses(_ ports: [NeutronPort]) -> String {
        let all = ports.flatMap(\.fixedIPs)
        return all.isEmpty ? "none" : all.joined(separator: ", ")
    }
}

/// `POST /v2.0/floatingips`: `{"floatingip": {"floating_network_id": "…", "description": "…"}}`.
struct FloatingIPCreateRequest: Encodable {
    var floatingip: FloatingIP
    struct FloatingIP: Encodable {
        var floatingNetworkID: String
        var description: String?
        enum CodingKeys: String, CodingKey { case description, floatingNetworkID = "floating_network_id" }
    }
}

/// `PUT /v2.0/floatingips/{id}`: map it onto a port (and one of its addresses), or `"port_id": null` to unmap.
struct FloatingIPUpdateRequest: Encodable {
    var floatingip: Mapping

    struct Mapping: Encodable {
        var portID: String?
        var fixedIPAddress: String?

        enum CodingKeys: String, CodingKey { case portID = "port_id", fixedIPAddress = "fixed_ip_address" }

        /// The port is always said, null included: null is what disassociates.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(portID, forKey: .portID)
            try container.encodeIfPresent(fixedIPAddress, forKey: .fixedIPAddress)
        }
    }
}

import Foundation
import StacktopModel
import StacktopServices

/// Routers on Neutron. A subnet is plugged in and out the way a server's interface is:
///   router create NAME [--external-network public]
///   router attach-interface ROUTER --subnet SUBNET      (openstack router add subnet)
///   router detach-interface ROUTER --subnet SUBNET      (openstack router remove subnet)
///   router update ROUTER --external-network public|none (set or clear the gateway)
///   router delete ROUTER...                              (detach its subnets first, as Neutron requires)
extension OpenStackCloudBackend {
    func createRouter(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop router create NAME [--external-network public]`")
        var router = RouterRequest.Router(name: name)
        var gateway: String?
        if let external = Self.option(request, .externalNetwork) {
            let network = try await externalNetwork(external, option: .externalNetwork)
            router.externalGatewayInfo = RouterRequest.Gateway(networkID: network.id)
            gateway = network.name
        }
        let response = try await client.send(.network, "v2.0/routers", method: .post,
                                             body: try Self.json(RouterRequest(router: router)), what: "Create router \(name)")
        let id = Self.answerField(response.body, "router")
        return ActionOutcome(message: "Created router \(name)" + (id.map { " (id \($0))" } ?? "")
                                + (gateway.map { " with its gateway on \($0)" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func changeRouterInterface(_ request: ActionRequest) async throws -> ActionOutcome {
        let attach = request.action == .attachInterface
        let usage = "`stacktop router \(request.action.word) ROUTER --subnet SUBNET`"
        let router = try Self.single(request, usage)
        let subnet = try Self.required(request, .subnet,
                                       reason: "Name the subnet to \(attach ? "attach" : "detach"): add --subnet SUBNET, "
                                           + "as in \(usage).")
        let routerID = try await resolver.resolve(router, kind: .router)
        let subnetID = try await resolver.resolve(subnet, kind: .subnet)
        let verb = attach ? "add_router_interface" : "remove_router_interface"
        let response = try await client.send(.network, "v2.0/routers/\(Self.pathComponent(routerID))/\(verb)", method: .put,
                                             body: try Self.json(RouterInterfaceRequest(subnetID: subnetID)),
                                             what: attach ? "Attach subnet \(subnet) to router \(router)"
                                                 : "Detach subnet \(subnet) from router \(router)")
        return ActionOutcome(message: attach ? "Attached subnet \(subnet) to router \(router)."
                                 : "Detached subnet \(subnet) from router \(router).",
                             requestIDs: response.requestIDs)
    }

    func updateRouter(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop router update ROUTER --external-network public` (or `none` to clear the gateway)"
        let router = try Self.single(request, usage)
        let external = try Self.required(request, .externalNetwork,
                                         reason: "Say what to change: add --external-network NETWORK or --external-network none, "
                                             + "as in \(usage).")
        let clear = external.lowercased() == "none"
        let network = clear ? nil : try await externalNetwork(external, option: .externalNetwork)
        let routerID = try await resolver.resolve(router, kind: .router)
        // An empty gateway, `{}`, is how Neutron is told to clear it.
        let gateway = RouterRequest.Gateway(networkID: network?.id)
        let response = try await client.send(.network, "v2.0/routers/\(Self.pathComponent(routerID))", method: .put,
                                             body: try Self.json(RouterRequest(router: .init(externalGatewayInfo: gateway))),
                                             what: clear ? "Clear the gateway of router \(router)"
                                                 : "Set the gateway of router \(router)")
        return ActionOutcome(message: network.map { "Set the gateway of router \(router) to \($0.name)." }
                                ?? "Cleared the gateway of router \(router).",
                             requestIDs: response.requestIDs)
    }
}

/// `POST /v2.0/routers` (a name, maybe a gateway) and `PUT /v2.0/routers/{id}` (the gateway alone).
struct RouterRequest: Encodable {
    var router: Router

    struct Router: Encodable {
        var name: String?
        var externalGatewayInfo: Gateway?
        enum CodingKeys: String, CodingKey { case name, externalGatewayInfo = "external_gateway_info" }
    }

    /// `{"network_id": "…"}`, or `{}` to clear the gateway.
    struct Gateway: Encodable {
        var networkID: String?
        enum CodingKeys: String, CodingKey { case networkID = "network_id" }
    }
}

/// `PUT /v2.0/routers/{id}/add_router_interface` (and remove): `{"subnet_id": "…"}`.
struct RouterInterfaceRequest: Encodable {
    var subnetID: String
    enum CodingKeys: String, CodingKey { case subnetID = "subnet_id" }
}

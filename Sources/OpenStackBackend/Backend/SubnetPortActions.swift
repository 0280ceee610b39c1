import Foundation
import StacktopModel
import StacktopServices

/// Subnets and ports on Neutron (deletes go through `perform` like every other kind):
///   subnet create NAME --network NET --cidr 10.30.0.0/24 [--gateway IP] [--dhcp START-END]
///   port create NAME --network NET [--fixed-ip 10.30.0.10]
extension OpenStackCloudBackend {
    func createSubnet(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop subnet create NAME --network NET --cidr 10.30.0.0/24`"
        let name = try Self.single(request, usage)
        let network = try Self.required(request, .network,
                                        reason: "Name the network the subnet belongs to: add --network NET, as in \(usage).")
        guard let cidr = request.cidr(.cidr) else {
            throw BackendError.invalidOption(.cidr, reason: "Give the subnet's address range: add --cidr, as in \(usage).")
        }
        let subnet = Self.subnetBody(name: name, cidr: cidr, networkID: try await resolver.resolve(network, kind: .network), request)
        let response = try await client.send(.network, "v2.0/subnets", method: .post, body: try Self.json(subnet),
                                             what: "Create subnet \(name) of network \(network)")
        let id = Self.answerField(response.body, "subnet")
        return ActionOutcome(message: "Created subnet \(name) (\(cidr)) on network \(network)" + (id.map { ", id \($0)" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func createPort(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop port create NAME --network NET [--fixed-ip 10.30.0.10]`"
        let name = try Self.single(request, usage)
        let network = try Self.required(request, .network,
                                        reason: "Name the network to put the port on: add --network NET, as in \(usage).")
        let port = PortCreateRequest.Port(name: name, networkID: try await resolver.resolve(network, kind: .network),
                                          fixedIPs: Self.option(request, .fixedIP).map { [.init(ipAddress: $0)] })
        let response = try await client.send(.network, "v2.0/ports", method: .post, body: try Self.json(PortCreateRequest(port: port)),
                                             what: "Create port \(name) on network \(network)")
        let created = Self.object(response.body)?["port"] as? [String: Any]
        let addresses = (created?["fixed_ips"] as? [[String: Any]])?.compactMap { $0["ip_address"] as? String } ?? []
        let mac = created?["mac_address"] as? String
        return ActionOutcome(message: "Created port \(name) on network \(network)"
                                + (addresses.isEmpty ? "" : " at " + addresses.joined(separator: ", "))
                                + (mac.map { " (MAC \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }
}

/// `POST /v2.0/ports`: `{"port": {"name", "network_id", "fixed_ips": [{"ip_address"}]}}`, the address only when given.
struct PortCreateRequest: Encodable {
    var port: Port

    struct Port: Encodable {
        var name: String
        var networkID: String
        var fixedIPs: [FixedIP]?
        enum CodingKeys: String, CodingKey { case name, networkID = "network_id", fixedIPs = "fixed_ips" }
    }

    struct FixedIP: Encodable {
        var ipAddress: String
        enum CodingKeys: String, CodingKey { case ipAddress = "ip_address" }
    }
}

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
        guard let network = Self.option(request, .network) else {
            throw BackendError.refused(reason: "Name the network the subnet belongs to: add --network NET, as in \(usage).")
        }
        guard let cidr = request.cidr(.cidr) else {
            throw BackendError.refused(reason: "Give the subnet's address range: add --cidr, as in \(usage).")
        }
        var subnet = Self.subnetBody(name: name, cidr: cidr, request)
        subnet["network_id"] = try await resolver.resolve(network, kind: .network)
        let response = try await client.send(.network, "v2.0/subnets", method: .post, body: try Self.json(["subnet": subnet]),
                                             what: "Create subnet \(name) of network \(network)")
        let id = (Self.object(response.body)?["subnet"] as? [String: Any])?["id"] as? String
        return ActionOutcome(message: "Created subnet \(name) (\(cidr)) on network \(network)" + (id.map { ", id \($0)" } ?? "") + ".",
                             requestIDs: response.requestID.map { [$0] } ?? [])
    }

    func createPort(_ request: ActionRequest) async throws -> ActionOutcome {
        let usage = "`stacktop port create NAME --network NET [--fixed-ip 10.30.0.10]`"
        let name = try Self.single(request, usage)
        guard let network = Self.option(request, .network) else {
            throw BackendError.refused(reason: "Name the network to put the port on: add --network NET, as in \(usage).")
        }
        var port: [String: Any] = ["name": name, "network_id": try await resolver.resolve(network, kind: .network)]
        if let fixed = Self.option(request, .fixedIP) { port["fixed_ips"] = [["ip_address": fixed]] }
        let response = try await client.send(.network, "v2.0/ports", method: .post, body: try Self.json(["port": port]),
                                             what: "Create port \(name) on network \(network)")
        let created = Self.object(response.body)?["port"] as? [String: Any]
        let addresses = (created?["fixed_ips"] as? [[String: Any]])?.compactMap { $0["ip_address"] as? String } ?? []
        let mac = created?["mac_address"] as? String
        return ActionOutcome(message: "Created port \(name) on network \(network)"
                                + (addresses.isEmpty ? "" : " at " + addresses.joined(separator: ", "))
                                + (mac.map { " (MAC \($0))" } ?? "") + ".",
                             requestIDs: response.requestID.map { [$0] } ?? [])
    }
}

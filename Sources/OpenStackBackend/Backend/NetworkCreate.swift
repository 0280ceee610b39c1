import Foundation
import StacktopModel
import StacktopServices

/// A Neutron network and, with --cidr, its one subnet (`--gateway`, `--dhcp START-END`).
extension OpenStackCloudBackend {
    func createNetwork(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop network create NAME --cidr 10.20.0.0/24`")
        // The schema checked the range; --gateway and --dhcp without it would describe no subnet.
        let cidr = request.cidr(.cidr)
        if cidr == nil, Self.option(request, .gateway) != nil || request.addressRange(.dhcp) != nil {
            throw BackendError.invalidOption(.cidr, reason: "--gateway and --dhcp describe a subnet: add --cidr for it too.")
        }

        let created = try await client.send(.network, "v2.0/networks", method: .post,
                                            body: try Self.json(NetworkCreateRequest(network: .init(name: name))),
                                            what: "Create network \(name)")
        var requestIDs = created.requestIDs
        guard let networkID = Self.answerField(created.body, "network") else {
            throw BackendError.failed(what: "Create network \(name)",
                                      reason: "Neutron's answer had no network id; check `stacktop network list`")
        }
        var message = "Created network \(name) (id \(networkID))"
        if let cidr {
            let subnet = Self.subnetBody(name: "\(name)-subnet", cidr: cidr, networkID: networkID, request)
            do {
                let made = try await client.send(.network, "v2.0/subnets", method: .post, body: try Self.json(subnet),
                                                 what: "Create subnet \(cidr) of network \(name)")
                if let id = made.requestID { requestIDs.append(id) }
                message += " with subnet \(cidr)"
            } catch {
                // A network without its subnet is not what was asked for: take it back, then report the subnet's failure.
                _ = try? await client.send(.network, "v2.0/networks/\(Self.pathComponent(networkID))", method: .delete,
                                           what: "Remove network \(name)")
                throw error
            }
        }
        if let mode = Self.option(request, .mode) {
            message += "; --mode \(mode) was ignored, as Neutron networks reach outside through a router instead"
        }
        return ActionOutcome(message: message + ".", requestIDs: requestIDs)
    }

    /// A subnet's body from `--gateway` and `--dhcp START-END`; no DHCP range means no DHCP, as the form says.
    static func subnetBody(name: String, cidr: String, networkID: String, _ request: ActionRequest) -> SubnetCreateRequest {
        let range = request.addressRange(.dhcp)
        return SubnetCreateRequest(subnet: .init(name: name, networkID: networkID, cidr: cidr, ipVersion: cidr.contains(":") ? 6 : 4,
                                                 gatewayIP: option(request, .gateway), enableDHCP: range != nil,
                                                 allocationPools: range.map { [.init(start: $0.start, end: $0.end)] }))
    }
}

/// `POST /v2.0/networks`: `{"network": {"name": "lab"}}`.
struct NetworkCreateRequest: Encodable {
    var network: Network
    struct Network: Encodable { var name: String }
}

/// `POST /v2.0/subnets`: DHCP is said either way; the gateway and pools only when given.
struct SubnetCreateRequest: Encodable {
    var subnet: Subnet

    struct Subnet: Encodable {
        var name: String
        var networkID: String
        var cidr: String
        var ipVersion: Int
        var gatewayIP: String?
        var enableDHCP: Bool
        var allocationPools: [Pool]?

        enum CodingKeys: String, CodingKey {
            case name, cidr, networkID = "network_id", ipVersion = "ip_version", gatewayIP = "gateway_ip"
            case enableDHCP = "enable_dhcp", allocationPools = "allocation_pools"
        }
    }

    struct Pool: Encodable { var start: String; var end: String }
}

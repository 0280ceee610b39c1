#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// Neutron v2.0 responses. Every list carries `<resource>_links` when paginated.
public enum NeutronDecoder {
    static let service = "Neutron"

    /// `GET /v2.0/networks`. Subnets are listed separately; pass them to fill each network's `subnets`.
    public static func networks(_ data: Data, subnets: [NeutronSubnet] = [],
                                projectNamesByID: [String: String] = [:],
                                path: String = "/v2.0/networks") throws(DecodingFailure) -> OpenStackPage<Network> {
        let page = try WireDecoder.page(WireNetwork.self, key: "networks", from: data, service: service, path: path)
        let subnetsByID = Dictionary(subnets.map { ($0.id, $0.subnet) }, uniquingKeysWith: { first, _ in first })
        return page.map { $0.network(subnetsByID, projectNamesByID) }
    }

    /// `GET /v2.0/networks/{id}` or the `POST /v2.0/networks` reply.
    public static func network(_ data: Data, subnets: [NeutronSubnet] = [],
                               projectNamesByID: [String: String] = [:],
                               path: String = "/v2.0/networks/{id}") throws(DecodingFailure) -> Network {
        struct Body: Decodable { var network: WireNetwork }
        let subnetsByID = Dictionary(subnets.map { ($0.id, $0.subnet) }, uniquingKeysWith: { first, _ in first })
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path)
            .network.network(subnetsByID, projectNamesByID)
    }

    /// `GET /v2.0/subnets`.
    public static func subnets(_ data: Data, path: String = "/v2.0/subnets") throws(DecodingFailure) -> OpenStackPage<NeutronSubnet> {
        struct Pool: Decodable {
            var start: String
            var end: String
        }
        struct Wire: Decodable {
            var id: String
            var name: String?
            var network_id: String
            var cidr: String
            var gateway_ip: String?
            var enable_dhcp: Bool?
            var allocation_pools: [Pool]?
            var ip_version: Int?
        }
        let page = try WireDecoder.page(Wire.self, key: "subnets", from: data, service: service, path: path)
        return page.map { wire -> NeutronSubnet in
            let pools = (wire.allocation_pools ?? []).map { (start: $0.start, end: $0.end) }
            let dhcp = wire.enable_dhcp ?? false
            // The model's DHCP range is the first allocation pool, and only when Neutron serves DHCP on it.
            let first = dhcp ? pools.first : nil
            return NeutronSubnet(id: wire.id, name: wire.name ?? "", networkID: wire.network_id,
                                 subnet: Subnet(cidr: wire.cidr, gateway: wire.gateway_ip,
                                                dhcpStart: first?.start, dhcpEnd: first?.end, id: wire.id,
                                                name: wire.name ?? "", ipVersion: wire.ip_version ?? 4,
                                                dhcpEnabled: dhcp, allocationPools: pools.map { "\($0.start)-\($0.end)" }),
                                 dhcpEnabled: dhcp, ipVersion: wire.ip_version ?? 4,
                                 allocationPools: pools.map { AllocationPool(start: $0.start, end: $0.end) })
        }
    }

    /// `GET /v2.0/quotas/{project}` (limits only) or `/quotas/{project}/details` (used and limit).
    public static func quotas(_ data: Data, project: String,
                              path: String = "/v2.0/quotas/{project}/details") throws(DecodingFailure) -> ProjectQuotas {
        struct Body: Decodable { var quota: [String: WireQuotaValue] }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        return ProjectQuotas(project: project, usages: try QuotaMapping.usages(body.quota, keys: [
            .networks: "network", .securityGroups: "security_group", .securityGroupRules: "security_group_rule",
            .subnets: "subnet", .ports: "port", .routers: "router", .floatingIPs: "floatingip",
            .routerRoutes: "router_route", .rbacPolicies: "rbac_policy", .subnetPools: "subnetpool",
        ], service: service,
                                                                               path: path, container: "quota"))
    }
}

public struct AllocationPool: Sendable, Equatable {
    public var start: String
    public var end: String
    public init(start: String, end: String) { self.start = start; self.end = end }
}

/// A Neutron subnet with the ids that tie it to its network; `subnet` is what the model shows.
public struct NeutronSubnet: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var networkID: String
    public var subnet: Subnet
    public var dhcpEnabled: Bool
    public var ipVersion: Int
    public var allocationPools: [AllocationPool]

    public init(id: String, name: String, networkID: String, subnet: Subnet, dhcpEnabled: Bool,
                ipVersion: Int = 4, allocationPools: [AllocationPool] = []) {
        self.id = id; self.name = name; self.networkID = networkID; self.subnet = subnet
        self.dhcpEnabled = dhcpEnabled; self.ipVersion = ipVersion; self.allocationPools = allocationPools
    }
}

private struct WireNetwork: Decodable {
    var id: String
    var name: String?
    var status: String?
    var admin_state_up: Bool?
    var shared: Bool?
    var external: Bool?
    var networkType: String?
    var subnets: [String]?
    var project_id: String?
    var tenant_id: String?
    enum CodingKeys: String, CodingKey {
        case id, name, status, admin_state_up, shared, subnets, project_id, tenant_id
        case external = "router:external", networkType = "provider:network_type"
    }

    func network(_ subnetsByID: [String: Subnet], _ projectNames: [String: String]) -> Network {
        let external = self.external ?? false
        let project = project_id ?? tenant_id
        // The Type column: the provider type when an admin sees it, otherwise what a user can tell.
        let type = networkType ?? (external ? "external" : "internal")
        return Network(id: id, name: name ?? "", forwardMode: type,
                       active: status == "ACTIVE" && (admin_state_up ?? true),
                       subnets: (subnets ?? []).compactMap { subnetsByID[$0] },
                       project: project.flatMap { $0.isEmpty ? nil : projectNames[$0] ?? $0 },
                       shared: shared ?? false, external: external)
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A Neutron port: what ties an instance (device) to a network, with its MAC and fixed IPs.
public struct NeutronPort: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var networkID: String
    public var macAddress: String
    public var fixedIPs: [String]
    /// The subnet of each fixed IP, in the same order.
    public var subnetIDs: [String]
    /// Server id for "compute:*" owners, router id for "network:router_*".
    public var deviceID: String
    public var deviceOwner: String
    public var status: String
    public var securityGroupIDs: [String]
    public var project: String?

    public init(id: String, name: String, networkID: String, macAddress: String, fixedIPs: [String],
                deviceID: String, deviceOwner: String, status: String, securityGroupIDs: [String] = [],
                project: String? = nil, subnetIDs: [String] = []) {
        self.id = id; self.name = name; self.networkID = networkID; self.macAddress = macAddress
        self.fixedIPs = fixedIPs; self.subnetIDs = subnetIDs; self.deviceID = deviceID; self.deviceOwner = deviceOwner; self.status = status
        self.securityGroupIDs = securityGroupIDs; self.project = project
    }
}

public struct NeutronRouter: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var status: String
    public var adminStateUp: Bool = true
    /// The external network the gateway is on, if any.
    public var externalNetworkID: String?
    public var externalIPs: [String]
    public var project: String?

    public init(id: String, name: String, status: String, externalNetworkID: String? = nil,
                externalIPs: [String] = [], project: String? = nil) {
        self.id = id; self.name = name; self.status = status; self.externalNetworkID = externalNetworkID
        self.externalIPs = externalIPs; self.project = project
    }
}

/// A floating IP with the ids that tie it to its network, port and router; the snapshot names them.
public struct NeutronFloatingIP: Sendable, Equatable, Identifiable {
    public var id: String
    public var address: String
    public var fixedAddress: String?
    public var portID: String?
    public var networkID: String
    public var status: String
    public var project: String?
    public var routerID: String?
    /// The server behind the port, from `port_details` (Neutron with the fip-port-details extension).
    public var deviceID: String?

    public init(id: String, address: String, fixedAddress: String? = nil, portID: String? = nil,
                networkID: String, status: String, project: String? = nil, routerID: String? = nil,
                deviceID: String? = nil) {
        self.id = id; self.address = address; self.fixedAddress = fixedAddress; self.portID = portID
        self.networkID = networkID; self.status = status; self.project = project; self.routerID = routerID
        self.deviceID = deviceID
    }
}

private struct WireFixedIP: Decodable {
    var ip_address: String
    var subnet_id: String?
}

private struct WireFloatingIP: Decodable {
    struct PortDetails: Decodable { var device_id: String? }
    var id: String
    var floating_ip_address: String
    var fixed_ip_address: String?
    var port_id: String?
    var floating_network_id: String
    var status: String
    var project_id: String?
    var tenant_id: String?
    var router_id: String?
    var port_details: PortDetails?

    var floatingIP: NeutronFloatingIP {
        let device = port_details?.device_id
        return NeutronFloatingIP(id: id, address: floating_ip_address, fixedAddress: fixed_ip_address, portID: port_id,
                                 networkID: floating_network_id, status: status, project: project(project_id, tenant_id),
                                 routerID: router_id, deviceID: device?.isEmpty == true ? nil : device)
    }
}

/// Neutron writes an empty string for "no project" on system-owned ports.
private func project(_ id: String?, _ tenant: String?) -> String? {
    let value = id ?? tenant
    return value?.isEmpty == true ? nil : value
}

extension NeutronDecoder {
    /// `GET /v2.0/ports`.
    public static func ports(_ data: Data, path: String = "/v2.0/ports") throws(DecodingFailure) -> OpenStackPage<NeutronPort> {
        struct Wire: Decodable {
            var id: String
            var name: String?
            var network_id: String
            var mac_address: String
            var fixed_ips: [WireFixedIP]?
            var device_id: String?
            var device_owner: String?
            var status: String
            var security_groups: [String]?
            var project_id: String?
            var tenant_id: String?
        }
        let page = try WireDecoder.page(Wire.self, key: "ports", from: data, service: service, path: path)
        return page.map {
            NeutronPort(id: $0.id, name: $0.name ?? "", networkID: $0.network_id, macAddress: $0.mac_address,
                        fixedIPs: ($0.fixed_ips ?? []).map(\.ip_address), deviceID: $0.device_id ?? "",
                        deviceOwner: $0.device_owner ?? "", status: $0.status,
                        securityGroupIDs: $0.security_groups ?? [], project: project($0.project_id, $0.tenant_id),
                        subnetIDs: ($0.fixed_ips ?? []).map { $0.subnet_id ?? "" })
        }
    }

    /// `GET /v2.0/routers`.
    public static func routers(_ data: Data, path: String = "/v2.0/routers") throws(DecodingFailure) -> OpenStackPage<NeutronRouter> {
        struct Gateway: Decodable {
            var network_id: String?
            var external_fixed_ips: [WireFixedIP]?
        }
        struct Wire: Decodable {
            var id: String
            var name: String?
            var status: String
            var admin_state_up: Bool?
            var external_gateway_info: Gateway?
            var project_id: String?
            var tenant_id: String?
        }
        let page = try WireDecoder.page(Wire.self, key: "routers", from: data, service: service, path: path)
        return page.map {
            var router = NeutronRouter(id: $0.id, name: $0.name ?? "", status: $0.status,
                                       externalNetworkID: $0.external_gateway_info?.network_id,
                                       externalIPs: ($0.external_gateway_info?.external_fixed_ips ?? []).map(\.ip_address),
                                       project: project($0.project_id, $0.tenant_id))
            router.adminStateUp = $0.admin_state_up ?? true
            return router
        }
    }

    /// `GET /v2.0/floatingips`.
    public static func floatingIPs(_ data: Data,
                                   path: String = "/v2.0/floatingips") throws(DecodingFailure) -> OpenStackPage<NeutronFloatingIP> {
        let page = try WireDecoder.page(WireFloatingIP.self, key: "floatingips", from: data, service: service, path: path)
        return page.map(\.floatingIP)
    }

    /// The `POST /v2.0/floatingips` or `PUT /v2.0/floatingips/{id}` reply.
    public static func floatingIP(_ data: Data,
                                  path: String = "/v2.0/floatingips/{id}") throws(DecodingFailure) -> NeutronFloatingIP {
        struct Body: Decodable { var floatingip: WireFloatingIP }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path).floatingip.floatingIP
    }
}

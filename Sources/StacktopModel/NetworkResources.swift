/// A public address taken from an external network and mapped (or not yet) onto a server's port:
/// a Neutron floating IP. A libvirt host has none.
public struct FloatingIP: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    /// The public address, e.g. "172.24.4.228"; people name a floating IP by it.
    public var address: String
    /// "ACTIVE", "DOWN" or "ERROR".
    public var status: String
    public var project: String?
    /// The external network it was allocated from, by name when known.
    public var network: String
    /// The server-side address it maps to; nil while unassociated.
    public var fixedAddress: String?
    public var portID: String?
    /// The server behind the port, by name when known.
    public var server: String?
    public var router: String?

    public init(id: String, address: String, status: String, project: String? = nil, network: String,
                fixedAddress: String? = nil, portID: String? = nil, server: String? = nil, router: String? = nil) {
        self.id = id; self.address = address; self.status = status; self.project = project; self.network = network
        self.fixedAddress = fixedAddress; self.portID = portID; self.server = server; self.router = router
    }

    public var isAssociated: Bool { portID != nil }
}

/// One subnet a router is plugged into, through one of its ports.
public struct RouterInterface: Sendable, Equatable, Codable {
    /// The subnet's name, or its CIDR when it has none.
    public var subnet: String
    public var cidr: String?
    /// The router's address on that subnet (usually the subnet's gateway).
    public var address: String?
    public var portID: String

    public init(subnet: String, cidr: String? = nil, address: String? = nil, portID: String) {
        self.subnet = subnet; self.cidr = cidr; self.address = address; self.portID = portID
    }
}

/// A Neutron router: joins subnets, and with an external gateway gives them a way out (SNAT) and
/// floating IPs a way in.
public struct Router: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// "ACTIVE", "DOWN", ...
    public var status: String
    public var adminStateUp: Bool
    public var project: String?
    /// The external network of the gateway, by name when known; nil without a gateway.
    public var externalNetwork: String?
    /// The gateway's addresses on the external network.
    public var externalAddresses: [String]
    public var interfaces: [RouterInterface]

    public init(id: String, name: String, status: String, adminStateUp: Bool = true, project: String? = nil,
                externalNetwork: String? = nil, externalAddresses: [String] = [], interfaces: [RouterInterface] = []) {
        self.id = id; self.name = name; self.status = status; self.adminStateUp = adminStateUp; self.project = project
        self.externalNetwork = externalNetwork; self.externalAddresses = externalAddresses; self.interfaces = interfaces
    }
}

/// A Neutron port: what plugs a device (a server, a router, DHCP) into a network.
public struct Port: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    /// The network, by name when known.
    public var network: String
    public var macAddress: String
    public var fixedIPs: [String]
    /// "compute:nova", "network:router_interface", "network:dhcp", ... or "" for a free port.
    public var deviceOwner: String
    /// A server id for "compute:*" owners, a router id for "network:router_*".
    public var deviceID: String
    /// The server or router behind `deviceID`, by name when known.
    public var device: String?
    /// "ACTIVE", "DOWN", "BUILD".
    public var status: String
    public var project: String?

    public init(id: String, name: String, network: String, macAddress: String, fixedIPs: [String] = [],
                deviceOwner: String = "", deviceID: String = "", device: String? = nil, status: String,
                project: String? = nil) {
        self.id = id; self.name = name; self.network = network; self.macAddress = macAddress
        self.fixedIPs = fixedIPs; self.deviceOwner = deviceOwner; self.deviceID = deviceID; self.device = device
        self.status = status; self.project = project
    }

    /// A server's port (Nova plugs them with owner "compute:ZONE").
    public var isServerPort: Bool { deviceOwner.hasPrefix("compute:") }
    /// A router's leg on an internal subnet (HA and DVR routers use their own owner names).
    public var isRouterInterface: Bool {
        ["network:router_interface", "network:router_interface_distributed",
         "network:ha_router_replicated_interface"].contains(deviceOwner)
    }
}

extension Router: NamedResource {}
extension Port: NamedResource {}

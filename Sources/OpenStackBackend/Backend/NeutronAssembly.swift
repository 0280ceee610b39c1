import StacktopModel

/// Neutron lists as read, with ids where the screens want names.
struct NeutronLists: Sendable {
    var subnets: [NeutronSubnet] = []
    var floatingIPs: [NeutronFloatingIP] = []
    var routers: [NeutronRouter] = []
    var ports: [NeutronPort] = []
    /// The port list was read (so a network with none really has none).
    var portsRead = false
}

/// Turns Neutron's ids into the names people use: networks, servers and routers by name, a router's
/// interfaces found among the ports (Neutron's router object does not list them).
struct NeutronNaming {
    let lists: NeutronLists
    let networkNames: [String: String]
    let serverNames: [String: String]
    let routerNames: [String: String]
    let portsByID: [String: NeutronPort]
    let subnetsByID: [String: NeutronSubnet]
    let project: (String?) -> String?

    init(_ lists: NeutronLists, networks: [Network], serverNames: [String: String],
         project: @escaping (String?) -> String?) {
        self.lists = lists
        self.serverNames = serverNames
        self.project = project
        networkNames = Self.index(networks.map { ($0.id, $0.name) })
        routerNames = Self.index(lists.routers.map { ($0.id, $0.name) })
        portsByID = Dictionary(lists.ports.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        subnetsByID = Dictionary(lists.subnets.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// Unnamed things keep their id, so a column never goes blank.
    private static func index(_ pairs: [(String, String)]) -> [String: String] {
        Dictionary(pairs.map { ($0.0, $0.1.isEmpty ? $0.0 : $0.1) }, uniquingKeysWith: { first, _ in first })
    }

    func floatingIPs() -> [FloatingIP] {
        lists.floatingIPs.map { ip in
            // port_details names the server on newer Neutron; the port list covers older ones.
            let device = ip.deviceID ?? ip.portID.flatMap { portsByID[$0]?.deviceID }
            return FloatingIP(id: ip.id, address: ip.address, status: ip.status, project: project(ip.project),
                              network: networkNames[ip.networkID] ?? ip.networkID, fixedAddress: ip.fixedAddress,
                              portID: ip.portID, server: device.flatMap { serverNames[$0] ?? ($0.isEmpty ? nil : $0) },
                              router: ip.routerID.map { routerNames[$0] ?? $0 })
        }
    }

    func routers() -> [Router] {
        // Grouped once: a large cloud has thousands of ports and hundreds of routers.
        let portsByDevice = Dictionary(grouping: lists.ports, by: \.deviceID)
        return lists.routers.map { router in
            let interfaces = (portsByDevice[router.id] ?? []).filter { port($0).isRouterInterface }
                .flatMap { port in
                    zip(port.fixedIPs, port.subnetIDs.isEmpty ? Array(repeating: "", count: port.fixedIPs.count) : port.subnetIDs)
                        .map { address, subnetID -> RouterInterface in
                            let subnet = subnetsByID[subnetID]
                            let label = subnet.map { $0.name.isEmpty ? $0.subnet.cidr : $0.name } ?? (subnetID.isEmpty ? address : subnetID)
                            return RouterInterface(subnet: label, cidr: subnet?.subnet.cidr, address: address, portID: port.id)
                        }
                }
            return Router(id: router.id, name: router.name, status: router.status, adminStateUp: router.adminStateUp,
                          project: project(router.project),
                          externalNetwork: router.externalNetworkID.map { networkNames[$0] ?? $0 },
                          externalAddresses: router.externalIPs, interfaces: interfaces)
        }
    }

    func ports() -> [Port] {
        lists.ports.map(port)
    }

    private func port(_ port: NeutronPort) -> Port {
        let device = serverNames[port.deviceID] ?? routerNames[port.deviceID]
        return Port(id: port.id, name: port.name, network: networkNames[port.networkID] ?? port.networkID,
                    macAddress: port.macAddress, fixedIPs: port.fixedIPs, deviceOwner: port.deviceOwner,
                    deviceID: port.deviceID, device: device, status: port.status, project: project(port.project))
    }
}

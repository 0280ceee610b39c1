import StacktopModel

extension ResourceTable {
    public static let networks = ResourceTable(
        kind: "network", title: "Networks",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 2)),
            ColumnSpec("Type", key: "type", width: .fixed(8)),
            ColumnSpec("Subnets", key: "subnets", width: .flexible(min: 16, weight: 2)),
            ColumnSpec("Gateway", key: "gateway", width: .flexible(min: 13, weight: 1), priority: 2),
            ColumnSpec("DHCP", key: "dhcp", width: .flexible(min: 10, weight: 2), priority: 3),
            ColumnSpec("Bridge", key: "bridge", width: .fixed(10), priority: 4),
            ColumnSpec("Ports", key: "ports", width: .fixed(5), alignRight: true, priority: 1),
            ColumnSpec("Status", key: "status", width: .fixed(8)),
        ],
        rows: { snapshot in
            snapshot.networks.map { network in
                let ports = network.portCount ?? snapshot.instances.reduce(0) { count, instance in
                    count + instance.interfaces.filter { $0.network == network.name }.count
                }
                let dhcp = network.subnets.compactMap { s in
                    s.dhcpStart.flatMap { start in s.dhcpEnd.map { "\(start)-\($0)" } }
                }
                return TableRow.make(id: network.id, [
                    .text(network.name), .text(network.forwardMode), .list(network.subnets.map(\.cidr)),
                    .list(network.subnets.compactMap(\.gateway)), .list(dhcp),
                    network.bridge.map(FieldValue.text) ?? .missing, .integer(ports),
                    .text(network.active ? "active" : "inactive"),
                ], roles: [nil, nil, nil, nil, nil, nil, nil, network.active ? .stateRunning : .stateShutoff])
            }
        },
        details: { snapshot, id in
            guard let network = snapshot.networks.first(where: { $0.id == id }) else { return nil }
            // Neutron's own ports when the backend has them (router, DHCP and free ports too), else the instances' NICs.
            let neutronPorts = snapshot.ports.filter { $0.network == network.name || $0.network == network.id }
            let ports: [(String, String)] = network.portCount != nil
                ? neutronPorts.map { port in
                    (port.macAddress, (port.device ?? (port.deviceOwner.isEmpty ? "free port" : port.deviceOwner)) + "  "
                        + (port.fixedIPs.isEmpty ? "no address" : port.fixedIPs.joined(separator: ", ")))
                }
                : snapshot.instances.flatMap { instance in
                    instance.interfaces.filter { $0.network == network.name }.map { nic in
                        (nic.mac, instance.name + "  " + (nic.addresses.isEmpty ? "no address" : nic.addresses.joined(separator: ", ")))
                    }
                }
            return [
                DetailSection("Network", [
                    ("Name", network.name), ("ID", network.id), ("Type", network.forwardMode),
                    ("Bridge", network.bridge ?? "-"), ("Status", network.active ? "active" : "inactive"),
                    ("Autostart", network.autostart ? "yes" : "no"), ("Project", network.project ?? "-"),
                ]),
                DetailSection("Subnets", network.subnets.isEmpty ? [("-", "no subnet")] : network.subnets.map { s in
                    let dhcp = s.dhcpEnabled ? "DHCP " + (s.allocationPools.isEmpty ? "on" : s.allocationPools.joined(separator: ", ")) : "no DHCP"
                    return (s.cidr, (s.name.isEmpty ? "" : s.name + "  ") + "gateway \(s.gateway ?? "-")  \(dhcp)")
                }),
                DetailSection("Ports", ports.isEmpty
                              ? [("-", network.portCount != nil ? "no port on this network" : "no instance on this network")]
                              : ports),
            ]
        })

    /// Every subnet of every network: Neutron's subnets, or a libvirt network's address ranges.
    public static let subnets = ResourceTable(
        kind: "subnet", title: "Subnets",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 10, weight: 2)),
            ColumnSpec("Network", key: "network", width: .flexible(min: 10, weight: 2)),
            ColumnSpec("CIDR", key: "cidr", width: .flexible(min: 14, weight: 1)),
            ColumnSpec("IP version", key: "ip_version", width: .fixed(4), alignRight: true, priority: 2),
            ColumnSpec("Gateway", key: "gateway", width: .flexible(min: 13, weight: 1), priority: 1),
            ColumnSpec("DHCP", key: "dhcp", width: .fixed(4), priority: 2),
            ColumnSpec("Allocation pools", key: "allocation_pools", width: .flexible(min: 16, weight: 2), priority: 3),
            ColumnSpec("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 4),
        ],
        rows: { snapshot in
            snapshot.networks.flatMap { network in
                network.subnets.map { subnet in
                    TableRow.make(id: SubnetRow.id(subnet, network), [
                        .text(subnet.name.isEmpty ? subnet.cidr : subnet.name), .text(network.name), .text(subnet.cidr),
                        .integer(subnet.ipVersion), subnet.gateway.map(FieldValue.text) ?? .missing,
                        .flag(subnet.dhcpEnabled), .list(subnet.allocationPools), .text(SubnetRow.id(subnet, network)),
                    ])
                }
            }
        },
        details: { snapshot, id in
            for network in snapshot.networks {
                guard let subnet = network.subnets.first(where: { SubnetRow.id($0, network) == id }) else { continue }
                return [DetailSection("Subnet", [
                    ("Name", subnet.name.isEmpty ? "-" : subnet.name), ("ID", SubnetRow.id(subnet, network)),
                    ("Network", network.name), ("CIDR", subnet.cidr), ("IP version", String(subnet.ipVersion)),
                    ("Gateway", subnet.gateway ?? "-"), ("DHCP", subnet.dhcpEnabled ? "yes" : "no"),
                    ("Allocation pools", subnet.allocationPools.isEmpty ? "-" : subnet.allocationPools.joined(separator: ", ")),
                    ("Project", network.project ?? "-"),
                ])]
            }
            return nil
        })

    public static let securityGroups = ResourceTable(
        kind: "secgroup", title: "Security Groups",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 2)),
            ColumnSpec("Description", key: "description", width: .flexible(min: 16, weight: 4), priority: 2),
            ColumnSpec("Rules", key: "rules", width: .fixed(5), alignRight: true),
            ColumnSpec("Ingress", key: "ingress", width: .flexible(min: 14, weight: 3), priority: 1),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 3),
            ColumnSpec("Instances", key: "instances", width: .fixed(9), alignRight: true, priority: 1),
        ],
        rows: { snapshot in
            snapshot.securityGroups.map { group in
                let ingress = group.rules.filter { $0.direction == .ingress }.map(RuleFormat.short)
                let users = snapshot.instances.filter(group.isUsed(by:)).count
                return TableRow.make(id: group.id, [
                    .text(group.name), .text(group.description), .integer(group.rules.count), .list(ingress),
                    group.project.map(FieldValue.text) ?? .missing, .integer(users),
                ])
            }
        },
        details: { snapshot, id in
            guard let group = snapshot.securityGroups.first(where: { $0.id == id }) else { return nil }
            let users = snapshot.instances.filter(group.isUsed(by:)).map(\.name)
            return [
                DetailSection("Security group", [
                    ("Name", group.name), ("ID", group.id), ("Description", group.description.isEmpty ? "-" : group.description),
                    ("Project", group.project ?? "-"),
                ]),
                DetailSection("Rules", group.rules.isEmpty ? [("-", "no rules: all traffic is dropped")] : group.rules.map { rule in
                    (rule.direction.rawValue, RuleFormat.long(rule))
                }),
                DetailSection("Instances", users.isEmpty ? [("-", "no instance uses this group")] : users.map { ("instance", $0) }),
            ]
        })
}

/// How security group rules read in tables and details.
enum RuleFormat {
    static func short(_ rule: SecurityGroupRule) -> String {
        let proto = rule.protocol ?? "any"
        return rule.portMin == nil ? proto : "\(proto)/\(rule.portRangeLabel)"
    }

    static func long(_ rule: SecurityGroupRule) -> String {
        let remote = rule.remoteGroup.map { "group \($0)" } ?? rule.remoteCIDR ?? "any"
        return "\(rule.ethertype) \(rule.protocol ?? "any") port \(rule.portRangeLabel) "
            + (rule.direction == .ingress ? "from " : "to ") + remote
    }
}

/// A libvirt address range has no id of its own: it is named by its network and CIDR.
enum SubnetRow {
    static func id(_ subnet: Subnet, _ network: Network) -> String {
        subnet.id.isEmpty ? network.id + "/" + subnet.cidr : subnet.id
    }
}

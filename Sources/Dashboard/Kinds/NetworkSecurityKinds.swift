import StacktopModel
import StacktopServices

extension KindSpec {
    /// This file's kinds, for the registry (their places in the tab bar are their `tabOrder`).
    static let networkKinds: [KindSpec] = [.networks, .subnets, .securityGroups]

    public static let networks = KindSpec(
        .network, tabOrder: 40, title: "Networks", panelWord: "networks",
        items: { snapshot in
            // Instances' NICs per network, for backends that do not count ports themselves (libvirt).
            var nics: [String: Int] = [:]
            for instance in snapshot.instances {
                for nic in instance.interfaces { if let network = nic.network { nics[network, default: 0] += 1 } }
            }
            return snapshot.networks.map { Counted($0, $0.portCount ?? nics[$0.name] ?? 0) }
        },
        id: \.item.id, name: \.item.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 2)) { .text($0.item.name) },
            KindColumn("Type", key: "type", width: .fixed(8)) { .text($0.item.forwardMode) },
            KindColumn("Subnets", key: "subnets", width: .flexible(min: 16, weight: 2)) { .list($0.item.subnets.map(\.cidr)) },
            KindColumn("Gateway", key: "gateway", width: .flexible(min: 13, weight: 1), priority: 2) {
                .list($0.item.subnets.compactMap(\.gateway))
            },
            KindColumn("DHCP", key: "dhcp", width: .flexible(min: 10, weight: 2), priority: 3) {
                .list($0.item.subnets.compactMap { s in s.dhcpStart.flatMap { start in s.dhcpEnd.map { "\(start)-\($0)" } } })
            },
            KindColumn("Bridge", key: "bridge", width: .fixed(10), priority: 4) { .optional($0.item.bridge) },
            KindColumn("Ports", key: "ports", width: .fixed(5), alignRight: true, priority: 1) { .integer($0.count) },
            KindColumn("Status", key: "status", width: .fixed(8), role: { $0.item.active ? .stateRunning : .stateShutoff }) {
                .text($0.item.active ? "active" : "inactive")
            },
        ],
        details: { row, snapshot in
            let network = row.item
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

    /// Every subnet of every network: Neutron's subnets, or a libvirt network's address ranges. For
    /// `stacktop subnet list`; the dashboard shows subnets inside networks.
    public static let subnets = KindSpec(
        .subnet, tabOrder: 900, title: "Subnets", panelWord: "subnets", hasPanel: false,
        items: { snapshot in snapshot.networks.flatMap { network in network.subnets.map { SubnetRow(subnet: $0, network: network) } } },
        id: \.id, name: { $0.subnet.name.isEmpty ? $0.subnet.cidr : $0.subnet.name },
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 10, weight: 2)) {
                .text($0.subnet.name.isEmpty ? $0.subnet.cidr : $0.subnet.name)
            },
            KindColumn("Network", key: "network", width: .flexible(min: 10, weight: 2)) { .text($0.network.name) },
            KindColumn("CIDR", key: "cidr", width: .flexible(min: 14, weight: 1)) { .text($0.subnet.cidr) },
            KindColumn("IP version", key: "ip_version", width: .fixed(4), alignRight: true, priority: 2) { .integer($0.subnet.ipVersion) },
            KindColumn("Gateway", key: "gateway", width: .flexible(min: 13, weight: 1), priority: 1) { .optional($0.subnet.gateway) },
            KindColumn("DHCP", key: "dhcp", width: .fixed(4), priority: 2) { .flag($0.subnet.dhcpEnabled) },
            KindColumn("Allocation pools", key: "allocation_pools", width: .flexible(min: 16, weight: 2), priority: 3) {
                .list($0.subnet.allocationPools)
            },
            KindColumn("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 4) { .text($0.id) },
        ],
        details: { row, _ in
            let subnet = row.subnet
            return [DetailSection("Subnet", [
                ("Name", subnet.name.isEmpty ? "-" : subnet.name), ("ID", row.id),
                ("Network", row.network.name), ("CIDR", subnet.cidr), ("IP version", String(subnet.ipVersion)),
                ("Gateway", subnet.gateway ?? "-"), ("DHCP", subnet.dhcpEnabled ? "yes" : "no"),
                ("Allocation pools", subnet.allocationPools.isEmpty ? "-" : subnet.allocationPools.joined(separator: ", ")),
                ("Project", row.network.project ?? "-"),
            ])]
        })

    public static let securityGroups = KindSpec(
        .securityGroup, tabOrder: 50, title: "Security Groups", shortTitle: "SecGroups", panelWord: "secgroups",
        items: { snapshot in snapshot.securityGroups.map { group in Counted(group, snapshot.instances.filter(group.isUsed(by:)).count) } },
        id: \.item.id, name: \.item.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 2)) { .text($0.item.name) },
            KindColumn("Description", key: "description", width: .flexible(min: 16, weight: 4), priority: 2) { .text($0.item.description) },
            KindColumn("Rules", key: "rules", width: .fixed(5), alignRight: true) { .integer($0.item.rules.count) },
            KindColumn("Ingress", key: "ingress", width: .flexible(min: 14, weight: 3), priority: 1) {
                .list($0.item.rules.filter { $0.direction == .ingress }.map(RuleFormat.short))
            },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 3) { .optional($0.item.project) },
            KindColumn("Instances", key: "instances", width: .fixed(9), alignRight: true, priority: 1) { .integer($0.count) },
        ],
        details: { row, snapshot in
            let group = row.item
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

/// A subnet with its network. A libvirt address range has no id of its own: it is named by its
/// network and CIDR.
struct SubnetRow: Sendable {
    var subnet: Subnet
    var network: Network
    var id: String { subnet.id.isEmpty ? network.id + "/" + subnet.cidr : subnet.id }
}

import StacktopModel
import TerminalUI

/// Floating IPs, routers, ports and hypervisors: the columns Horizon shows for each, fitted to a terminal.
extension ResourceTable {
    public static let floatingIPs = ResourceTable(
        kind: "floating ip", title: "Floating IPs",
        columns: [
            ColumnSpec("Address", key: "address", width: .flexible(min: 15, weight: 1)),
            ColumnSpec("Server", key: "server", width: .flexible(min: 10, weight: 2)),
            ColumnSpec("Fixed IP", key: "fixed_ip", width: .flexible(min: 15, weight: 1)),
            ColumnSpec("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 1),
            ColumnSpec("Router", key: "router", width: .flexible(min: 8, weight: 1), priority: 3),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 2),
            ColumnSpec("Status", key: "status", width: .fixed(7)),
        ],
        rows: { snapshot in
            snapshot.floatingIPs.map { ip in
                TableRow.make(id: ip.id, [
                    .text(ip.address), optional(ip.server ?? ip.portID), optional(ip.fixedAddress), .text(ip.network),
                    optional(ip.router), optional(ip.project), .text(NeutronStatus.label(ip.status)),
                ], roles: [nil, nil, nil, nil, nil, nil, NeutronStatus.role(ip.status)])
            }
        },
        details: { snapshot, id in
            guard let ip = snapshot.floatingIPs.first(where: { $0.id == id }) else { return nil }
            let mapping: [(String, String)] = ip.isAssociated
                ? [("Server", ip.server ?? "-"), ("Fixed IP", ip.fixedAddress ?? "-"), ("Port", ip.portID ?? "-"),
                   ("Router", ip.router ?? "-")]
                : [("-", "not associated: press A to map it to a server")]
            return [
                DetailSection("Floating IP", [
                    ("Address", ip.address), ("ID", ip.id), ("Pool", ip.network), ("Status", NeutronStatus.label(ip.status)),
                    ("Project", ip.project ?? "-"),
                ]),
                DetailSection("Mapped to", mapping),
            ]
        })

    public static let routers = ResourceTable(
        kind: "router", title: "Routers",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 10, weight: 2)),
            ColumnSpec("External network", key: "external_network", width: .flexible(min: 10, weight: 1)),
            ColumnSpec("Gateway IPs", key: "gateway_ips", width: .flexible(min: 12, weight: 2), priority: 2),
            ColumnSpec("Interfaces", key: "interfaces", width: .flexible(min: 14, weight: 3), priority: 1),
            ColumnSpec("Admin", key: "admin_state", width: .fixed(5), priority: 3),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 2),
            ColumnSpec("Status", key: "status", width: .fixed(7)),
        ],
        rows: { snapshot in
            snapshot.routers.map { router in
                TableRow.make(id: router.id, [
                    .text(router.name), optional(router.externalNetwork), .list(router.externalAddresses),
                    .list(router.interfaces.map(\.subnet)), .text(router.adminStateUp ? "up" : "down"),
                    optional(router.project), .text(NeutronStatus.label(router.status)),
                ], roles: [nil, nil, nil, nil, nil, nil, NeutronStatus.role(router.status)])
            }
        },
        details: { snapshot, id in
            guard let router = snapshot.routers.first(where: { $0.id == id }) else { return nil }
            let gateway = router.externalNetwork.map { network in
                network + (router.externalAddresses.isEmpty ? "" : "  " + router.externalAddresses.joined(separator: ", "))
            } ?? "none: subnets behind it cannot reach outside"
            return [
                DetailSection("Router", [
                    ("Name", router.name), ("ID", router.id), ("Status", NeutronStatus.label(router.status)),
                    ("Admin state", router.adminStateUp ? "up" : "down"), ("Project", router.project ?? "-"),
                    ("Gateway", gateway),
                ]),
                DetailSection("Interfaces", router.interfaces.isEmpty ? [("-", "no subnet attached")] : router.interfaces.map {
                    ($0.subnet, [$0.cidr, $0.address.map { "at \($0)" }].compactMap { $0 }.joined(separator: " "))
                }),
            ]
        })

    /// For `stacktop port list` and the details of ports; the dashboard shows ports inside networks.
    public static let ports = ResourceTable(
        kind: "port", title: "Ports",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 8, weight: 1), priority: 2),
            ColumnSpec("Network", key: "network", width: .flexible(min: 8, weight: 1)),
            ColumnSpec("Fixed IPs", key: "fixed_ips", width: .flexible(min: 12, weight: 2)),
            ColumnSpec("MAC", key: "mac", width: .fixed(17), priority: 1),
            ColumnSpec("Attached to", key: "device", width: .flexible(min: 10, weight: 1)),
            ColumnSpec("Owner", key: "device_owner", width: .flexible(min: 10, weight: 1), priority: 3),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 4),
            ColumnSpec("Status", key: "status", width: .fixed(7)),
            ColumnSpec("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 5),
        ],
        defaultSortColumn: 1,
        rows: { snapshot in
            snapshot.ports.map { port in
                TableRow.make(id: port.id, [
                    .text(port.name), .text(port.network), .list(port.fixedIPs), .text(port.macAddress),
                    optional(port.device ?? (port.deviceID.isEmpty ? nil : port.deviceID)), optional(port.deviceOwner),
                    optional(port.project), .text(NeutronStatus.label(port.status)), .text(port.id),
                ], roles: [nil, nil, nil, nil, nil, nil, nil, NeutronStatus.role(port.status), nil])
            }
        },
        details: { snapshot, id in
            guard let port = snapshot.ports.first(where: { $0.id == id }) else { return nil }
            return [DetailSection("Port", [
                ("Name", port.name.isEmpty ? "-" : port.name), ("ID", port.id), ("Network", port.network),
                ("Fixed IPs", port.fixedIPs.isEmpty ? "-" : port.fixedIPs.joined(separator: ", ")), ("MAC", port.macAddress),
                ("Attached to", port.device ?? (port.deviceID.isEmpty ? "nothing" : port.deviceID)),
                ("Owner", port.deviceOwner.isEmpty ? "-" : port.deviceOwner), ("Status", NeutronStatus.label(port.status)),
                ("Project", port.project ?? "-"),
            ])]
        })

    public static let hypervisors = ResourceTable(
        kind: "hypervisor", title: "Hypervisors",
        columns: [
            ColumnSpec("Hostname", key: "hostname", width: .flexible(min: 10, weight: 2)),
            ColumnSpec("Type", key: "type", width: .fixed(6), priority: 2),
            ColumnSpec("State", key: "state", width: .fixed(5)),
            ColumnSpec("Status", key: "status", width: .fixed(8), priority: 1),
            ColumnSpec("vCPU use", key: "vcpus_used", width: .fixed(8), alignRight: true),
            ColumnSpec("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true),
            ColumnSpec("RAM use", key: "memory_used", width: .fixed(7), alignRight: true),
            ColumnSpec("RAM", key: "memory", width: .fixed(6), alignRight: true),
            ColumnSpec("Disk use", key: "disk_used", width: .fixed(8), alignRight: true, priority: 3),
            ColumnSpec("Disk", key: "disk", width: .fixed(6), alignRight: true, priority: 3),
            ColumnSpec("VMs", key: "running_vms", width: .fixed(4), alignRight: true),
            ColumnSpec("Host IP", key: "host_ip", width: .flexible(min: 9, weight: 1), priority: 4),
        ],
        rows: { snapshot in
            snapshot.hypervisors.map { host in
                let up = host.state.lowercased() == "up"
                return TableRow.make(id: host.id, [
                    .text(host.hostname), optional(host.type), .text(host.state), .text(host.status),
                    int(host.vcpusUsed), int(host.vcpus), mib(host.memoryUsedMiB), mib(host.memoryMiB),
                    gib(host.localDiskUsedGiB), gib(host.localDiskGiB), int(host.runningVMs), optional(host.hostIP),
                ], roles: [nil, nil, up ? .stateRunning : .stateError, host.status == "enabled" ? nil : .stateShutoff,
                           nil, nil, nil, nil, nil, nil, nil, nil])
            }
        },
        details: { snapshot, id in
            guard let host = snapshot.hypervisors.first(where: { $0.id == id }) else { return nil }
            func pair(_ used: Int?, _ total: Int?, _ unit: String) -> String {
                guard let total else { return "not reported (Nova 2.88 and later leave it to Placement)" }
                return "\(used.map(String.init) ?? "?")\(unit) used of \(total)\(unit)"
            }
            return [DetailSection("Hypervisor", [
                ("Hostname", host.hostname), ("ID", host.id), ("Type", host.type ?? "-"), ("State", host.state),
                ("Status", host.status), ("Host IP", host.hostIP ?? "-"), ("vCPUs", pair(host.vcpusUsed, host.vcpus, "")),
                ("RAM", pair(host.memoryUsedMiB, host.memoryMiB, " MiB")),
                ("Local disk", pair(host.localDiskUsedGiB, host.localDiskGiB, " GiB")),
                ("Running VMs", host.runningVMs.map(String.init) ?? "-"),
            ])]
        })
}

private func optional(_ text: String?) -> FieldValue {
    guard let text, !text.isEmpty else { return .missing }
    return .text(text)
}

private func int(_ value: Int?) -> FieldValue { value.map(FieldValue.integer) ?? .missing }
private func mib(_ value: Int?) -> FieldValue { value.map(FieldValue.mebibytes) ?? .missing }
private func gib(_ value: Int?) -> FieldValue {
    // An absurd size from outside (near 2^63 GiB) is shown as missing, never a trap.
    guard let value, case (let mebibytes, false) = value.multipliedReportingOverflow(by: 1024) else { return .missing }
    return .mebibytes(mebibytes)
}

/// Neutron's statuses ("ACTIVE", "DOWN", "ERROR", "BUILD") as the other tables write states.
enum NeutronStatus {
    static func label(_ status: String) -> String { status.lowercased() }

    static func role(_ status: String) -> ThemeRole? {
        switch status.uppercased() {
        case "ACTIVE": .stateRunning
        case "DOWN": .stateShutoff
        case "ERROR": .stateError
        case "BUILD", "PENDING_CREATE", "PENDING_UPDATE": .stateBuilding
        default: nil
        }
    }
}

import StacktopModel
import StacktopServices
import TerminalUI

/// Floating IPs, routers, ports and hypervisors: the columns Horizon shows for each, fitted to a terminal.
extension KindSpec {
    /// This file's kinds, for the registry (their places in the tab bar are their `tabOrder`).
    static let networkingKinds: [KindSpec] = [.floatingIPs, .routers, .ports, .hypervisors]

    public static let floatingIPs = KindSpec(
        .floatingIP, tabOrder: 110, title: "Floating IPs", shortTitle: "FIPs", itemWord: "floating ip", panelWord: "fip",
        items: { $0.floatingIPs }, id: \.id, name: \.address,
        columns: [
            KindColumn("Address", key: "address", width: .flexible(min: 15, weight: 1)) { .text($0.address) },
            KindColumn("Server", key: "server", width: .flexible(min: 10, weight: 2)) { .nonEmpty($0.server ?? $0.portID) },
            KindColumn("Fixed IP", key: "fixed_ip", width: .flexible(min: 15, weight: 1)) { .nonEmpty($0.fixedAddress) },
            KindColumn("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 1) { .text($0.network) },
            KindColumn("Router", key: "router", width: .flexible(min: 8, weight: 1), priority: 3) { .nonEmpty($0.router) },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 2) { .nonEmpty($0.project) },
            KindColumn("Status", key: "status", width: .fixed(7), role: { NeutronStatus.role($0.status) }) {
                .text(NeutronStatus.label($0.status))
            },
        ],
        details: { ip, _ in
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

    public static let routers = KindSpec(
        .router, tabOrder: 120, title: "Routers", panelWord: "routers",
        items: { $0.routers }, id: \.id, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 10, weight: 2)) { .text($0.name) },
            KindColumn("External network", key: "external_network", width: .flexible(min: 10, weight: 1)) { .nonEmpty($0.externalNetwork) },
            KindColumn("Gateway IPs", key: "gateway_ips", width: .flexible(min: 12, weight: 2), priority: 2) { .list($0.externalAddresses) },
            KindColumn("Interfaces", key: "interfaces", width: .flexible(min: 14, weight: 3), priority: 1) {
                .list($0.interfaces.map(\.subnet))
            },
            KindColumn("Admin", key: "admin_state", width: .fixed(5), priority: 3) { .text($0.adminStateUp ? "up" : "down") },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 2) { .nonEmpty($0.project) },
            KindColumn("Status", key: "status", width: .fixed(7), role: { NeutronStatus.role($0.status) }) {
                .text(NeutronStatus.label($0.status))
            },
        ],
        details: { router, _ in
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
    public static let ports = KindSpec(
        .port, tabOrder: 910, title: "Ports", panelWord: "ports", hasPanel: false, defaultSortColumn: 1,
        items: { $0.ports }, id: \.id, name: { $0.name.isEmpty ? $0.id : $0.name },
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 8, weight: 1), priority: 2) { .text($0.name) },
            KindColumn("Network", key: "network", width: .flexible(min: 8, weight: 1)) { .text($0.network) },
            KindColumn("Fixed IPs", key: "fixed_ips", width: .flexible(min: 12, weight: 2)) { .list($0.fixedIPs) },
            KindColumn("MAC", key: "mac", width: .fixed(17), priority: 1) { .text($0.macAddress) },
            KindColumn("Attached to", key: "device", width: .flexible(min: 10, weight: 1)) {
                .nonEmpty($0.device ?? ($0.deviceID.isEmpty ? nil : $0.deviceID))
            },
            KindColumn("Owner", key: "device_owner", width: .flexible(min: 10, weight: 1), priority: 3) { .nonEmpty($0.deviceOwner) },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 4) { .nonEmpty($0.project) },
            KindColumn("Status", key: "status", width: .fixed(7), role: { NeutronStatus.role($0.status) }) {
                .text(NeutronStatus.label($0.status))
            },
            KindColumn("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 5) { .text($0.id) },
        ],
        details: { port, _ in
            [DetailSection("Port", [
                ("Name", port.name.isEmpty ? "-" : port.name), ("ID", port.id), ("Network", port.network),
                ("Fixed IPs", port.fixedIPs.isEmpty ? "-" : port.fixedIPs.joined(separator: ", ")), ("MAC", port.macAddress),
                ("Attached to", port.device ?? (port.deviceID.isEmpty ? "nothing" : port.deviceID)),
                ("Owner", port.deviceOwner.isEmpty ? "-" : port.deviceOwner), ("Status", NeutronStatus.label(port.status)),
                ("Project", port.project ?? "-"),
            ])]
        })

    public static let hypervisors = KindSpec(
        .hypervisor, tabOrder: 130, title: "Hypervisors", shortTitle: "Hosts", panelWord: "hypervisors",
        items: { $0.hypervisors }, id: \.id, name: \.hostname,
        columns: [
            KindColumn("Hostname", key: "hostname", width: .flexible(min: 10, weight: 2)) { .text($0.hostname) },
            KindColumn("Type", key: "type", width: .fixed(6), priority: 2) { .nonEmpty($0.type) },
            KindColumn("State", key: "state", width: .fixed(5), role: { $0.state.lowercased() == "up" ? .stateRunning : .stateError }) {
                .text($0.state)
            },
            KindColumn("Status", key: "status", width: .fixed(8), priority: 1, role: { $0.status == "enabled" ? nil : .stateShutoff }) {
                .text($0.status)
            },
            KindColumn("vCPU use", key: "vcpus_used", width: .fixed(8), alignRight: true) { int($0.vcpusUsed) },
            KindColumn("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true) { int($0.vcpus) },
            KindColumn("RAM use", key: "memory_used", width: .fixed(7), alignRight: true) { mib($0.memoryUsedMiB) },
            KindColumn("RAM", key: "memory", width: .fixed(6), alignRight: true) { mib($0.memoryMiB) },
            KindColumn("Disk use", key: "disk_used", width: .fixed(8), alignRight: true, priority: 3) { gib($0.localDiskUsedGiB) },
            KindColumn("Disk", key: "disk", width: .fixed(6), alignRight: true, priority: 3) { gib($0.localDiskGiB) },
            KindColumn("VMs", key: "running_vms", width: .fixed(4), alignRight: true) { int($0.runningVMs) },
            KindColumn("Host IP", key: "host_ip", width: .flexible(min: 9, weight: 1), priority: 4) { .nonEmpty($0.hostIP) },
        ],
        details: { host, _ in
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

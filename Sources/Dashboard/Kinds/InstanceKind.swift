import StacktopModel
import StacktopServices
import TerminalUI

extension KindSpec {
    /// This file's kinds, for the registry (their places in the tab bar are their `tabOrder`).
    static let computeKinds: [KindSpec] = [.instances]

    public static let instances = KindSpec(
        .instance, tabOrder: 10, title: "Instances", panelWord: "instances",
        items: { $0.instances }, id: \.id, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 3)) { .text($0.name) },
            KindColumn("State", key: "state", width: .fixed(13), role: { StateColors.role(for: $0.state) }) { .state($0.state) },
            // A row still loading is known by name only: its sizes show as missing, not as 0.
            KindColumn("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true, priority: 1) {
                $0.state == .loading ? .missing : .integer($0.vcpus)
            },
            KindColumn("RAM", key: "ram", width: .fixed(6), alignRight: true, priority: 1) {
                $0.state == .loading ? .missing : .mebibytes($0.memoryMiB)
            },
            KindColumn("Disk", key: "disk", width: .fixed(6), alignRight: true, priority: 2) {
                $0.disks.isEmpty ? .missing : .bytes(UInt64($0.diskGiB * 1_073_741_824))
            },
            KindColumn("IPs", key: "ips", width: .flexible(min: 15, weight: 2), priority: 3) { .list($0.addresses) },
            KindColumn("Image", key: "image", width: .flexible(min: 10, weight: 2), priority: 4) { .optional($0.image) },
            KindColumn("Flavor", key: "flavor", width: .fixed(9), priority: 5) { .optional($0.flavor) },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 6) { .optional($0.project) },
            KindColumn("Age", key: "age", width: .fixed(5), alignRight: true, priority: 2) { .date($0.createdAt) },
        ],
        details: { instance, snapshot in InstanceDetails.sections(instance, now: snapshot.takenAt) })
}

/// Which theme role colours each instance state.
public enum StateColors {
    public static func role(for state: InstanceState) -> ThemeRole {
        switch state {
        case .running: .stateRunning
        case .paused, .suspended: .statePaused
        case .shutoff, .shutdown: .stateShutoff
        case .crashed, .error: .stateError
        case .building: .stateBuilding
        case .unknown, .loading: .stateOther
        }
    }
}

enum InstanceDetails {
    static func sections(_ i: Instance, now: Date) -> [DetailSection] {
        var sections = [DetailSection("Overview", [
            ("Name", i.name), ("ID", i.id), ("State", i.state.label),
            ("Locked", i.locked ? "yes" : "no"),
            ("Project", i.project ?? "-"), ("Created", i.createdAt.map { Format.iso8601($0) } ?? "-"),
            ("Age", i.createdAt.map { Format.age(of: $0, now: now) } ?? "-"),
            ("Host", i.hostname ?? "-"),
        ])]
        sections.append(DetailSection("Specs", [
            ("Flavor", i.flavor ?? "-"), ("vCPUs", String(i.vcpus)), ("RAM", Format.mebibytes(i.memoryMiB)),
            ("Disk", i.disks.isEmpty ? "-" : Format.gibibytes(i.diskGiB)),
            ("Image", i.image ?? "-"),
            ("CPU time", i.cpuTimeNanoseconds.map { Format.duration(nanoseconds: $0) } ?? "-"),
        ]))
        sections.append(DetailSection("Access", [
            ("Key pair", i.keypair ?? "-"),
            ("Security groups", i.securityGroups.isEmpty ? "-" : i.securityGroups.joined(separator: ", ")),
        ]))
        sections.append(DetailSection("Disks", i.disks.isEmpty ? [("-", "no disks")] : i.disks.map { disk in
            if disk.volumeID != nil {
                // "data-05 on /dev/vdb  1G": a block-storage volume, by name, where the guest sees it.
                let device = disk.target == "volume" ? "an unknown device" : "/dev/" + disk.target
                let size = disk.capacityBytes.map { "  " + Format.bytes($0) } ?? ""
                return ("volume", (disk.source ?? disk.volumeID ?? "?") + " on " + device + size)
            }
            let size = disk.capacityBytes.map { Format.bytes($0) } ?? "?"
            let parts = [disk.device.rawValue, disk.bus, disk.format, size, disk.readOnly ? "read-only" : nil]
            return (disk.target, parts.compactMap { $0 }.joined(separator: " ") + "  " + (disk.source ?? "(no source)"))
        }))
        sections.append(DetailSection("Interfaces", i.interfaces.isEmpty ? [("-", "no interfaces")] : i.interfaces.map { nic in
            let addresses = nic.addresses.isEmpty ? "no address" : nic.addresses.joined(separator: ", ")
            let parts = [nic.type + ":" + (nic.network ?? "?"), nic.model, nic.targetDevice, addresses]
            return (nic.mac, parts.compactMap { $0 }.joined(separator: "  "))
        }))
        sections.append(DetailSection("Consoles", i.graphics.isEmpty ? [("-", "no graphical console")] : i.graphics.map { g in
            let port = g.port > 0 ? String(g.port) : (g.autoport ? "auto (assigned at start)" : "none")
            return (g.type.uppercased(), "listen \(g.listen ?? "-")  port \(port)")
        }))
        return sections
    }
}

import StacktopModel
import TerminalUI

extension ResourceTable {
    public static let instances = ResourceTable(
        kind: "instance", title: "Instances",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 3)),
            ColumnSpec("State", key: "state", width: .fixed(13)),
            ColumnSpec("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true, priority: 1),
            ColumnSpec("RAM", key: "ram", width: .fixed(6), alignRight: true, priority: 1),
            ColumnSpec("Disk", key: "disk", width: .fixed(6), alignRight: true, priority: 2),
            ColumnSpec("IPs", key: "ips", width: .flexible(min: 15, weight: 2), priority: 3),
            ColumnSpec("Image", key: "image", width: .flexible(min: 10, weight: 2), priority: 4),
            ColumnSpec("Flavor", key: "flavor", width: .fixed(9), priority: 5),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 6),
            ColumnSpec("Age", key: "age", width: .fixed(5), alignRight: true, priority: 2),
        ],
        rows: { snapshot in
            snapshot.instances.map { instance in
                TableRow.make(id: instance.id, [
                    .text(instance.name), .state(instance.state), .integer(instance.vcpus),
                    .mebibytes(instance.memoryMiB),
                    instance.disks.isEmpty ? .missing : .bytes(UInt64(instance.diskGiB * 1_073_741_824)),
                    .list(instance.addresses), instance.image.map(FieldValue.text) ?? .missing,
                    instance.flavor.map(FieldValue.text) ?? .missing,
                    instance.project.map(FieldValue.text) ?? .missing, .date(instance.createdAt),
                ], roles: [nil, StateColors.role(for: instance.state)])
            }
        },
        details: { snapshot, id in
            guard let instance = snapshot.instances.first(where: { $0.id == id }) else { return nil }
            return InstanceDetails.sections(instance, now: snapshot.takenAt)
        })
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
        case .unknown: .stateOther
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

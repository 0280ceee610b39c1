import StacktopModel
import StacktopServices
import TerminalUI

extension KindSpec {
    /// This file's kinds, for the registry (their places in the tab bar are their `tabOrder`).
    static let storageKinds: [KindSpec] = [.images, .volumes, .volumeSnapshots]

    public static let images = KindSpec(
        .image, tabOrder: 20, title: "Images", panelWord: "images",
        items: { $0.images }, id: \.id, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 14, weight: 3)) { .text($0.name) },
            KindColumn("Status", key: "status", width: .fixed(8), priority: 1) { .text($0.status) },
            KindColumn("Format", key: "format", width: .fixed(6)) { .text($0.format) },
            KindColumn("Size", key: "size", width: .fixed(7), alignRight: true) { .bytes($0.sizeBytes) },
            KindColumn("OS", key: "os", width: .flexible(min: 10, weight: 2), priority: 2) { .optional($0.os) },
            KindColumn("Min Disk", key: "min_disk", width: .fixed(8), alignRight: true, priority: 3) {
                $0.minDiskGiB > 0 ? .text("\($0.minDiskGiB)G") : .missing
            },
            KindColumn("Min RAM", key: "min_ram", width: .fixed(7), alignRight: true, priority: 3) {
                $0.minRamMiB > 0 ? .mebibytes($0.minRamMiB) : .missing
            },
            KindColumn("Visibility", key: "visibility", width: .fixed(10), priority: 2) { .text($0.visibility.rawValue) },
            KindColumn("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 4) { .optional($0.pool) },
        ],
        details: { image, snapshot in
            let users = snapshot.instances.filter { $0.image == image.name }.map(\.name)
            return [
                DetailSection("Image", [
                    ("Name", image.name), ("ID", image.id), ("Status", image.status), ("Format", image.format),
                    ("Size", Format.bytes(image.sizeBytes)), ("OS", image.os ?? "-"),
                    ("Min disk", image.minDiskGiB > 0 ? "\(image.minDiskGiB) GiB" : "-"),
                    ("Min RAM", image.minRamMiB > 0 ? Format.mebibytes(image.minRamMiB) : "-"),
                    ("Visibility", image.visibility.rawValue), ("Project", image.project ?? "-"),
                    ("Created", image.createdAt.map { Format.iso8601($0) } ?? "-"),
                ]),
                DetailSection("Storage", [("Pool", image.pool ?? "-"), ("Path", image.path ?? "-")]),
                DetailSection("Used by", users.isEmpty ? [("-", "no instance")] : users.map { ("instance", $0) }),
            ]
        })

    public static let volumes = KindSpec(
        .volume, tabOrder: 30, title: "Volumes", panelWord: "volumes",
        items: { $0.volumes }, id: \.id, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 14, weight: 3)) { .text($0.name) },
            KindColumn("Status", key: "status", width: .fixed(9), role: { $0.status == "in-use" ? .accent : nil }) {
                .text($0.status)
            },
            KindColumn("Size", key: "size", width: .fixed(7), alignRight: true) { .bytes($0.sizeBytes) },
            KindColumn("Used", key: "allocation", width: .fixed(7), alignRight: true, priority: 3) { .bytes($0.allocationBytes) },
            KindColumn("Format", key: "format", width: .fixed(6), priority: 2) { .optional($0.format) },
            KindColumn("Attached To", key: "attached_to", width: .flexible(min: 12, weight: 2), priority: 1) { .list($0.attachedTo) },
            KindColumn("Bootable", key: "bootable", width: .fixed(8), priority: 4) { .flag($0.bootable) },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 3) { .optional($0.project) },
            KindColumn("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 5) { .optional($0.pool) },
        ],
        details: { volume, snapshot in
            let snapshots = snapshot.volumeSnapshots.filter { $0.volumeID == volume.id }
            return [
                DetailSection("Volume", [
                    ("Name", volume.name), ("ID", volume.id), ("Status", volume.status),
                    ("Size", Format.bytes(volume.sizeBytes)), ("Allocated", Format.bytes(volume.allocationBytes)),
                    ("Format", volume.format ?? "-"), ("Bootable", volume.bootable ? "yes" : "no"),
                    ("Project", volume.project ?? "-"),
                ]),
                DetailSection("Storage", [("Pool", volume.pool ?? "-"), ("Path", volume.path ?? "-")]),
                DetailSection("Attachments",
                              volume.attachedTo.isEmpty ? [("-", "not attached")] : volume.attachedTo.map { ("instance", $0) }),
            ] + (snapshots.isEmpty ? [] : [DetailSection("Snapshots", snapshots.map { ("snapshot", $0.name) })])
        })

    /// Horizon's Volume Snapshots panel: Cinder snapshots, or qcow2 internal snapshots on a libvirt host.
    public static let volumeSnapshots = KindSpec(
        .volumeSnapshot, tabOrder: 100, title: "Volume Snapshots", shortTitle: "VolSnaps", itemWord: "volume snapshot",
        panelWord: "volume-snapshots",
        items: { $0.volumeSnapshots }, id: \.id, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 14, weight: 3)) { .text($0.name) },
            KindColumn("Volume", key: "volume", width: .flexible(min: 12, weight: 2)) { .text($0.volumeName ?? $0.volumeID) },
            KindColumn("Size", key: "size", width: .fixed(7), alignRight: true) { .bytes($0.sizeBytes) },
            KindColumn("Status", key: "status", width: .fixed(9), role: { VolumeSnapshotStatus.role($0.status) }) {
                .text($0.status)
            },
            KindColumn("Description", key: "description", width: .flexible(min: 12, weight: 3), priority: 2) {
                .optional($0.description)
            },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 3) { .optional($0.project) },
            KindColumn("Age", key: "created", width: .fixed(5), alignRight: true, priority: 1) { .date($0.createdAt) },
        ],
        details: { item, _ in
            [DetailSection("Volume snapshot", [
                ("Name", item.name), ("ID", item.id), ("Status", item.status), ("Size", Format.bytes(item.sizeBytes)),
                ("Volume", item.volumeName.map { "\($0) (\(item.volumeID))" } ?? item.volumeID),
                ("Description", item.description ?? "-"), ("Project", item.project ?? "-"),
                ("Created", item.createdAt.map { Format.iso8601($0) } ?? "-"),
            ])]
        })
}

/// Cinder's snapshot statuses, coloured the way volume states are.
enum VolumeSnapshotStatus {
    static func role(_ status: String) -> ThemeRole? {
        switch status.lowercased() {
        case "available": nil
        case "creating", "deleting", "restoring", "backing-up": .stateBuilding
        case "error", "error_deleting": .stateError
        default: nil
        }
    }
}

import StacktopModel

extension ResourceTable {
    public static let images = ResourceTable(
        kind: "image", title: "Images",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 14, weight: 3)),
            ColumnSpec("Status", key: "status", width: .fixed(8), priority: 1),
            ColumnSpec("Format", key: "format", width: .fixed(6)),
            ColumnSpec("Size", key: "size", width: .fixed(7), alignRight: true),
            ColumnSpec("OS", key: "os", width: .flexible(min: 10, weight: 2), priority: 2),
            ColumnSpec("Min Disk", key: "min_disk", width: .fixed(8), alignRight: true, priority: 3),
            ColumnSpec("Min RAM", key: "min_ram", width: .fixed(7), alignRight: true, priority: 3),
            ColumnSpec("Visibility", key: "visibility", width: .fixed(10), priority: 2),
            ColumnSpec("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 4),
        ],
        rows: { snapshot in
            snapshot.images.map { image in
                TableRow.make(id: image.id, [
                    .text(image.name), .text(image.status), .text(image.format), .bytes(image.sizeBytes),
                    image.os.map(FieldValue.text) ?? .missing,
                    image.minDiskGiB > 0 ? .text("\(image.minDiskGiB)G") : .missing,
                    image.minRamMiB > 0 ? .mebibytes(image.minRamMiB) : .missing,
                    .text(image.visibility.rawValue), image.pool.map(FieldValue.text) ?? .missing,
                ])
            }
        },
        details: { snapshot, id in
            guard let image = snapshot.images.first(where: { $0.id == id }) else { return nil }
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

    public static let volumes = ResourceTable(
        kind: "volume", title: "Volumes",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 14, weight: 3)),
            ColumnSpec("Status", key: "status", width: .fixed(9)),
            ColumnSpec("Size", key: "size", width: .fixed(7), alignRight: true),
            ColumnSpec("Used", key: "allocation", width: .fixed(7), alignRight: true, priority: 3),
            ColumnSpec("Format", key: "format", width: .fixed(6), priority: 2),
            ColumnSpec("Attached To", key: "attached_to", width: .flexible(min: 12, weight: 2), priority: 1),
            ColumnSpec("Bootable", key: "bootable", width: .fixed(8), priority: 4),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 3),
            ColumnSpec("Pool", key: "pool", width: .flexible(min: 8, weight: 1), priority: 5),
        ],
        rows: { snapshot in
            snapshot.volumes.map { volume in
                TableRow.make(id: volume.id, [
                    .text(volume.name), .text(volume.status), .bytes(volume.sizeBytes),
                    .bytes(volume.allocationBytes), volume.format.map(FieldValue.text) ?? .missing,
                    .list(volume.attachedTo), .flag(volume.bootable),
                    volume.project.map(FieldValue.text) ?? .missing, volume.pool.map(FieldValue.text) ?? .missing,
                ], roles: [nil, volume.status == "in-use" ? .accent : nil])
            }
        },
        details: { snapshot, id in
            guard let volume = snapshot.volumes.first(where: { $0.id == id }) else { return nil }
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
            ]
        })
}

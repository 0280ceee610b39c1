import StacktopModel
import TerminalUI

extension ResourceTable {
    public static let quotas = ResourceTable(
        kind: "quota", title: "Quotas",
        columns: [
            ColumnSpec("Project", key: "project", width: .flexible(min: 10, weight: 1)),
            ColumnSpec("Resource", key: "resource", width: .fixed(20)),
            ColumnSpec("Used", key: "used", width: .fixed(10), alignRight: true),
            ColumnSpec("Limit", key: "limit", width: .fixed(10), alignRight: true),
            ColumnSpec("Unit", key: "unit", width: .fixed(5), priority: 4, rawValuesOnly: true),
            ColumnSpec("Usage", key: "percent", width: .fixed(6), alignRight: true),
            ColumnSpec("Free", key: "free", width: .fixed(8), alignRight: true, priority: 1),
        ],
        rows: { snapshot in
            snapshot.quotas.flatMap { project in
                project.usages.map { usage in
                    // Amounts in the unit the API counts in ("5 GiB"); JSON keeps the number and says the unit.
                    let amount: (Int) -> FieldValue = { .quantity($0, unit: usage.resource.unit) }
                    return TableRow.make(id: "\(project.project)/\(usage.resource.rawValue)", [
                        .text(project.project), .text(usage.resource.label), amount(usage.used),
                        usage.isUnlimited ? .text("unlimited") : amount(usage.limit),
                        usage.resource.unit.isEmpty ? .missing : .text(usage.resource.unit),
                        usage.isUnlimited ? .missing : .text(Format.percent(usage.fraction)),
                        usage.remaining.map(amount) ?? .missing,
                    ], roles: [nil, nil, nil, nil, nil, GaugeThresholds.role(for: usage), nil])
                }
            }
        },
        details: { snapshot, id in
            let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2, let project = snapshot.quotas.first(where: { $0.project == parts[0] }) else { return nil }
            return [DetailSection("Quotas of \(project.project)", project.usages.map { usage in
                let limit = usage.isUnlimited ? "unlimited" : usage.resource.amount(usage.limit)
                return (usage.resource.label, "\(usage.resource.amount(usage.used)) of \(limit)")
            })]
        })

    public static let flavors = ResourceTable(
        kind: "flavor", title: "Flavors",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 2)),
            ColumnSpec("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true),
            ColumnSpec("RAM", key: "ram", width: .fixed(6), alignRight: true),
            ColumnSpec("Disk", key: "disk", width: .fixed(6), alignRight: true),
            ColumnSpec("Public", key: "public", width: .fixed(6)),
            ColumnSpec("Instances", key: "instances", width: .fixed(9), alignRight: true),
            ColumnSpec("ID", key: "id", width: .flexible(min: 8, weight: 2), priority: 2),
        ],
        defaultSortColumn: 2,
        rows: { snapshot in
            snapshot.flavors.map { flavor in
                TableRow.make(id: flavor.id, [
                    .text(flavor.name), .integer(flavor.vcpus), .mebibytes(flavor.ramMiB), .text("\(flavor.diskGiB)G"),
                    .flag(flavor.isPublic), .integer(snapshot.instances.filter { $0.flavor == flavor.name }.count),
                    .text(flavor.id),
                ])
            }
        },
        details: { snapshot, id in
            guard let flavor = snapshot.flavors.first(where: { $0.id == id }) else { return nil }
            return [DetailSection("Flavor", [
                ("Name", flavor.name), ("ID", flavor.id), ("vCPUs", String(flavor.vcpus)),
                ("RAM", Format.mebibytes(flavor.ramMiB)), ("Disk", "\(flavor.diskGiB) GiB"),
                ("Public", flavor.isPublic ? "yes" : "no"),
            ])]
        })

    public static let keypairs = ResourceTable(
        kind: "keypair", title: "Key Pairs",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 1)),
            ColumnSpec("Type", key: "type", width: .fixed(5)),
            ColumnSpec("Fingerprint", key: "fingerprint", width: .flexible(min: 20, weight: 3)),
            ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 1),
        ],
        rows: { snapshot in
            snapshot.keypairs.map { key in
                TableRow.make(id: key.name, [
                    .text(key.name), .text(key.type), .text(key.fingerprint), key.project.map(FieldValue.text) ?? .missing,
                ])
            }
        },
        details: { snapshot, id in
            guard let key = snapshot.keypairs.first(where: { $0.name == id }) else { return nil }
            return [DetailSection("Key pair", [
                ("Name", key.name), ("Type", key.type), ("Fingerprint", key.fingerprint),
                ("Project", key.project ?? "-"), ("Created", key.createdAt.map { Format.iso8601($0) } ?? "-"),
                ("Public key", key.publicKey),
            ])]
        })

    public static let projects = ResourceTable(
        kind: "project", title: "Projects",
        columns: [
            ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 1)),
            ColumnSpec("Description", key: "description", width: .flexible(min: 16, weight: 3)),
            ColumnSpec("Enabled", key: "enabled", width: .fixed(7)),
            ColumnSpec("Instances", key: "instances", width: .fixed(9), alignRight: true),
            ColumnSpec("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 1),
        ],
        rows: { snapshot in
            snapshot.projects.map { project in
                TableRow.make(id: project.id, [
                    .text(project.name), .text(project.description), .flag(project.enabled),
                    .integer(project.instanceCount ?? snapshot.instances.filter { $0.project == project.name }.count),
                    .text(project.id),
                ])
            }
        },
        details: { snapshot, id in
            guard let project = snapshot.projects.first(where: { $0.id == id }) else { return nil }
            return [DetailSection("Project", [
                ("Name", project.name), ("ID", project.id), ("Description", project.description),
                ("Enabled", project.enabled ? "yes" : "no"),
                ("Instances", String(project.instanceCount ?? snapshot.instances.filter { $0.project == project.name }.count)),
            ])]
        })
}

/// Gauge colours by how full a quota is, the way Horizon shades its pie charts.
public enum GaugeThresholds {
    public static let warn = 0.75
    public static let critical = 0.9

    public static func role(for usage: QuotaUsage) -> ThemeRole {
        if usage.isUnlimited { return .gaugeOK }
        if usage.fraction >= critical { return .gaugeCritical }
        if usage.fraction >= warn { return .gaugeWarn }
        return .gaugeOK
    }
}

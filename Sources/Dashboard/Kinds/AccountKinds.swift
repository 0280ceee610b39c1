import StacktopModel
import StacktopServices
import TerminalUI

extension KindSpec {
    /// This file's kinds, for the registry (their places in the tab bar are their `tabOrder`).
    static let accountKinds: [KindSpec] = [.quotas, .flavors, .keypairs, .projects]

    public static let quotas = KindSpec(
        .quota, tabOrder: 60, title: "Quotas", panelWord: "quotas",
        items: { snapshot in snapshot.quotas.flatMap { project in project.usages.map { QuotaRow(project: project, usage: $0) } } },
        id: { "\($0.project.project)/\($0.usage.resource.rawValue)" }, name: \.project.project,
        columns: [
            KindColumn("Project", key: "project", width: .flexible(min: 10, weight: 1)) { .text($0.project.project) },
            KindColumn("Resource", key: "resource", width: .fixed(20)) { .text($0.usage.resource.label) },
            KindColumn("Used", key: "used", width: .fixed(10), alignRight: true) { $0.amount($0.usage.used) },
            KindColumn("Limit", key: "limit", width: .fixed(10), alignRight: true) {
                $0.usage.isUnlimited ? .text("unlimited") : $0.amount($0.usage.limit)
            },
            KindColumn("Unit", key: "unit", width: .fixed(5), priority: 4, rawValuesOnly: true) {
                $0.usage.resource.unit.isEmpty ? .missing : .text($0.usage.resource.unit)
            },
            KindColumn("Usage", key: "percent", width: .fixed(6), alignRight: true, role: { GaugeThresholds.role(for: $0.usage) }) {
                $0.usage.isUnlimited ? .missing : .text(Format.percent($0.usage.fraction))
            },
            KindColumn("Free", key: "free", width: .fixed(8), alignRight: true, priority: 1) { row in
                row.usage.remaining.map(row.amount) ?? .missing
            },
        ],
        details: { row, _ in
            [DetailSection("Quotas of \(row.project.project)", row.project.usages.map { usage in
                let limit = usage.isUnlimited ? "unlimited" : usage.resource.amount(usage.limit)
                return (usage.resource.label, "\(usage.resource.amount(usage.used)) of \(limit)")
            })]
        })

    public static let flavors = KindSpec(
        .flavor, tabOrder: 70, title: "Flavors", panelWord: "flavors", defaultSortColumn: 2,
        items: { snapshot in
            let users = Dictionary(grouping: snapshot.instances.compactMap(\.flavor), by: { $0 }).mapValues(\.count)
            return snapshot.flavors.map { Counted($0, users[$0.name] ?? 0) }
        },
        id: \.item.id, name: \.item.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 2)) { .text($0.item.name) },
            KindColumn("vCPUs", key: "vcpus", width: .fixed(5), alignRight: true) { .integer($0.item.vcpus) },
            KindColumn("RAM", key: "ram", width: .fixed(6), alignRight: true) { .mebibytes($0.item.ramMiB) },
            KindColumn("Disk", key: "disk", width: .fixed(6), alignRight: true) { .text("\($0.item.diskGiB)G") },
            KindColumn("Public", key: "public", width: .fixed(6)) { .flag($0.item.isPublic) },
            KindColumn("Instances", key: "instances", width: .fixed(9), alignRight: true) { .integer($0.count) },
            KindColumn("ID", key: "id", width: .flexible(min: 8, weight: 2), priority: 2) { .text($0.item.id) },
        ],
        details: { row, _ in
            let flavor = row.item
            return [DetailSection("Flavor", [
                ("Name", flavor.name), ("ID", flavor.id), ("vCPUs", String(flavor.vcpus)),
                ("RAM", Format.mebibytes(flavor.ramMiB)), ("Disk", "\(flavor.diskGiB) GiB"),
                ("Public", flavor.isPublic ? "yes" : "no"),
            ])]
        })

    public static let keypairs = KindSpec(
        .keypair, tabOrder: 80, title: "Key Pairs", shortTitle: "Keys", panelWord: "keypairs",
        items: { $0.keypairs }, id: \.name, name: \.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 1)) { .text($0.name) },
            KindColumn("Type", key: "type", width: .fixed(5)) { .text($0.type) },
            KindColumn("Fingerprint", key: "fingerprint", width: .flexible(min: 20, weight: 3)) { .text($0.fingerprint) },
            KindColumn("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 1) { .optional($0.project) },
        ],
        details: { key, _ in
            [DetailSection("Key pair", [
                ("Name", key.name), ("Type", key.type), ("Fingerprint", key.fingerprint),
                ("Project", key.project ?? "-"), ("Created", key.createdAt.map { Format.iso8601($0) } ?? "-"),
                ("Public key", key.publicKey),
            ])]
        })

    public static let projects = KindSpec(
        .project, tabOrder: 90, title: "Projects", panelWord: "projects",
        items: { snapshot in
            let users = Dictionary(grouping: snapshot.instances.compactMap(\.project), by: { $0 }).mapValues(\.count)
            return snapshot.projects.map { Counted($0, $0.instanceCount ?? users[$0.name] ?? 0) }
        },
        id: \.item.id, name: \.item.name,
        columns: [
            KindColumn("Name", key: "name", width: .flexible(min: 12, weight: 1)) { .text($0.item.name) },
            KindColumn("Description", key: "description", width: .flexible(min: 16, weight: 3)) { .text($0.item.description) },
            KindColumn("Enabled", key: "enabled", width: .fixed(7)) { .flag($0.item.enabled) },
            KindColumn("Instances", key: "instances", width: .fixed(9), alignRight: true) { .integer($0.count) },
            KindColumn("ID", key: "id", width: .flexible(min: 8, weight: 1), priority: 1) { .text($0.item.id) },
        ],
        details: { row, _ in
            let project = row.item
            return [DetailSection("Project", [
                ("Name", project.name), ("ID", project.id), ("Description", project.description),
                ("Enabled", project.enabled ? "yes" : "no"), ("Instances", String(row.count)),
            ])]
        })
}

/// One quota of one project: a row of the Quotas table.
struct QuotaRow: Sendable {
    var project: ProjectQuotas
    var usage: QuotaUsage

    /// An amount in the unit the API counts in ("5 GiB"); JSON keeps the number and says the unit.
    func amount(_ value: Int) -> FieldValue { .quantity(value, unit: usage.resource.unit) }
}

/// An item with how many of something use it (instances of a flavor), counted once per snapshot.
struct Counted<Item: Sendable>: Sendable {
    var item: Item
    var count: Int
    init(_ item: Item, _ count: Int) { self.item = item; self.count = count }
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

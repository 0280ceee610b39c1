/// How one context of a fleet answered its latest read.
public enum FleetHealth: Sendable, Equatable {
    /// Its latest read succeeded.
    case up
    /// Shown from the store's last snapshot; no live read has finished yet.
    case cached
    /// Its latest read failed; its last good data is shown. The reason is one sentence.
    case stale(reason: String)
    /// It has never answered and nothing is cached: its rows are missing. The reason is one sentence.
    case down(reason: String)

    public var reason: String? {
        switch self {
        case .up, .cached: nil
        case .stale(let reason), .down(let reason): reason
        }
    }
}

/// One context's part of a fleet snapshot: its own snapshot, exactly as its backend gave it (local ids,
/// so the cross-references inside it still hold), and how it answered.
public struct FleetMember: Sendable, Equatable {
    public var context: String
    public var snapshot: CloudSnapshot
    public var health: FleetHealth
    public var readOnly: Bool

    public init(context: String, snapshot: CloudSnapshot, health: FleetHealth, readOnly: Bool = false) {
        self.context = context; self.snapshot = snapshot; self.health = health; self.readOnly = readOnly
    }
}

/// Ids and names of a fleet's rows carry their context after the last "@": `web-01@lab-a`. Context names
/// never hold an "@" (a config that names one so is refused), so the last one is always the context's.
public enum FleetID {
    public static let separator: Character = "@"

    public static func qualified(_ local: String, context: String) -> String {
        local + String(separator) + context
    }

    /// (local part, context) when `qualified` ends in "@" and one of `contexts`.
    public static func split(_ qualified: String, among contexts: [String]) -> (local: String, context: String)? {
        guard let at = qualified.lastIndex(of: separator) else { return nil }
        let context = String(qualified[qualified.index(after: at)...])
        guard contexts.contains(context) else { return nil }
        return (String(qualified[..<at]), context)
    }

    /// The context part of a qualified id (after the last "@"), without checking it names one.
    public static func context(of qualified: String) -> Substring? {
        qualified.lastIndex(of: separator).map { qualified[qualified.index(after: $0)...] }
    }
}

extension CloudSnapshot {
    /// A fleet's snapshot: every member's lists one after another, so counts, the Overview and the wall
    /// see them all. Instances get qualified ids (`id@context`), since events, live rates and consoles
    /// find them by id; every other kind keeps its member's ids here and is read per member (`fleet`).
    /// A member that is stale or down adds one stale part named after it, so the header and status line say so.
    public static func merging(_ members: [FleetMember], takenAt: Date = Date()) -> CloudSnapshot {
        var merged = CloudSnapshot(takenAt: takenAt)
        for member in members {
            let part = member.snapshot
            /// Each item with one field set from its context ("lab-a vm", "web-01's id@lab-a").
            func named<Item>(_ items: [Item], _ field: WritableKeyPath<Item, String>,
                             _ name: (String) -> String) -> [Item] {
                items.map { item in
                    var named = item
                    named[keyPath: field] = name(item[keyPath: field])
                    return named
                }
            }
            let prefixed = { (name: String) in member.context + " " + name }
            merged.instances += named(part.instances, \.id) { FleetID.qualified($0, context: member.context) }
            merged.images += part.images
            merged.volumes += part.volumes
            merged.volumeSnapshots += part.volumeSnapshots
            // Hosts, pools and quotas are named after their context in the fleet's own lists (the Overview and the
            // wall list them together: two hosts called "vm", two pools called "default"); their tables read the member.
            merged.pools += named(part.pools, \.name, prefixed)
            merged.networks += part.networks
            merged.securityGroups += part.securityGroups
            merged.quotas += named(part.quotas, \.project, prefixed)
            merged.flavors += part.flavors
            merged.keypairs += part.keypairs
            merged.projects += part.projects
            merged.hypervisors += named(part.hypervisors, \.hostname, prefixed)
            merged.floatingIPs += part.floatingIPs
            merged.routers += part.routers
            merged.ports += part.ports
            merged.staleParts += part.staleParts.map {
                StalePart(what: member.context + " " + $0.what, reason: $0.reason, lastGood: $0.lastGood)
            }
            switch member.health {
            case .up, .cached: break
            case .stale(let reason):
                merged.staleParts.append(StalePart(what: member.context, reason: reason, lastGood: part.takenAt))
            case .down(let reason):
                merged.staleParts.append(StalePart(what: member.context, reason: reason, lastGood: nil))
            }
        }
        merged.fleet = members
        return merged
    }

    /// The member a qualified id or name belongs to, and its local part.
    public func fleetMember(of qualified: String) -> (member: FleetMember, local: String)? {
        guard let fleet, let (local, context) = FleetID.split(qualified, among: fleet.map(\.context)),
              let member = fleet.first(where: { $0.context == context }) else { return nil }
        return (member, local)
    }

    /// More than one context shown: rows need their Context column.
    public var showsContexts: Bool { (fleet?.count ?? 0) > 1 }
}

extension ProjectQuotas {
    /// Several projects' use added up, resource by resource, as one row called `name`: a limit is
    /// unlimited when any part's is (numbers come from outside, so sums saturate rather than overflow).
    public static func sum(_ parts: [ProjectQuotas], as name: String) -> ProjectQuotas {
        var order: [QuotaResource] = []
        var totals: [QuotaResource: QuotaUsage] = [:]
        for usage in parts.flatMap(\.usages) {
            guard var total = totals[usage.resource] else {
                order.append(usage.resource)
                totals[usage.resource] = usage
                continue
            }
            total.used = Self.add(total.used, usage.used)
            total.limit = total.isUnlimited || usage.isUnlimited ? -1 : Self.add(total.limit, usage.limit)
            totals[usage.resource] = total
        }
        return ProjectQuotas(project: name, usages: order.compactMap { totals[$0] })
    }

    private static func add(_ a: Int, _ b: Int) -> Int {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? (b < 0 ? Int.min : Int.max) : sum
    }
}

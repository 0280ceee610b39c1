import StacktopModel
import StacktopServices

// Limits only: what is used is computed from what exists (QuotaCalculator), never stored.
extension StateStore {
    /// The limit every project gets unless it has its own, for every resource.
    public func quotaDefaults() throws -> [QuotaResource: Int] { try withDatabase(Self.fetchQuotaDefaults) }

    public func setQuotaDefault(_ limit: Int, for resource: QuotaResource) throws {
        try upsert("quota_defaults", key: "resource", row: ["resource": resource.rawValue, "hard_limit": limit])
    }

    /// Sets a project's own limit (-1 for unlimited). The project must exist.
    public func setQuotaLimit(_ limit: Int, for resource: QuotaResource, project: String) throws {
        try upsert("quotas", key: "project", "resource", row: [
            "project": project, "resource": resource.rawValue, "hard_limit": limit,
        ])
    }

    /// Drops a project's own limit so the default applies again.
    public func clearQuotaLimit(for resource: QuotaResource, project: String) throws {
        try withDatabase { db in
            try db.execute("DELETE FROM quotas WHERE project = ? AND resource = ?", project, resource.rawValue)
        }
    }

    /// The limits in force for a project: its own where set, else the defaults.
    public func quotaLimits(project: String) throws -> [QuotaResource: Int] {
        try withDatabase { db in
            var limits = try Self.fetchQuotaDefaults(db)
            for row in try db.query("SELECT resource, hard_limit FROM quotas WHERE project = ?", project) {
                if let resource = QuotaResource(rawValue: row.string(0)) { limits[resource] = row.int(1) }
            }
            return limits
        }
    }

    static func fetchQuotaDefaults(_ db: SQLiteDatabase) throws(SQLiteError) -> [QuotaResource: Int] {
        var limits = QuotaCalculator.openStackDefaults
        // Names this build does not know (written by a newer one) are skipped, not fatal.
        for row in try db.query("SELECT resource, hard_limit FROM quota_defaults") {
            if let resource = QuotaResource(rawValue: row.string(0)) { limits[resource] = row.int(1) }
        }
        return limits
    }

    /// Resolved limits for every project in the store.
    static func fetchAllQuotaLimits(_ db: SQLiteDatabase) throws(SQLiteError) -> [String: [QuotaResource: Int]] {
        let defaults = try fetchQuotaDefaults(db)
        var result: [String: [QuotaResource: Int]] = [:]
        for row in try db.query("SELECT name FROM projects") { result[row.string(0)] = defaults }
        for row in try db.query("SELECT project, resource, hard_limit FROM quotas") {
            if let resource = QuotaResource(rawValue: row.string(1)) {
                result[row.string(0), default: defaults][resource] = row.int(2)
            }
        }
        return result
    }
}

import FoundationEssentials

extension StateStore {
    /// Records one action and how it ended; returns the entry as stored.
    @discardableResult
    public func appendAudit(action: String, target: String, result: AuditResult, project: String? = nil,
                            error: String? = nil, time: Date = Date()) throws -> AuditEntry {
        try withDatabase { db in
            try db.execute("""
                INSERT INTO audit_log (time, project, action, target, result, error) VALUES (?, ?, ?, ?, ?, ?)
                """, time, project, action, target, result.rawValue, error)
            return AuditEntry(id: db.lastInsertRowID, time: time, project: project, action: action,
                              target: target, result: result, error: error)
        }
    }

    /// The most recent entries, newest first.
    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try withDatabase { db in
            try db.query("""
                SELECT id, time, project, action, target, result, error FROM audit_log ORDER BY id DESC LIMIT ?
                """, limit).map { row in
                AuditEntry(id: Int64(row.int(0)), time: row.optionalDate(1) ?? Date(timeIntervalSince1970: 0),
                           project: row.optionalString(2), action: row.string(3), target: row.string(4),
                           result: AuditResult(rawValue: row.string(5)) ?? .failed, error: row.optionalString(6))
            }
        }
    }
}

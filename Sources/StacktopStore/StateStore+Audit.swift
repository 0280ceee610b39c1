import FoundationEssentials
import StacktopServices

extension StateStore: AuditLog {
    /// Records one action and how it ended; returns the entry as stored.
    @discardableResult
    public func appendAudit(action: String, target: String, result: AuditResult, project: String? = nil,
                            error: String? = nil, requestIDs: [String] = [], time: Date = Date()) throws -> AuditEntry {
        let ids = String(decoding: (try? JSONEncoder().encode(requestIDs)) ?? Data("[]".utf8), as: UTF8.self)
        return try withDatabase { db in
            try db.execute("""
                INSERT INTO audit_log (time, project, action, target, result, error, request_ids)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, time, project, action, target, result.rawValue, error, ids)
            return AuditEntry(id: db.lastInsertRowID, record: AuditRecord(
                time: time, project: project, action: action, target: target, result: result, error: error,
                requestIDs: requestIDs))
        }
    }

    /// The most recent entries, newest first.
    public func auditLog(limit: Int = 100) throws -> [AuditEntry] {
        try withDatabase { db in
            try db.query("""
                SELECT id, time, project, action, target, result, error, request_ids FROM audit_log
                ORDER BY id DESC LIMIT ?
                """, limit).map { row in
                AuditEntry(id: Int64(row.int(0)), record: AuditRecord(
                    time: row.optionalDate(1) ?? Date(timeIntervalSince1970: 0), project: row.optionalString(2),
                    action: row.string(3), target: row.string(4), result: AuditResult(rawValue: row.string(5)) ?? .failed,
                    error: row.optionalString(6),
                    requestIDs: (try? JSONDecoder().decode([String].self, from: Data(row.string(7).utf8))) ?? []))
            }
        }
    }

    // MARK: AuditLog

    public func append(_ record: AuditRecord) throws {
        try appendAudit(action: record.action, target: record.target, result: record.result, project: record.project,
                        error: record.error, requestIDs: record.requestIDs, time: record.time)
    }

    public func recent(limit: Int) throws -> [AuditRecord] {
        try auditLog(limit: limit).map(\.record)
    }
}

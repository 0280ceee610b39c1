import FoundationEssentials

/// How an audited action ended.
public enum AuditResult: String, Sendable, Codable, CaseIterable {
    case succeeded, failed, refused
}

/// One line of the audit log: who asked for what, and how it ended. Never holds a secret.
public struct AuditRecord: Sendable, Equatable {
    public var time: Date
    public var project: String?
    /// "reboot server", "delete volume".
    public var action: String
    public var target: String
    public var result: AuditResult
    public var error: String?
    public var requestIDs: [String]

    public init(time: Date, project: String?, action: String, target: String, result: AuditResult,
                error: String? = nil, requestIDs: [String] = []) {
        self.time = time; self.project = project; self.action = action; self.target = target
        self.result = result; self.error = error; self.requestIDs = requestIDs
    }
}

/// Where every mutation is written, whatever its outcome.
public protocol AuditLog: Sendable {
    func append(_ record: AuditRecord) throws
    /// Newest first.
    func recent(limit: Int) throws -> [AuditRecord]
}

import StacktopModel

/// Wraps any backend so that every mutation is refused before it reaches libvirt, the store or an
/// API. Reads pass through. This is the structural half of the read-only guarantee: the UI also hides
/// mutating actions, but even a forgotten check there cannot get past this wrapper.
public struct ReadOnlyBackend<Base: CloudReader & CloudMutator>: ReadingThrough, CloudMutator {
    public let base: Base

    public init(wrapping base: Base) { self.base = base }


    /// Nothing can be performed in read-only mode; the UI greys out what the base could do.
    public var capabilities: Capabilities { .none }

    /// What the base backend could do outside read-only mode (for greyed-out hints only).
    public var capabilitiesWhenWritable: Capabilities { base.capabilities }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        throw BackendError.readOnly(action: request.summary)
    }
}

/// The snapshot cache in read-only mode: the last saved snapshot still gives the first frame at
/// once, but nothing is saved, so a wall left running for weeks writes nothing to the store.
public struct ReadOnlySnapshotCache: SnapshotCache {
    public let base: any SnapshotCache

    public init(wrapping base: any SnapshotCache) { self.base = base }

    public func loadSnapshot(for endpoint: String) throws -> CloudSnapshot? { try base.loadSnapshot(for: endpoint) }

    /// Dropped without an error: saving is a head start for the next run, never something the user asked for.
    public func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws {}
}

/// The audit log in read-only mode: `:audit` still reads it; an append (which only a mutation that
/// got past `ReadOnlyBackend` could make) is refused rather than written.
public struct ReadOnlyAuditLog: AuditLog {
    public let base: any AuditLog

    public init(wrapping base: any AuditLog) { self.base = base }

    public func append(_ record: AuditRecord) throws {
        throw BackendError.readOnly(action: "write \(record.action) \(record.target) to the audit log")
    }

    public func recent(limit: Int) throws -> [AuditRecord] { try base.recent(limit: limit) }
}

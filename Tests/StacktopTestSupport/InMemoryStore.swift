import Synchronization
import StacktopModel
import StacktopServices

/// An audit log and snapshot cache in memory, to see exactly what the wrappers write, and count saves.
public final class InMemoryStore: AuditLog, SnapshotCache {
    private let state = Mutex(State())

    private struct State {
        var records: [AuditRecord] = []
        var saved: [String: CloudSnapshot] = [:]
        var saveCalls = 0
    }

    public init() {}

    /// Every record appended, oldest first.
    public var records: [AuditRecord] { state.withLock { $0.records } }
    /// How many times `saveSnapshot` was called.
    public var saveCalls: Int { state.withLock { $0.saveCalls } }

    public func append(_ record: AuditRecord) throws { state.withLock { $0.records.append(record) } }

    /// The newest `limit` records, newest first, as the store answers.
    public func recent(limit: Int) throws -> [AuditRecord] {
        state.withLock { Array($0.records.reversed().prefix(limit)) }
    }

    public func loadSnapshot(for endpoint: String) throws -> CloudSnapshot? { state.withLock { $0.saved[endpoint] } }

    public func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws {
        state.withLock { state in
            state.saveCalls += 1
            state.saved[endpoint] = snapshot
        }
    }
}

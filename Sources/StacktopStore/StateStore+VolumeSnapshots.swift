import FoundationEssentials
import StacktopModel

/// A volume snapshot the local backend took: on a host an internal snapshot inside the volume's qcow2 file
/// (tagged with `id`), on the demo this record alone. libvirt knows nothing of them, so the store is their list.
public struct VolumeSnapshotRecord: Sendable, Equatable, Codable {
    /// stacktop's id, which is also the internal snapshot's tag in the qcow2 file (never the user's name, which
    /// may hold anything).
    public var id: String
    public var name: String
    /// Host path of the pool volume it was taken of.
    public var volumePath: String
    /// The volume's capacity when it was taken.
    public var sizeBytes: UInt64
    public var description: String?
    public var project: String?
    public var createdAt: Date?

    public init(id: String, name: String, volumePath: String, sizeBytes: UInt64, description: String? = nil,
                project: String? = nil, createdAt: Date? = nil) {
        self.id = id; self.name = name; self.volumePath = volumePath; self.sizeBytes = sizeBytes
        self.description = description; self.project = project; self.createdAt = createdAt
    }
}

extension StateStore {
    /// Records (or, for the same id, replaces) a volume snapshot.
    public func recordVolumeSnapshot(_ record: VolumeSnapshotRecord) throws {
        try upsert("volume_snapshots", key: "id", row: [
            "id": record.id, "name": record.name, "volume_path": record.volumePath,
            "size_bytes": Int64(clamping: record.sizeBytes), "description": record.description,
            "project": record.project, "created_at": record.createdAt,
        ])
    }

    public func volumeSnapshotRecords() throws -> [VolumeSnapshotRecord] {
        try withDatabase(Self.fetchVolumeSnapshots)
    }

    /// Forgets one volume snapshot (after its internal snapshot is gone from the file).
    public func forgetVolumeSnapshot(id: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM volume_snapshots WHERE id = ?", id) }
    }

    static func fetchVolumeSnapshots(_ db: SQLiteDatabase) throws(SQLiteError) -> [VolumeSnapshotRecord] {
        try db.query("""
            SELECT id, name, volume_path, size_bytes, description, project, created_at FROM volume_snapshots
            ORDER BY name, id
            """).map { row in
            // A size that is no size (negative, REAL, text) reads as 0 bytes, never a trap.
            VolumeSnapshotRecord(id: row.string(0), name: row.string(1), volumePath: row.string(2),
                                 sizeBytes: row.optionalInt(3).flatMap { UInt64(exactly: $0) } ?? 0,
                                 description: row.optionalString(4), project: row.optionalString(5),
                                 createdAt: row.optionalDate(6))
        }
    }
}

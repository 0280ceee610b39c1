import FoundationEssentials
import StacktopModel
import StacktopServices

extension StateStore: SnapshotCache {
    /// The last snapshot saved for `endpoint`. A cached blob this build cannot decode (the model
    /// changed since it was written) reads as no cache: it is only a head start, never the truth.
    public func loadSnapshot(for endpoint: String) throws -> CloudSnapshot? {
        let blob = try withDatabase { db in
            try db.query("SELECT snapshot FROM snapshot_cache WHERE endpoint = ?", endpoint).first?.bytes(0)
        }
        guard let blob else { return nil }
        return try? SnapshotCacheCodec.decode(blob)
    }

    public func saveSnapshot(_ snapshot: CloudSnapshot, for endpoint: String) throws {
        let blob: [UInt8]
        do {
            blob = try SnapshotCacheCodec.encode(snapshot)
        } catch {
            throw BackendError.store(path: path, reason: "the snapshot of \(endpoint) could not be encoded (\(error))")
        }
        try upsert("snapshot_cache", key: "endpoint", row: [
            "endpoint": endpoint, "snapshot": SQLiteValue.blob(blob), "saved_at": Date(),
        ])
    }

    /// When the cached snapshot of `endpoint` was saved, if there is one.
    public func snapshotSavedAt(for endpoint: String) throws -> Date? {
        try withDatabase { db in
            try db.query("SELECT saved_at FROM snapshot_cache WHERE endpoint = ?", endpoint).first?.optionalDate(0)
        }
    }
}

import Dispatch
import FoundationEssentials
import StacktopModel
import Synchronization

/// How a cached snapshot sits in its blob: a header line, then the snapshot without its instances as
/// JSON, then the instances in chunks in `PositionalCoder`'s binary form, each frame behind its length
/// (4 bytes, little-endian).
///
/// Why: one JSON document of 10,000 instances cost its encoder's and decoder's whole working tree at
/// once (about 38 MB above the data, which set the dashboard's peak memory) and most of a warm start's
/// time, on one core. Chunks cap the working memory at one chunk's and decode on every core; the
/// positional form skips parsing text and matching keys. The rest of the snapshot stays JSON: it is small,
/// and JSON tolerates an added optional field. A model change in `Instance` makes old chunks fail to
/// decode, and the cache then reads as absent (one cold start), never as wrong rows.
enum SnapshotCacheCodec {
    static let header = Array("stacktop snapshot cache, JSON and positional chunks, version 2\n".utf8)
    /// Small enough that a chunk's working tree is a few hundred KB, large enough that a 10,000-row
    /// snapshot is 20 frames, not 10,000.
    static let instancesPerChunk = 500

    struct Corrupt: Error, CustomStringConvertible {
        var description: String
    }

    static func encode(_ snapshot: CloudSnapshot) throws -> [UInt8] {
        var withoutInstances = snapshot
        withoutInstances.instances = []
        let encoder = JSONEncoder()
        var blob = header
        func append(_ frame: some Collection<UInt8>) {
            var length = UInt32(frame.count).littleEndian
            withUnsafeBytes(of: &length) { blob.append(contentsOf: $0) }
            blob.append(contentsOf: frame)
        }
        append(try encoder.encode(withoutInstances))
        var start = snapshot.instances.startIndex
        while start < snapshot.instances.endIndex {
            let end = min(start + instancesPerChunk, snapshot.instances.endIndex)
            append(try PositionalCoder.encode(Array(snapshot.instances[start..<end])))
            start = end
        }
        return blob
    }

    /// A blob written by `encode`, or one whole JSON document as stacktop wrote before.
    static func decode(_ blob: [UInt8]) throws -> CloudSnapshot {
        guard blob.starts(with: header) else {
            return try JSONDecoder().decode(CloudSnapshot.self, from: Data(blob))
        }
        let frames = try frameRanges(blob)
        guard let first = frames.first else { throw Corrupt(description: "the cached snapshot has no frames") }
        var snapshot = try JSONDecoder().decode(CloudSnapshot.self, from: Data(blob[first]))
        let chunks = Array(frames.dropFirst())
        let decoded = Mutex([Result<[Instance], any Error>?](repeating: nil, count: chunks.count))
        // Every core takes chunks; the first frame shows sooner on a warm start at 10,000 rows.
        DispatchQueue.concurrentPerform(iterations: chunks.count) { index in
            let result = Result { try PositionalCoder.decode([Instance].self, from: blob[chunks[index]]) }
            decoded.withLock { $0[index] = result }
        }
        let results = decoded.withLock { $0 }
        snapshot.instances.reserveCapacity(results.reduce(0) { total, result in
            total + ((try? result?.get())?.count ?? 0)
        })
        for result in results {
            guard let result else { throw Corrupt(description: "a chunk of the cached snapshot was not decoded") }
            snapshot.instances += try result.get()
        }
        return snapshot
    }

    private static func frameRanges(_ blob: [UInt8]) throws -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var at = header.count
        while at < blob.count {
            guard blob.count - at >= 4 else { throw Corrupt(description: "the cached snapshot ends inside a frame's length") }
            let length = Int(blob[at]) | Int(blob[at + 1]) << 8 | Int(blob[at + 2]) << 16 | Int(blob[at + 3]) << 24
            at += 4
            guard length <= blob.count - at else { throw Corrupt(description: "the cached snapshot ends inside a frame") }
            ranges.append(at..<(at + length))
            at += length
        }
        return ranges
    }
}

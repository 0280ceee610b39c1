import Foundation
@testable import StacktopStore
import StacktopModel
import XCTest
import StoreTestSupport

/// The cache's chunked layout: exact round trips across chunk edges, the older one-document layout still
/// read, and damaged blobs read as no cache rather than as a wrong snapshot.
final class SnapshotCacheCodecTests: XCTestCase {
    private func snapshot(instances count: Int) -> CloudSnapshot {
        var snapshot = sampleSnapshot(takenAt: Date(timeIntervalSince1970: 1_700_000_123.5))
        let model = snapshot.instances[0]
        snapshot.instances = (0..<count).map { index in
            var instance = model
            instance.id = "id-\(index)"
            instance.name = "vm-\(index)-\u{1b}[31m-é"
            instance.state = index % 3 == 0 ? .shutoff : .running
            return instance
        }
        return snapshot
    }

    func testRoundTripsAtEveryChunkEdge() throws {
        let per = SnapshotCacheCodec.instancesPerChunk
        for count in [0, 1, per - 1, per, per + 1, 3 * per + 7] {
            let original = snapshot(instances: count)
            let blob = try SnapshotCacheCodec.encode(original)
            XCTAssertTrue(blob.starts(with: SnapshotCacheCodec.header))
            XCTAssertEqual(try SnapshotCacheCodec.decode(blob), original, "\(count) instances")
        }
    }

    func testTheOlderOneDocumentLayoutStillReads() throws {
        let original = snapshot(instances: 3)
        let oneDocument = try JSONEncoder().encode(original)
        XCTAssertEqual(try SnapshotCacheCodec.decode(Array(oneDocument)), original)
    }

    func testDamagedBlobsAreRefusedNotMisread() throws {
        let blob = try SnapshotCacheCodec.encode(snapshot(instances: SnapshotCacheCodec.instancesPerChunk + 2))
        let header = SnapshotCacheCodec.header.count
        for cut in [header, header + 2, header + 40, blob.count - 1] {
            XCTAssertThrowsError(try SnapshotCacheCodec.decode(Array(blob[..<cut])), "cut at \(cut) of \(blob.count)")
        }
        var flipped = blob
        flipped[header + 4] = UInt8(ascii: "]")
        XCTAssertThrowsError(try SnapshotCacheCodec.decode(flipped))
        var huge = blob
        huge[header + 3] = 0x7f
        XCTAssertThrowsError(try SnapshotCacheCodec.decode(huge), "a length past the end")
    }

    func testTheStoreKeepsALargeSnapshotExactly() throws {
        let store = try makeStore(self)
        let original = snapshot(instances: 2 * SnapshotCacheCodec.instancesPerChunk + 1)
        try store.saveSnapshot(original, for: "test:///big")
        XCTAssertEqual(try store.loadSnapshot(for: "test:///big"), original)
    }
}

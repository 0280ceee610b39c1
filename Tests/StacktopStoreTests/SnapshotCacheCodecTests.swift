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

/// The positional form on its own: every kind of value the model uses, absent optionals in the middle,
/// and a model that changed since the bytes were written refused rather than misread.
final class PositionalCoderTests: XCTestCase {
    private struct Everything: Codable, Equatable {
        var text: String
        var empty: String
        var absent: String?
        var count: Int
        var negative: Int
        var big: UInt64
        var absentBig: UInt64?
        var flag: Bool
        var ratio: Double
        var when: Date?
        var list: [String]
        var nested: [Nested]
        var state: InstanceState
    }

    private struct Nested: Codable, Equatable {
        var name: String?
        var sizes: [Int]
    }

    private struct Renamed: Codable { var text: String; var empty: String; var missing: String? }

    private let value = Everything(
        text: "vm-é-\u{1b}[31m-日本-🙂", empty: "", absent: nil, count: 300, negative: -70_000, big: .max, absentBig: nil,
        flag: true, ratio: -0.1, when: Date(timeIntervalSince1970: 1_700_000_000.25), list: ["a", "", "c"],
        nested: [Nested(name: nil, sizes: []), Nested(name: "x", sizes: [Int.min, 0, Int.max])], state: .paused)

    func testEveryKindOfValueRoundTrips() throws {
        let bytes = try PositionalCoder.encode(value)
        XCTAssertEqual(try PositionalCoder.decode(Everything.self, from: bytes[...]), value)
    }

    /// Issue 15's instance fields: zone, task, power state, usage totals and rates, present and absent.
    func testAnInstanceWithLiveFiguresRoundTrips() throws {
        var measured = Instance(id: "a", name: "web", state: .running, vcpus: 2, memoryMiB: 512, availabilityZone: "nova",
                                taskState: "rebooting", powerState: .running,
                                usage: InstanceUsage(memoryUsedKiB: 1, diskReadBytes: nil, diskWriteBytes: .max))
        measured.rates = InstanceRates(cpuPercent: 12.5, memoryUsedKiB: nil, diskReadRate: 0.25)
        let plain = Instance(id: "b", name: "db", state: .shutoff, vcpus: 1, memoryMiB: 256)
        let bytes = try PositionalCoder.encode([measured, plain])
        XCTAssertEqual(try PositionalCoder.decode([Instance].self, from: bytes[...]), [measured, plain])
    }

    func testDictionariesAreRefusedWhenWritten() {
        XCTAssertThrowsError(try PositionalCoder.encode(["k": [1, 2]]))
        XCTAssertThrowsError(try PositionalCoder.encode([1: "one"]))
    }

    func testAChangedModelIsRefused() throws {
        let bytes = try PositionalCoder.encode(value)
        XCTAssertThrowsError(try PositionalCoder.decode(Renamed.self, from: bytes[...]), "fields differ after the second")
        XCTAssertThrowsError(try PositionalCoder.decode([Everything].self, from: bytes[...]), "a record is not a list")
    }

    func testEveryTruncationIsRefused() throws {
        let bytes = try PositionalCoder.encode(value)
        for cut in 0..<bytes.count {
            XCTAssertThrowsError(try PositionalCoder.decode(Everything.self, from: bytes[..<cut]), "cut at \(cut)")
        }
    }
}

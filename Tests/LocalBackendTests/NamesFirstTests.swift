import Foundation
import Synchronization
import XCTest
import StoreTestSupport
import SystemTestSupport
@testable import LocalBackend
import StacktopModel
import StacktopServices

/// A cold first read of a large host hands the dashboard every domain's name first (as `virsh list --all`
/// shows them), marked as loading, then the whole snapshot; later reads and small hosts hand nothing early.
final class NamesFirstTests: XCTestCase {
    private func backend(domains count: Int) throws -> LocalCloudBackend {
        var xml = "<node>\n"
        for index in 0..<count {
            xml += "<domain type='test'><name>vm-\(index)-\u{e9}</name><memory>1024</memory><os><type>hvm</type></os></domain>\n"
        }
        xml += "</node>\n"
        let path = try makeTemporaryDirectory(self) + "/node.xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        return LocalCloudBackend(connection: try LibvirtConnection(uri: "test://" + path), store: try makeStore(self))
    }

    private func read(_ backend: LocalCloudBackend) async throws -> (CloudSnapshot, [PartialSnapshot]) {
        let pieces = Mutex<[PartialSnapshot]>([])
        let snapshot = try await backend.snapshot(ReadRequest()) { piece in pieces.withLock { $0.append(piece) } }
        return (snapshot, pieces.withLock { $0 })
    }

    func testALargeHostsFirstReadShowsNamesFirstAndOnlyTheFirst() async throws {
        let backend = try backend(domains: LocalCloudBackend.namesFirstFrom)
        let (snapshot, pieces) = try await read(backend)
        XCTAssertEqual(pieces.count, 1)
        let piece = try XCTUnwrap(pieces.first)
        XCTAssertEqual(piece.total, LocalCloudBackend.namesFirstFrom)
        XCTAssertEqual(piece.progressText, "Loading domains 0/\(LocalCloudBackend.namesFirstFrom)…")
        XCTAssertTrue(piece.instances.allSatisfy { $0.state == .loading }, "known by name only, never a made-up state")
        XCTAssertEqual(Set(piece.instances.map(\.id)), Set(snapshot.instances.map(\.id)))
        XCTAssertEqual(Set(piece.instances.map(\.name)), Set(snapshot.instances.map(\.name)))
        XCTAssertFalse(snapshot.instances.contains { $0.state == .loading })

        let (_, later) = try await read(backend)
        XCTAssertEqual(later, [], "a later read has rows on screen already")
    }

    func testASmallHostIsReadWhole() async throws {
        let (snapshot, pieces) = try await read(try backend(domains: 3))
        XCTAssertEqual(pieces, [])
        XCTAssertEqual(snapshot.instances.count, 3)
    }
}

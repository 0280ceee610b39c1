import XCTest
@testable import LocalBackend
import Synchronization
import StacktopServices

final class ConcurrentCallsTests: XCTestCase {
    func testResultsComeInIndexOrderAndEveryIndexIsCalledOnce() throws {
        let calls = Mutex<[Int]>([])
        let squares = try ConcurrentCalls.map(count: 50, width: 8) { index -> Int in
            calls.withLock { $0.append(index) }
            return index * index
        }
        XCTAssertEqual(squares, (0..<50).map { $0 * $0 })
        XCTAssertEqual(calls.withLock { $0.sorted() }, Array(0..<50))
    }

    /// Eight calls that each block until all eight are inside: only threads of their own get there.
    func testTheCallsBlockAtTheSameTime() throws {
        let arrived = Mutex(0)
        let met = try ConcurrentCalls.map(count: 8, width: 8) { _ -> Bool in
            arrived.withLock { $0 += 1 }
            for _ in 0..<2000 where arrived.withLock({ $0 }) < 8 { usleep(10_000) }
            return arrived.withLock { $0 } == 8
        }
        XCTAssertEqual(met, Array(repeating: true, count: 8))
    }

    func testTheFirstErrorByIndexIsThrownAfterEveryCallEnded() {
        struct Failed: Error, Equatable { let index: Int }
        let ended = Mutex(0)
        XCTAssertThrowsError(try ConcurrentCalls.map(count: 20, width: 4) { index -> Int in
            defer { ended.withLock { $0 += 1 } }
            if index == 7 || index == 13 { throw Failed(index: index) }
            return index
        }) { error in
            XCTAssertEqual(error as? Failed, Failed(index: 7))
        }
        XCTAssertEqual(ended.withLock { $0 }, 20)
    }

    func testAWidthOfOneCallsInOrderOnTheCallersThread() throws {
        let order = Mutex<[Int]>([])
        _ = try ConcurrentCalls.map(count: 5, width: 1) { index in order.withLock { $0.append(index) } }
        XCTAssertEqual(order.withLock { $0 }, [0, 1, 2, 3, 4])
    }

    func testDistantURIsAreThoseWithATransportOrAHost() {
        for uri in ["qemu+ssh://root@lab-a/system", "qemu+tcp://10.0.0.2/system", "qemu://lab-a/system",
                    "test+unix:///tmp/node.xml?socket=/tmp/relay.sock", "qemu+libssh2://lab-b/system?no_tty=1"] {
            XCTAssertTrue(LibvirtConnection.isDistant(uri: uri), uri)
        }
        for uri in ["qemu:///system", "qemu:///session", "test:///tmp/node.xml", "test:///default", "nonsense"] {
            XCTAssertFalse(LibvirtConnection.isDistant(uri: uri), uri)
        }
    }
}

final class KeptStorageTests: XCTestCase {
    func testKeptStorageServesReadsWithoutItsPanelsWhileYoung() {
        let start = ContinuousClock.now
        let kept = KeptStorage(pools: [], volumes: [], networks: [], readAt: start)
        XCTAssertTrue(kept.serves(ReadRequest(kindsInView: [.instance]), now: start + .seconds(29)))
        XCTAssertTrue(kept.serves(ReadRequest(kindsInView: [.instance, .flavor, .keypair]), now: start))
        XCTAssertFalse(kept.serves(ReadRequest(kindsInView: [.instance]), now: start + .seconds(30)), "too old")
        XCTAssertFalse(kept.serves(ReadRequest(kindsInView: [.instance], full: true), now: start), "r reads everything")
        XCTAssertFalse(kept.serves(nil, now: start), "a read without a request reads everything")
        for kind in [ResourceKind.volume, .image, .volumeSnapshot, .network, .port, .floatingIP, .quota, .hypervisor] {
            XCTAssertFalse(kept.serves(ReadRequest(kindsInView: [.instance, kind]), now: start), "\(kind) is on screen")
        }
    }
}

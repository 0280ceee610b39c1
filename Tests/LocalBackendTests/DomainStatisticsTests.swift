import XCTest
import CLibvirt
import StacktopModel
@testable import LocalBackend

/// The bulk statistics' typed parameters as QEMU's driver gives them, read into running totals.
final class DomainStatisticsTests: XCTestCase {
    /// libvirt's error state must exist before its parameter functions run (a connection would set it up).
    override func setUp() {
        XCTAssertEqual(virInitialize(), 0)
    }

    /// Builds a parameter list with libvirt's own functions, hands it to `body`, and frees it.
    private func withParams(uints: [String: UInt32] = [:], ulongs: [String: UInt64],
                            _ body: (UnsafeMutablePointer<virTypedParameter>?, Int32) -> Void) {
        var params: UnsafeMutablePointer<virTypedParameter>?
        var count: Int32 = 0, capacity: Int32 = 0
        for (name, value) in uints {
            let added = virTypedParamsAddUInt(&params, &count, &capacity, name, value)
            XCTAssertEqual(added, 0, name)
        }
        for (name, value) in ulongs {
            let added = virTypedParamsAddULLong(&params, &count, &capacity, name, value)
            XCTAssertEqual(added, 0, name)
        }
        body(params, count)
        virTypedParamsFree(params, count)
    }

    func testDiskAndNetworkTotalsSumEveryDevice() {
        withParams(uints: ["block.count": 2, "net.count": 2],
                   ulongs: ["block.0.rd.bytes": 1_000, "block.0.wr.bytes": 10, "block.1.rd.bytes": 500,
                            "block.1.wr.bytes": 5, "net.0.rx.bytes": 7_000, "net.0.tx.bytes": 70,
                            "net.1.rx.bytes": 3_000, "net.1.tx.bytes": 30]) { params, count in
            let usage = DomainStatistics.usage(params, count)
            XCTAssertEqual(usage.diskReadBytes, 1_500)
            XCTAssertEqual(usage.diskWriteBytes, 15)
            XCTAssertEqual(usage.networkReceivedBytes, 10_000)
            XCTAssertEqual(usage.networkSentBytes, 100)
        }
    }

    func testNoDevicesMeansNoTotals() {
        withParams(ulongs: ["cpu.time": 5]) { params, count in
            XCTAssertEqual(DomainStatistics.usage(params, count), InstanceUsage())
        }
        // A count with no figures behind it (a device libvirt could not read).
        withParams(uints: ["block.count": 3], ulongs: [:]) { params, count in
            XCTAssertNil(DomainStatistics.usage(params, count).diskReadBytes)
        }
    }

    func testMemoryInUseIsRSSOrCurrentLessUnused() {
        withParams(ulongs: ["balloon.rss": 600_000, "balloon.current": 1_048_576, "balloon.unused": 800_000]) { params, count in
            XCTAssertEqual(DomainStatistics.memoryUsedKiB(params, count), 600_000)
        }
        withParams(ulongs: ["balloon.current": 1_048_576, "balloon.unused": 800_000]) { params, count in
            XCTAssertEqual(DomainStatistics.memoryUsedKiB(params, count), 248_576)
        }
        withParams(ulongs: ["balloon.current": 1_048_576, "balloon.maximum": 1_048_576]) { params, count in
            XCTAssertNil(DomainStatistics.memoryUsedKiB(params, count), "the test driver's figures say nothing of use")
        }
    }
}

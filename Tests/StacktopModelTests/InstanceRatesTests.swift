import XCTest
@testable import StacktopModel

/// The live statistics' arithmetic on counter values as libvirt's bulk statistics give them.
final class InstanceRatesTests: XCTestCase {
    private let t0 = Date(timeIntervalSince1970: 1_790_000_000)

    private func sample(_ seconds: Double, vcpus: Int = 2, cpu: UInt64?, usage: InstanceUsage? = nil) -> InstanceRates.Sample {
        InstanceRates.Sample(time: t0.addingTimeInterval(seconds), vcpus: vcpus, cpuTimeNanoseconds: cpu, usage: usage)
    }

    func testCPUPercentIsCPUTimeOverWallTimeAndVCPUs() {
        // 3 s of CPU over 10 s on 2 vCPUs: 15 % of the guest's capacity.
        let rates = InstanceRates.between(sample(0, cpu: 50_000_000_000), sample(10, cpu: 53_000_000_000))
        XCTAssertEqual(rates.cpuPercent!, 15, accuracy: 1e-9)
        // One vCPU flat out for 5 s of a 5 s interval on 4 vCPUs: 25 %.
        let one = InstanceRates.between(sample(0, vcpus: 4, cpu: 0), sample(5, vcpus: 4, cpu: 5_000_000_000))
        XCTAssertEqual(one.cpuPercent!, 25, accuracy: 1e-9)
    }

    func testByteRatesAreDeltasOverTheInterval() {
        let before = InstanceUsage(memoryUsedKiB: 900_000, diskReadBytes: 1_000, diskWriteBytes: 4_096,
                                   networkReceivedBytes: 10_000, networkSentBytes: 500)
        let after = InstanceUsage(memoryUsedKiB: 1_048_576, diskReadBytes: 41_000, diskWriteBytes: 4_096,
                                  networkReceivedBytes: 30_000, networkSentBytes: 2_500)
        let rates = InstanceRates.between(sample(0, cpu: 1, usage: before), sample(4, cpu: 1, usage: after))
        XCTAssertEqual(rates.diskReadRate, 10_000)
        XCTAssertEqual(rates.diskWriteRate, 0)
        XCTAssertEqual(rates.networkReceiveRate, 5_000)
        XCTAssertEqual(rates.networkSendRate, 500)
        XCTAssertEqual(rates.memoryUsedKiB, 1_048_576, "memory in use is the later read's level, not a rate")
        XCTAssertEqual(rates.cpuPercent, 0)
    }

    func testAFirstReadHasNoRatesOnlyTheMemoryInUse() {
        let rates = InstanceRates.between(nil, sample(0, cpu: 7, usage: InstanceUsage(memoryUsedKiB: 512, diskReadBytes: 9)))
        XCTAssertNil(rates.cpuPercent)
        XCTAssertNil(rates.diskReadRate)
        XCTAssertEqual(rates.memoryUsedKiB, 512)
    }

    func testCountersThatGoBackOrAreMissingGiveNoRate() {
        // A guest restarted between the reads: its counters start again.
        let restarted = InstanceRates.between(sample(0, cpu: 90_000_000_000, usage: InstanceUsage(diskReadBytes: 5_000)),
                                              sample(5, cpu: 1_000_000_000, usage: InstanceUsage(diskReadBytes: 10)))
        XCTAssertNil(restarted.cpuPercent)
        XCTAssertNil(restarted.diskReadRate)
        // A counter only one read has.
        let half = InstanceRates.between(sample(0, cpu: nil, usage: InstanceUsage(networkSentBytes: 1)),
                                         sample(5, cpu: 5, usage: InstanceUsage(diskReadBytes: 10)))
        XCTAssertNil(half.cpuPercent)
        XCTAssertNil(half.diskReadRate)
        XCTAssertNil(half.networkSendRate)
    }

    func testNoTimeBetweenReadsOrNoVCPUsGivesNoRate() {
        XCTAssertNil(InstanceRates.between(sample(5, cpu: 0), sample(5, cpu: 10)).cpuPercent)
        XCTAssertNil(InstanceRates.between(sample(5, cpu: 0), sample(1, cpu: 10)).cpuPercent, "a clock that went back")
        XCTAssertNil(InstanceRates.between(sample(0, vcpus: 0, cpu: 0), sample(1, vcpus: 0, cpu: 10)).cpuPercent)
    }

    func testALateReadCannotShowMoreThanAllTheVCPUs() {
        let rates = InstanceRates.between(sample(0, vcpus: 1, cpu: 0), sample(1, vcpus: 1, cpu: 1_200_000_000))
        XCTAssertEqual(rates.cpuPercent, 100)
    }

    func testPowerStatesAreNovasNumbers() {
        XCTAssertEqual(PowerState(nova: 1), .running)
        XCTAssertEqual(PowerState(nova: 4).label, "Shutdown")
        XCTAssertEqual(PowerState(nova: 7).label, "Suspended")
        XCTAssertEqual(PowerState(nova: 0).label, "NOSTATE")
        XCTAssertEqual(PowerState(nova: 42), .noState, "a number Nova does not define")
    }
}

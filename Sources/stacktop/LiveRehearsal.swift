import FoundationEssentials
import StacktopModel
import Dashboard

/// A few minutes of live statistics replayed on one snapshot: each running guest's CPU time, disk and
/// network counters move on at its own pace (a slow wave), as libvirt's bulk statistics would report them.
/// `render live` and `render live-details` draw its last frame for the screenshots; the demo's test driver
/// measures nothing, so without it they would show only "-".
struct LiveRehearsal {
    let base: CloudSnapshot
    let start: Date
    let refreshSeconds: Double

    /// The counters of read `step` (they only grow, as libvirt's do).
    func snapshot(step: Int) -> CloudSnapshot {
        var snapshot = base
        snapshot.takenAt = start.addingTimeInterval(Double(step) * refreshSeconds)
        var cpuSeconds = 0.0, diskBytes = 0.0
        for index in snapshot.instances.indices where snapshot.instances[index].state == .running {
            let instance = snapshot.instances[index]
            // The integral of a wave is the counter: sum the per-read shares up to this read.
            cpuSeconds = 0; diskBytes = 0
            for read in 0..<step {
                let share = 0.15 + 0.7 * WallRehearsal.wave(Double(read) * 2 + Double(index) * 11)
                cpuSeconds += share * refreshSeconds * Double(max(1, instance.vcpus))
                diskBytes += share * refreshSeconds * 2_500_000
            }
            snapshot.instances[index].cpuTimeNanoseconds = UInt64(cpuSeconds * 1e9)
            snapshot.instances[index].usage = InstanceUsage(
                memoryUsedKiB: UInt64(instance.memoryMiB) * 1024 * UInt64(40 + (index * 13) % 45) / 100,
                diskReadBytes: UInt64(diskBytes), diskWriteBytes: UInt64(diskBytes / 3),
                networkReceivedBytes: UInt64(diskBytes * 1.7), networkSentBytes: UInt64(diskBytes / 5))
        }
        return snapshot
    }

    /// Replays `reads` reads into `state`, which ends showing the last.
    func play(into state: inout AppState, reads: Int) {
        for step in 0...reads {
            state.now = start.addingTimeInterval(Double(step) * refreshSeconds)
            _ = state.handle(.snapshotLoaded(snapshot(step: step), origin: .live))
        }
    }
}

import FoundationEssentials
import StacktopModel
import Dashboard

/// A wall that has been running for a while, replayed from one snapshot: the hosts' load follows a
/// slow wave and now and then an instance changes state. `render wall` draws its last frame (the
/// screenshots), and the bench's soak drives thousands of its refreshes.
struct WallRehearsal {
    let base: CloudSnapshot
    let start: Date
    let refreshSeconds: Double

    /// The snapshot of refresh `step`: the same cloud with the load moved on, and every
    /// `changeEvery` refreshes (0: never) one instance's state flipped.
    func snapshot(step: Int, changeEvery: Int) -> CloudSnapshot {
        var snapshot = base
        let time = start.addingTimeInterval(Double(step) * refreshSeconds)
        snapshot.takenAt = time
        let minutes = Double(step) * refreshSeconds / 60
        for index in snapshot.hypervisors.indices {
            let wave = Self.wave(minutes + Double(index) * 7)
            snapshot.hypervisors[index].cpuUtilization = 0.2 + 0.6 * wave
            let memory = Double(snapshot.hypervisors[index].memoryMiB ?? 0)
            snapshot.hypervisors[index].memoryUsedMiB = Int(memory * (0.45 + 0.25 * Self.wave(minutes / 3)))
        }
        if changeEvery > 0, !snapshot.instances.isEmpty {
            let flips = step / changeEvery
            let index = (flips * 7) % snapshot.instances.count
            if flips % 2 == 1 {
                snapshot.instances[index].state = snapshot.instances[index].state == .running ? .shutoff : .running
            }
        }
        return snapshot
    }

    /// A smooth 0…1 wave with a period of about an hour, without Foundation's math.
    static func wave(_ minutes: Double) -> Double {
        let phase = (minutes / 60).truncatingRemainder(dividingBy: 1)
        let triangle = phase < 0.5 ? phase * 2 : (1 - phase) * 2
        return triangle * triangle * (3 - 2 * triangle)
    }

    /// Feeds `steps` refreshes into `state` (which must be on the wall), one tick per refresh.
    func play(into state: inout AppState, steps: Range<Int>, changeEvery: Int) {
        for step in steps {
            let snapshot = snapshot(step: step, changeEvery: changeEvery)
            _ = state.handle(.tick(snapshot.takenAt))
            _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        }
    }
}

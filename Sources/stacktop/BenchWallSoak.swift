import FoundationEssentials
import Glibc
import StacktopModel
import StacktopServices
import TerminalUI
import Dashboard

/// The wall soak: thousands of refresh cycles of a wall screen against a changing fixture, as
/// bytes the terminal would receive, time per refresh, and memory and descriptors at start and end.
/// A wall runs for days; what grows here grows there.
enum BenchWallSoak {
    static let cycles = 3_000

    static func run() -> [String] {
        print("\n-- wall soak: \(cycles) refreshes 2 s apart (\(cycles * 2 / 3600) h of wall time), 1,000 instances, 4 hosts --")
        var failures: [String] = []
        var base = BenchFixtures.snapshot(instances: 1000)
        base.hypervisors = (1...4).map { n in
            Hypervisor(id: "host-\(n)", hostname: "kvm-0\(n)", type: "QEMU", state: "up", status: "enabled",
                       vcpus: 64, vcpusUsed: 40, memoryMiB: 262_144, memoryUsedMiB: 150_000)
        }
        let rehearsal = WallRehearsal(base: base, start: base.takenAt, refreshSeconds: 2)
        let encoder = ANSIDiffEncoder()
        for hideClock in [false, true] {
            var state = AppState(backend: BackendDescription(kind: .local, endpoint: "bench", currentProject: "admin"),
                                 readOnly: true, size: Size(width: 120, height: 40), now: base.takenAt)
            state.enterWall(WallSettings(hideClock: hideClock))
            // Warm up past the first hour so the history is full, as on a wall that has run a while.
            rehearsal.play(into: &state, steps: 0..<1800, changeEvery: 30)
            var previous = DashboardView.render(state)
            let rssBefore = residentMiB(), fdsBefore = openDescriptors()
            var changingBytes = 0
            // Idle bytes split in two: the sparklines sliding one column as the hour moves on (time,
            // like the clock) and everything else (which must be nothing with --no-clock).
            var slideBytes = 0, otherIdleBytes = 0, idleRefreshes = 0, silentRefreshes = 0
            let sparkGlyphs = Set(Glyphs.unicode.sparkline + [" "])
            let elapsed = BenchCommand.measure {
                for step in 1800..<(1800 + cycles) {
                    // Every other refresh brings the same data again: the idle case.
                    let idle = step % 2 == 0
                    var snapshot = rehearsal.snapshot(step: idle ? step - 1 : step, changeEvery: 30)
                    snapshot.takenAt = rehearsal.start.addingTimeInterval(Double(step) * 2)
                    _ = state.handle(.tick(snapshot.takenAt))
                    _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
                    let next = DashboardView.render(state)
                    let bytes = encoder.bytes(from: previous, to: next).count
                    if idle {
                        idleRefreshes += 1
                        if bytes == 0 { silentRefreshes += 1 }
                        let slideOnly = next.changes(since: previous).allSatisfy { run in
                            run.cells.allSatisfy { sparkGlyphs.contains($0.character) }
                        }
                        if slideOnly { slideBytes += bytes } else { otherIdleBytes += bytes }
                    } else {
                        changingBytes += bytes
                    }
                    previous = next
                }
            }
            let rssAfter = residentMiB(), fdsAfter = openDescriptors()
            let label = hideClock ? "--no-clock" : "with clock"
            func perRefresh(_ bytes: Int, _ count: Int) -> String { BenchCommand.format2(Double(bytes) / Double(max(1, count))) + " B" }
            print(BenchCommand.pad("idle refreshes " + label) + "\(idleRefreshes), \(silentRefreshes) wrote nothing")
            print(BenchCommand.pad("  clock/other bytes") + perRefresh(otherIdleBytes, idleRefreshes) + " per idle refresh"
                  + (hideClock ? "   (budget 0 B)" : ""))
            print(BenchCommand.pad("  sparkline slide bytes") + perRefresh(slideBytes, idleRefreshes) + " per idle refresh")
            print(BenchCommand.pad("bytes/refresh, changing") + perRefresh(changingBytes, cycles - idleRefreshes))
            print(BenchCommand.pad("time per refresh") + BenchCommand.format2(elapsed / Double(cycles)) + " ms (state + render + diff)")
            print(BenchCommand.pad("RSS start → end") + "\(BenchCommand.format2(rssBefore)) → \(BenchCommand.format2(rssAfter)) MiB"
                  + "   fds \(fdsBefore) → \(fdsAfter)")
            if hideClock, otherIdleBytes != 0 {
                failures.append("idle wall refreshes wrote \(otherIdleBytes) bytes besides the sparklines with --no-clock")
            }
            if rssAfter - rssBefore > 8 { failures.append("wall soak RSS grew \(BenchCommand.format2(rssAfter - rssBefore)) MiB") }
            if fdsAfter != fdsBefore { failures.append("wall soak file descriptors \(fdsBefore) → \(fdsAfter)") }
        }
        return failures
    }

    /// Resident memory now (not the peak), from /proc/self/statm.
    static func residentMiB() -> Double {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Double(fields[1]) else { return 0 }
        return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
    }

    static func openDescriptors() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? -1
    }
}

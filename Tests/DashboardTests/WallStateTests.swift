import XCTest
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// The wall's rules: read-only for good, harmless keys, rotation, quit confirmation, the event list,
/// the bounded host history and the retry schedule.
final class WallStateTests: XCTestCase {
    private let start = Date(timeIntervalSince1970: 1_790_000_000)

    private func wallState(_ settings: WallSettings = WallSettings()) -> AppState {
        var state = AppState(backend: BackendDescription(kind: .local, endpoint: "test:///sample"), readOnly: false,
                             capabilities: .everything,
                             size: Size(width: 120, height: 40), now: start)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        state.enterWall(settings)
        return state
    }

    func testEnteringTheWallIsReadOnlyWithNothingOffered() {
        let state = wallState()
        XCTAssertTrue(state.readOnly)
        XCTAssertEqual(state.capabilities, .none)
        XCTAssertEqual(state.panel, .overview)
    }

    func testRRefreshesAndChangesNothingElse() {
        // After refused credentials nothing retries by itself; r is how the wall tries again.
        var state = wallState(WallSettings(panels: [.overview, .instances], rotateSeconds: 10))
        let before = state
        XCTAssertEqual(state.handle(.key(.character("r"))), [.refresh])
        XCTAssertTrue(state.refresh.loading, "the read is on its way")
        var rest = state
        rest.refresh = before.refresh
        XCTAssertEqual(rest, before, "nothing but the read schedule changes")
    }

    func testEveryOtherKeyDoesNothing() {
        var keys: [Key] = (32...126).compactMap { UnicodeScalar($0).map { .character(Character($0)) } }
        keys += [.enter, .escape, .backspace, .delete, .up, .down, .home, .end, .pageUp, .pageDown, .function(5),
                 .ctrl("d"), .ctrl("r")]
        let harmless: Set<Key> = [.character("q"), .character("Q"), .character(" "), .character("p"),
                                  .character("h"), .character("l"), .character("r")]
        for key in keys where !harmless.contains(key) {
            var state = wallState(WallSettings(panels: [.overview, .instances], rotateSeconds: 10))
            let before = state
            let effects = state.handle(.key(key))
            XCTAssertEqual(effects, [], "\(key.label) asked for \(effects) on the wall")
            XCTAssertEqual(state, before, "\(key.label) changed the wall's state")
        }
        // Typing a whole command line does nothing either: there is no command line on a wall.
        var state = wallState()
        var effects: [Effect] = []
        for character in ":instance delete web-01 --yes" { effects += state.handle(.key(.character(character))) }
        effects += state.handle(.key(.enter))
        XCTAssertEqual(effects, [])
        XCTAssertEqual(state.input, .normal)
        XCTAssertTrue(state.overlays.isEmpty)
    }

    func testQuitWithAndWithoutConfirmation() {
        var plain = wallState()
        XCTAssertEqual(plain.handle(.key(.character("q"))), [.quit])

        var careful = wallState(WallSettings(confirmQuit: true))
        XCTAssertEqual(careful.handle(.key(.character("q"))), [])
        XCTAssertTrue(DashboardView.render(careful).text.contains("Press q again to quit"))
        _ = careful.handle(.key(.character("x")))
        XCTAssertEqual(careful.handle(.key(.character("q"))), [], "another key in between starts over")
        XCTAssertEqual(careful.handle(.key(.character("q"))), [.quit])
        XCTAssertTrue(careful.quitRequested)
    }

    func testRotationPauseAndManualSteps() {
        var state = wallState(WallSettings(panels: [.overview, .instances, .volumes], rotateSeconds: 10))
        _ = state.handle(.tick(start.addingTimeInterval(9)))
        XCTAssertEqual(state.panel, .overview)
        _ = state.handle(.tick(start.addingTimeInterval(10)))
        XCTAssertEqual(state.panel, .instances)
        _ = state.handle(.key(.character(" ")))
        XCTAssertTrue(state.wall?.paused == true)
        XCTAssertTrue(DashboardView.render(state).text.contains("PAUSED"))
        _ = state.handle(.tick(start.addingTimeInterval(100)))
        XCTAssertEqual(state.panel, .instances, "a paused wall stays put")
        _ = state.handle(.key(.right))
        XCTAssertEqual(state.panel, .volumes)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(state.panel, .overview, "rotation wraps")
        _ = state.handle(.key(.left))
        XCTAssertEqual(state.panel, .volumes)
        _ = state.handle(.key(.character("p")))
        _ = state.handle(.tick(start.addingTimeInterval(109)))
        XCTAssertEqual(state.panel, .volumes)
        _ = state.handle(.tick(start.addingTimeInterval(110)))
        XCTAssertEqual(state.panel, .overview, "resumed: the next panel after a full period")
    }

    func testEventsNameStateChangesCreationsDeletionsAndOutages() {
        var state = wallState()
        var next = SampleCloud.snapshot
        next.instances[0].state = .error
        let removed = next.instances.removeLast()
        next.instances.append(Instance(id: "new-id", name: "fresh-01", state: .building, vcpus: 1, memoryMiB: 512))
        _ = state.handle(.tick(start.addingTimeInterval(2)))
        _ = state.handle(.snapshotLoaded(next, origin: .live))
        let texts = state.wall?.events.entries.map(\.text) ?? []
        XCTAssertTrue(texts.contains("\(SampleCloud.snapshot.instances[0].name): \(SampleCloud.snapshot.instances[0].state.label.lowercased()) → error"), "\(texts)")
        XCTAssertTrue(texts.contains("\(removed.name) deleted"), "\(texts)")
        XCTAssertTrue(texts.contains("fresh-01 created (building)"), "\(texts)")
        XCTAssertEqual(state.wall?.events.entries.first { $0.text.hasSuffix("→ error") }?.severity, .error)

        // One outage is one event, however many retries fail; coming back is another.
        for _ in 0..<5 { _ = state.handle(.loadFailed(message: "libvirt went away.")) }
        XCTAssertEqual(state.wall?.events.entries.filter { $0.text == "libvirt went away." }.count, 1)
        XCTAssertEqual(state.failedRefreshes, 5)
        _ = state.handle(.tick(start.addingTimeInterval(12)))
        _ = state.handle(.snapshotLoaded(next, origin: .live))
        XCTAssertEqual(state.wall?.events.entries.last?.text, "Data is live again after 10 s stale")
        XCTAssertEqual(state.failedRefreshes, 0)
    }

    func testLifecycleEventsAreListedAsTheyHappen() {
        var state = wallState()
        let instance = SampleCloud.snapshot.instances[0]
        let target: InstanceState = instance.state == .paused ? .running : .paused
        _ = state.handle(.backend(.instanceStateChanged(id: instance.id, name: instance.name, state: target)))
        XCTAssertEqual(state.wall?.events.entries.last?.text,
                       "\(instance.name): \(instance.state.label.lowercased()) → \(target.label.lowercased())")
    }

    func testEventListIsBounded() {
        var events = WallEvents()
        for n in 0..<(WallEvents.capacity + 50) { events.add("event \(n)", severity: .info, at: start) }
        XCTAssertEqual(events.entries.count, WallEvents.capacity)
        XCTAssertEqual(events.entries.last?.text, "event \(WallEvents.capacity + 49)")
    }

    func testHostHistoryKeepsAnHourAndForgetsHostsThatLeave() {
        var history = HostHistory()
        let host = Hypervisor(id: "h1", hostname: "kvm-01", state: "up", status: "enabled", vcpus: 8, vcpusUsed: 4,
                              memoryMiB: 1000, memoryUsedMiB: 250)
        for second in stride(from: 0, through: 7200, by: 10) {
            history.record([host], at: start.addingTimeInterval(Double(second)))
        }
        let samples = history.samples["h1"] ?? []
        XCTAssertEqual(samples.count, 361, "one hour of samples ten seconds apart, both ends included")
        XCTAssertEqual(samples.first?.cpu, 0.5, "Nova-style allocation when no measured load exists")
        XCTAssertEqual(samples.first?.memory, 0.25)

        var measured = host
        measured.cpuUtilization = 0.9
        history.record([measured], at: start.addingTimeInterval(7210))
        XCTAssertEqual(history.latest(host: "h1")?.cpu, 0.9, "measured load wins over allocation")

        history.record([], at: start.addingTimeInterval(7220))
        XCTAssertNil(history.samples["h1"], "a host that left takes no memory")
    }

    func testHostHistoryIsCappedWhateverTheRefreshRate() {
        var history = HostHistory()
        let host = Hypervisor(id: "h1", hostname: "kvm-01", state: "up", status: "enabled")
        for tenth in 0..<(HostHistory.maximumSamples + 500) {
            history.record([host], at: start.addingTimeInterval(Double(tenth) / 10))
        }
        XCTAssertEqual(history.samples["h1"]?.count, HostHistory.maximumSamples)
    }

    func testSparklineBucketsAreFixedToTheClock() {
        var history = HostHistory()
        var host = Hypervisor(id: "h1", hostname: "kvm-01", state: "up", status: "enabled")
        host.cpuUtilization = 0.5
        // 60 columns over an hour: one column per minute.
        let base = Date(timeIntervalSinceReferenceDate: 60 * 1_000_000)
        history.record([host], at: base.addingTimeInterval(-1200))
        history.record([host], at: base.addingTimeInterval(-120))
        history.record([host], at: base.addingTimeInterval(5))
        let early = history.buckets(host: "h1", \.cpu, columns: 60, now: base.addingTimeInterval(10))
        let later = history.buckets(host: "h1", \.cpu, columns: 60, now: base.addingTimeInterval(50))
        XCTAssertEqual(early, later, "within one bucket period the sparkline does not move")
        XCTAssertEqual(early.last ?? nil, 0.5)
        XCTAssertEqual(early[57], 0.5, "two minutes earlier, two columns to the left")
        XCTAssertEqual(early[58], 0.5, "a gap of two minutes is bridged with the value before it")
        XCTAssertEqual(early.compactMap { $0 }.count, 4, "a gap of eighteen minutes is an outage and stays empty")
        XCTAssertEqual(early[39], 0.5, "twenty minutes back")
        XCTAssertNil(early[40] ?? nil)
        let nextMinute = history.buckets(host: "h1", \.cpu, columns: 60, now: base.addingTimeInterval(61))
        XCTAssertNil(nextMinute.last ?? nil, "nothing is invented after the newest sample")
        XCTAssertEqual(nextMinute[58], 0.5)
    }

    func testRetryScheduleBacksOffAndCaps() {
        XCTAssertEqual((1...7).map { RetrySchedule.delay(afterFailures: $0, refreshSeconds: 2) }, [1, 2, 4, 8, 16, 30, 30])
        XCTAssertEqual(RetrySchedule.delay(afterFailures: 0, refreshSeconds: 2), 2)
        XCTAssertEqual(RetrySchedule.delay(afterFailures: 10, refreshSeconds: 300), 300, "a slow refresh is the ceiling")
        XCTAssertEqual(RetrySchedule.delay(afterFailures: 500, refreshSeconds: 2), 30)
    }
}

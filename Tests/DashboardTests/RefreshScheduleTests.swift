import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// What the runner used to decide by itself, now events and effects of the state: one read at a time,
/// a queued read after a change, back-off, the cache, resubscribing, the busy console's takeover and
/// the console log's reader. The runner performs what `handle` returns and nothing else.
final class RefreshScheduleTests: XCTestCase {
    private let start = SampleCloud.now

    private func state(readOnly: Bool = false) -> AppState {
        var state = AppState(backend: BackendDescription(kind: .demo, endpoint: "demo"), readOnly: readOnly,
                             size: Size(width: 80, height: 24), now: start, panel: .instances)
        state.refresh.refreshSeconds = 2
        return state
    }

    private func at(_ seconds: Double) -> AppEvent { .clock(start.addingTimeInterval(seconds)) }

    func testStartingReadsAndListensOnce() {
        var state = state()
        XCTAssertEqual(state.handle(.started), [.refresh, .subscribeEvents])
        XCTAssertTrue(state.refresh.loading)
        XCTAssertEqual(state.handle(at(5)), [], "a due read waits while one is on its way")
        XCTAssertFalse(state.refresh.reloadWhenDone, "the timer does not queue reads behind a slow backend")
    }

    func testAChangeAskedForDuringAReadQueuesExactlyOneMore() {
        var state = state()
        _ = state.handle(.started)
        XCTAssertEqual(state.handle(.key(.character("r"))), [], "no second read while one is on its way")
        XCTAssertEqual(state.handle(.key(.character("r"))), [])
        let effects = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertEqual(effects, [.saveSnapshot(SampleCloud.snapshot), .refresh], "the first read is cached, then the queued one")
        XCTAssertTrue(state.refresh.loading)
        XCTAssertEqual(state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live)), [], "only one was queued")
    }

    func testTheCacheIsWrittenOnTheFirstAndEveryThirtiethReadWhenChangedAndNeverReadOnly() {
        var writable = state()
        var readOnly = state(readOnly: true)
        var changed = SampleCloud.snapshot
        changed.instances[0].name = "renamed-between-reads"
        var savedAt: [Int] = []
        for read in 1...90 {
            // The data changes once, at the tenth read, and then stays: the 30th read saves it, the 60th
            // and 90th find nothing new to save.
            let snapshot = read < 10 ? SampleCloud.snapshot : changed
            for target in [0, 1] {
                var current = target == 0 ? writable : readOnly
                _ = current.handle(read == 1 ? .started : at(Double(read - 1) * 2))
                let effects = current.handle(.snapshotLoaded(snapshot, origin: .live))
                let saves = effects.filter { if case .saveSnapshot = $0 { true } else { false } }.count
                if target == 0 {
                    if saves > 0 { savedAt.append(read) }
                    writable = current
                } else {
                    XCTAssertEqual(saves, 0, "read-only never writes the cache")
                    readOnly = current
                }
            }
        }
        XCTAssertEqual(writable.refresh.loadsStarted, 90)
        XCTAssertEqual(savedAt, [1, 30], "the first read, then the 30th (changed since); not the 60th or 90th (same data)")
    }

    func testTheTimerReadsAgainAfterTheInterval() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertEqual(state.handle(at(1.9)), [])
        XCTAssertEqual(state.handle(at(2.0)), [.refresh])
    }

    func testFailuresBackOffAndRefusedCredentialsWaitForR() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(at(0.5))
        _ = state.handle(.loadFailed(message: "libvirt is down."))
        XCTAssertEqual(state.refresh.nextRefresh, start.addingTimeInterval(1.5), "1 s after the first failure")
        _ = state.handle(at(1.5))
        _ = state.handle(.loadFailed(message: "libvirt is down."))
        XCTAssertEqual(state.refresh.nextRefresh, start.addingTimeInterval(3.5), "then 2 s")
        _ = state.handle(at(3.5))
        _ = state.handle(.loadFailed(message: "The cloud refused the password.", waitsForUser: true))
        XCTAssertEqual(state.refresh.nextRefresh, .distantFuture)
        XCTAssertEqual(state.handle(at(3600)), [], "nothing retries by itself")
        XCTAssertEqual(state.handle(.key(.character("r"))), [.refresh], "r does")
    }

    func testEventsAreResubscribedAfterTheNextGoodRead() {
        var state = state()
        _ = state.handle(.started)
        XCTAssertEqual(state.handle(.backendEventsEnded), [])
        _ = state.handle(.loadFailed(message: "libvirt is down."))
        _ = state.handle(.key(.character("r")))
        let effects = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertTrue(effects.contains(.subscribeEvents), "\(effects)")
        _ = state.handle(.key(.character("r")))
        XCTAssertFalse(state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live)).contains(.subscribeEvents))
    }

    func testABusyConsoleOffersFForOneKey() {
        var state = state()
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .cached))
        _ = state.handle(.consoleBusy(instanceID: "i-1", name: "web-01", message: "web-01's console is in use; F takes it over."))
        XCTAssertEqual(state.keyContext, .consoleTakeover)
        XCTAssertEqual(state.handle(.key(.character("F"))), [.openConsole(instanceID: "i-1", name: "web-01", force: true)])
        XCTAssertNil(state.consoleTakeover)

        _ = state.handle(.consoleBusy(instanceID: "i-1", name: "web-01", message: "busy"))
        _ = state.handle(.key(.character("j")))
        XCTAssertNil(state.consoleTakeover, "any other key leaves the console to its user")
        XCTAssertEqual(state.keyContext, .list)
        XCTAssertFalse(state.handle(.key(.character("F"))).contains { if case .openConsole = $0 { true } else { false } },
                       "F is resize again afterwards")
    }

    func testClosingTheConsoleLogStopsItsReader() throws {
        var state = state()
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .cached))
        let effects = state.handle(.key(.character("T")))
        guard case .loadConsoleLog(let id)? = effects.first else { return XCTFail("T reads the log: \(effects)") }
        XCTAssertEqual(state.followingConsoleLog, id)
        XCTAssertEqual(state.handle(.key(.escape)), [.stopConsoleLog])
        XCTAssertNil(state.followingConsoleLog)
        XCTAssertEqual(state.handle(.key(.escape)), [], "stopped once")
    }

    func testTheLoopSleepsUntilTheNextReadOrASecondWhileStale() {
        var state = state()
        _ = state.handle(.started)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertEqual(state.secondsUntilWake(now: start), 2, accuracy: 0.001)
        _ = state.handle(.key(.character("r")))
        _ = state.handle(.loadFailed(message: "down"))
        XCTAssertLessThanOrEqual(state.secondsUntilWake(now: start), 1, "the stale age on screen stays true")
    }
}

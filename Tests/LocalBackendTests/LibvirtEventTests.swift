#if canImport(Glibc)
import Glibc
#endif
import CLibvirt
import Synchronization
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices

/// Collects events delivered on libvirt's event thread and lets the test wait for a number of them.
private final class EventRecorder: Sendable {
    private let events = Mutex<[BackendEvent]>([])

    func record(_ event: BackendEvent) { events.withLock { $0.append(event) } }

    var recorded: [BackendEvent] { events.withLock { $0 } }

    /// Polls briefly: libvirt dispatches from its own thread, usually within a millisecond.
    func wait(for count: Int, timeout: Duration = .seconds(2)) -> [BackendEvent] {
        let deadline = ContinuousClock.now + timeout
        while recorded.count < count, ContinuousClock.now < deadline { usleep(2_000) }
        return recorded
    }
}

final class LibvirtEventTests: XCTestCase {
    private func domain(_ name: String, on connection: LibvirtConnection) throws -> OpaquePointer {
        let domain = try XCTUnwrap(virDomainLookupByName(connection.handle, name))
        addTeardownBlock { virDomainFree(domain) }
        return domain
    }

    func testSuspendResumeAndDestroyAreDelivered() throws {
        let connection = try openDemoHost(self)
        let id = try XCTUnwrap(try connection.inventory().instances.first { $0.name == "web-01" }?.id)
        let recorder = EventRecorder()
        let subscription = try connection.subscribeToLifecycleEvents { recorder.record($0) }
        defer { subscription.cancel() }

        let web = try domain("web-01", on: connection)
        XCTAssertEqual(virDomainSuspend(web), 0)
        XCTAssertEqual(recorder.wait(for: 1), [.instanceStateChanged(id: id, name: "web-01", state: .paused)])
        XCTAssertEqual(virDomainResume(web), 0)
        XCTAssertEqual(recorder.wait(for: 2).last, .instanceStateChanged(id: id, name: "web-01", state: .running))
        XCTAssertEqual(virDomainDestroy(web), 0)
        XCTAssertEqual(recorder.wait(for: 3).last, .instanceStateChanged(id: id, name: "web-01", state: .shutoff))
        XCTAssertEqual(recorder.recorded.count, 3)
    }

    func testDefineAndUndefineAskForAReload() throws {
        let connection = try openDemoHost(self)
        let recorder = EventRecorder()
        let subscription = try connection.subscribeToLifecycleEvents { recorder.record($0) }
        defer { subscription.cancel() }

        let xml = "<domain type='test'><name>fresh</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>"
            + "<os><type>hvm</type></os></domain>"
        let defined = try XCTUnwrap(virDomainDefineXML(connection.handle, xml))
        defer { virDomainFree(defined) }
        XCTAssertEqual(recorder.wait(for: 1), [.instancesChanged])
        XCTAssertEqual(try connection.inventory().instances.first { $0.name == "fresh" }?.state, .shutoff)
        XCTAssertEqual(virDomainUndefine(defined), 0)
        XCTAssertEqual(recorder.wait(for: 2), [.instancesChanged, .instancesChanged])
    }

    func testCancelledSubscriptionDeliversNothing() throws {
        let connection = try openDemoHost(self)
        let recorder = EventRecorder()
        let subscription = try connection.subscribeToLifecycleEvents { recorder.record($0) }
        XCTAssertTrue(subscription.isActive)
        subscription.cancel()
        subscription.cancel()
        XCTAssertFalse(subscription.isActive)

        // A second subscription proves events still flow, so silence on the first is real.
        let witness = EventRecorder()
        let other = try connection.subscribeToLifecycleEvents { witness.record($0) }
        defer { other.cancel() }
        XCTAssertEqual(virDomainSuspend(try domain("bastion", on: connection)), 0)
        XCTAssertEqual(witness.wait(for: 1).count, 1)
        XCTAssertEqual(recorder.recorded, [])
    }
}

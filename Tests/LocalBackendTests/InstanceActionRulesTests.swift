@testable import LocalBackend
import StacktopModel
import StacktopServices
import XCTest
import SystemTestSupport

/// The decisions that need no hypervisor: states the test driver cannot produce, the sentences of a
/// bulk report, which disks count as an instance's own, and libvirt's errors made into sentences.
final class InstanceActionRulesTests: XCTestCase {
    private func status(_ state: DomainRunState, active: Bool) -> DomainStatus {
        DomainStatus(uuid: "u-1", name: "web-01", state: state, active: active)
    }

    private func refusal(_ action: ActionKind, _ status: DomainStatus, locked: Bool = false,
                         newName: String? = nil) -> BackendError? {
        do {
            let plan = try InstanceActionRules.plan(action, status: status, locked: locked, newName: newName)
            XCTFail("expected a refusal, got \(plan)")
            return nil
        } catch {
            return error
        }
    }

    private func clash(_ action: ActionKind, _ state: String, _ needs: BackendError.StateNeed,
                       _ advice: String? = nil) -> BackendError {
        .wrongState(name: "web-01", state: state, action: action, needs: needs, advice: advice)
    }

    func testStatesTheTestDriverCannotReach() throws {
        let stopping = status(.shuttingDown, active: true)
        XCTAssertEqual(refusal(.stop, stopping), clash(.stop, "shutting down", .already, "power it off if it does not finish"))
        XCTAssertEqual(try InstanceActionRules.plan(.powerOff, status: stopping, locked: false), .libvirt(.destroy))
        XCTAssertEqual(refusal(.reboot, stopping), clash(.reboot, "shutting down", .state("running"), "hard reboot it instead"))
        XCTAssertEqual(refusal(.start, stopping), clash(.start, "shutting down", .state("shut off"), "power it off first"))

        let crashedButActive = status(.crashed, active: true)
        XCTAssertEqual(try InstanceActionRules.plan(.hardReboot, status: crashedButActive, locked: false),
                       .libvirt(.reset))
        XCTAssertEqual(try InstanceActionRules.plan(.start, status: status(.crashed, active: false), locked: false),
                       .libvirt(.create))
        XCTAssertEqual(refusal(.pause, status(.guestSuspended, active: true)),
                       clash(.pause, "suspended by its guest OS", .state("running")))
        XCTAssertEqual(refusal(.stop, status(.paused, active: true)),
                       clash(.stop, "paused", .so("its guest cannot shut down"), "unpause it first, or power it off"))
        XCTAssertEqual(refusal(.rename, status(.saved, active: false), newName: "b"),
                       clash(.rename, "suspended", .state("shut off"), "resume it, shut it off and try again"))
        XCTAssertEqual(refusal(.rename, status(.shutOff, active: false), newName: "web-01")?.option, .name)
        XCTAssertEqual(refusal(.resume, status(.crashed, active: false)),
                       clash(.resume, "crashed", .not("suspended"), "start it instead"),
                       "an inactive guest has no saved state, whatever libvirt calls its state")
    }

    func testLockIsCheckedBeforeTheState() throws {
        let off = status(.shutOff, active: false)
        XCTAssertEqual(refusal(.stop, off, locked: true), .locked(name: "web-01"),
                       "a locked instance says locked, not 'already shut off'")
        XCTAssertEqual(try InstanceActionRules.plan(.unlock, status: off, locked: true), .setLocked(false))
        XCTAssertEqual(try InstanceActionRules.plan(.delete, status: off, locked: false), .delete)
    }

    func testReportSentences() {
        typealias Done = InstanceActionReport.Done
        XCTAssertEqual(InstanceActionReport.list(["a", "b", "c"]), "a, b and c")
        XCTAssertEqual(try? InstanceActionReport.outcome(.delete, done: [
            Done(name: "a", deletedDisks: ["a.qcow2"]), Done(name: "b", deletedDisks: ["b.qcow2"])], failed: []),
            ActionOutcome(message: "Deleted a and b with their disks a.qcow2 and b.qcow2."))

        let failure = BackendError.failed(what: "Powering off b", reason: "internal error: boom; check the log")
        XCTAssertThrowsError(try InstanceActionReport.outcome(.powerOff, done: [], failed: [("b", failure)])) {
            XCTAssertEqual($0 as? BackendError, failure, "one target's error is passed on as it is")
        }
        let refused = BackendError.refused(reason: "c is already shut off.")
        XCTAssertThrowsError(try InstanceActionReport.outcome(.powerOff, done: [],
                                                              failed: [("b", failure), ("c", refused)])) {
            XCTAssertEqual(($0 as? BackendError)?.message, "Power off b and c failed: Powering off b failed: "
                           + "internal error: boom; check the log; c is already shut off.")
            XCTAssertEqual(($0 as? BackendError)?.isRefusal, false, "a real failure is not recorded as refused")
        }
    }

    func testOnlyDisksMadeForTheInstanceGoWithIt() {
        func volume(_ name: String, pool: String = "default") -> PoolVolume {
            PoolVolume(pool: pool, name: name, path: "/p/\(pool)/\(name)", key: name, capacityBytes: 1,
                       allocationBytes: 1)
        }
        let a = Instance(id: "u-1", name: "a", state: .shutoff, vcpus: 1, memoryMiB: 1, disks: [
            InstanceDisk(target: "vda", source: "/p/default/a-root.qcow2"),
            InstanceDisk(target: "vdb", source: "default/data.raw"),
            InstanceDisk(target: "vdc", source: "/p/default/shared.raw"),
            InstanceDisk(target: "vdd", source: "/p/images/base.qcow2"),
            InstanceDisk(target: "sda", source: "/p/default/a-seed.iso", device: .cdrom),
        ])
        let legacy = Instance(id: "u-3", name: "c", state: .shutoff, vcpus: 1, memoryMiB: 1, disks: [
            InstanceDisk(target: "vda", source: "/p/default/c-root.qcow2"),
            InstanceDisk(target: "vdb", source: "/p/default/c-root2.qcow2"),
            InstanceDisk(target: "sda", source: "/p/default/c-seed.iso", device: .cdrom),
        ])
        let inventory = HostInventory(
            instances: [a, Instance(id: "u-2", name: "b", state: .shutoff, vcpus: 1, memoryMiB: 1, disks: [
                InstanceDisk(target: "vda", source: "default/shared.raw")]), legacy],
            poolVolumes: [volume("a-root.qcow2"), volume("data.raw"), volume("shared.raw"), volume("base.qcow2", pool: "images"),
                          volume("a-seed.iso"), volume("c-root.qcow2"), volume("c-root2.qcow2"), volume("c-seed.iso")])
        // The store recorded a's root and seed, and (wrongly) the shared disk and the image: those stay anyway.
        let fate = InstanceDiskFate(inventory: inventory, images: ["/p/images/base.qcow2"], records: [
            "/p/default/a-root.qcow2": "u-1", "/p/default/a-seed.iso": "u-1", "/p/default/shared.raw": "u-1",
            "/p/images/base.qcow2": "u-1"])
        XCTAssertEqual(fate.marked(a, launchedByStacktop: true).map(\.deleteOnTermination), [true, false, false, false, true],
                       "the recorded root and seed go; the separate volume, the shared disk and the image stay")
        // Launched before disks were recorded: the launch's names in the launch's places, nothing else.
        XCTAssertEqual(fate.marked(legacy, launchedByStacktop: true).map(\.deleteOnTermination), [true, false, true])
        // Defined outside stacktop: nothing of it is deleted.
        XCTAssertEqual(fate.marked(legacy, launchedByStacktop: false).map(\.deleteOnTermination), [false, false, false])
        XCTAssertEqual(fate.name(of: a.disks[1]), "data.raw")
    }

    func testDeleteSentencesNameWhatWentAndWhatStayed() {
        typealias Done = InstanceActionReport.Done
        XCTAssertEqual(try? InstanceActionReport.outcome(.delete, done: [
            Done(name: "web", deletedDisks: ["web-root.qcow2", "web-seed.iso"], keptDisks: ["data.qcow2"])], failed: []),
            ActionOutcome(message: "Deleted web with its disks web-root.qcow2 and web-seed.iso; kept volume data.qcow2."))
        XCTAssertEqual(try? InstanceActionReport.outcome(.delete, done: [
            Done(name: "web", deletedDisks: ["web-root.qcow2"], keptDisks: ["data.qcow2"], heldAtPowerOff: ["data.qcow2"]),
            Done(name: "old", keptDisks: ["old.qcow2", "x.raw"], definedOutside: true)], failed: []),
            ActionOutcome(message: "Deleted web with its disk web-root.qcow2; kept volume data.qcow2, though web still "
                          + "held data.qcow2 when it was powered off; deleted the definition of old (stacktop did not "
                          + "launch it); kept its disks old.qcow2 and x.raw."))
    }

    func testLibvirtErrorsBecomeSentencesWithWhatToDo() throws {
        let xml = try makeTemporaryDirectory(self) + "/node.xml"
        try """
            <node><domain type='test'><name>web-01</name><memory>1024</memory>
              <os><type>hvm</type></os></domain></node>
            """.write(toFile: xml, atomically: true, encoding: .utf8)
        let connection = try LibvirtConnection(uri: "test://" + xml)
        let domain = try connection.domainStatus("web-01")
        XCTAssertThrowsError(try connection.call(.resume, uuid: domain.uuid, name: "web-01")) {
            XCTAssertEqual(($0 as? BackendError)?.message, "Unpausing web-01 failed: internal error: domain 'web-01' "
                           + "not paused; check the libvirt log of test://\(xml) for details.")
        }
        try connection.call(.destroy, uuid: domain.uuid, name: "web-01")
        XCTAssertThrowsError(try connection.call(.reboot, uuid: domain.uuid, name: "web-01")) {
            XCTAssertEqual(($0 as? BackendError)?.message, "Rebooting web-01 failed: Requested operation is not "
                           + "valid: domain is not running; its state changed meanwhile, "
                           + "so refresh the list and try again.")
        }
        XCTAssertThrowsError(try connection.deleteVolume(pool: "nope", name: "x.qcow2")) {
            XCTAssertEqual(($0 as? BackendError)?.message, "Deleting volume x.qcow2 in storage pool nope failed: "
                           + "Storage pool not found: no storage pool with matching name 'nope'; "
                           + "it is gone, so refresh the list.")
        }
    }
}

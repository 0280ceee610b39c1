import StacktopServices
import XCTest

/// The one place refusal sentences are pinned: each case (and each way a case is phrased) renders the sentence
/// the user reads. Every other test asserts the case and its data; these assert the words.
final class BackendErrorSentenceTests: XCTestCase {
    private func says(_ error: BackendError, _ sentence: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(error.message, sentence, file: file, line: line)
        XCTAssertTrue(error.isRefusal, "a refusal changes nothing, and the audit log says refused", file: file, line: line)
        XCTAssertFalse(error.stopsRetries, file: file, line: line)
    }

    func testMissingTarget() {
        says(.missingTarget(kind: .instance, action: .start, usage: nil), "Nothing to start: name the server.")
        says(.missingTarget(kind: .volumeSnapshot, action: .delete, usage: nil), "Nothing to delete: name the volume snapshot.")
        says(.missingTarget(kind: .volume, action: .create, usage: "`stacktop volume create NAME --size GIB`"),
             "Name the volume to create: `stacktop volume create NAME --size GIB`.")
        says(.missingTarget(kind: .floatingIP, action: .disassociate, usage: "`stacktop floating-ip disassociate 172.24.4.10`"),
             "Name the floating IP to disassociate: `stacktop floating-ip disassociate 172.24.4.10`.")
        says(.missingTarget(kind: .network, action: .create, usage: nil), "Give the new network a name, e.g. `network create NAME`.")
        says(.missingTarget(kind: .image, action: .upload, usage: nil), "Give the new image a name, e.g. `image create NAME`.")
    }

    func testOneAtATime() {
        says(.oneAtATime(kind: .instance, action: .resize, usage: nil), "Resize works on one server at a time; name exactly one.")
        says(.oneAtATime(kind: .volume, action: .extend, usage: "`stacktop volume extend NAME --size GIB`"),
             "Extend works on one volume at a time: `stacktop volume extend NAME --size GIB`.")
        says(.oneAtATime(kind: .instance, action: .rename, usage: nil), "Rename one server at a time; each needs its own new name.")
    }

    func testInvalidOptionSaysItsOwnSentenceAndNamesTheOption() {
        let error = BackendError.invalidOption(.size, reason: "Volume v2 needs a size: add --size GIB.")
        says(error, "Volume v2 needs a size: add --size GIB.")
        XCTAssertEqual(error.option, .size)
    }

    func testNameTaken() {
        says(.nameTaken(kind: "flavor", name: "m1.tiny", scope: nil, option: nil),
             "A flavor named m1.tiny already exists; pick another name.")
        says(.nameTaken(kind: "instance", name: "web-01", scope: nil, option: nil),
             "An instance named web-01 already exists; pick another name.")
        says(.nameTaken(kind: "image", name: "staging-golden", scope: nil, option: .imageName),
             "An image named staging-golden already exists; choose another --image-name.")
        says(.nameTaken(kind: "volume", name: "data.qcow2", scope: "Pool default", option: nil),
             "Pool default already has a volume named data.qcow2; pick another name.")
        says(.nameTaken(kind: "volume", name: "data-snap.qcow2", scope: "Pool default", option: .name),
             "Pool default already has a volume named data-snap.qcow2; choose another --name.")
        says(.nameTaken(kind: "security group", name: "web", scope: "Project lab", option: nil),
             "Project lab already has a security group named web; pick another name.")
        XCTAssertEqual(BackendError.nameTaken(kind: "server", name: "a", scope: nil, option: .name).option, .name)
    }

    func testAmbiguousName() {
        says(.ambiguousName(kind: "server", name: "web", candidates: ["id-a", "id-b"], tellApartBy: .id),
             "2 servers are named \"web\" (ids id-a, id-b); name the one you mean by its id.")
        says(.ambiguousName(kind: "volume", name: "data", candidates: ["default", "images"], tellApartBy: .pool),
             "Several volumes are named data (in pools default, images); use the volume's path as its name.")
        says(.ambiguousName(kind: "security group", name: "web", candidates: ["lab", "none"], tellApartBy: .project),
             "Several security groups are named web (projects lab, none); switch project with :project NAME first.")
    }

    func testWrongStateInEachOfItsPhrasings() {
        says(.wrongState(name: "db-01", state: "shut off", action: .reboot, needs: .state("running"), advice: "start it instead"),
             "Reboot needs db-01 running, but it is shut off; start it instead.")
        says(.wrongState(name: "web-01", state: "suspended by its guest OS", action: .pause, needs: .state("running"), advice: nil),
             "Pause needs web-01 running, but it is suspended by its guest OS.")
        says(.wrongState(name: "web-01", state: "running", action: .resize, needs: .stateFirst("shut off"),
                         advice: "shut it off and try again"),
             "Resize needs web-01 shut off first; shut it off and try again.")
        says(.wrongState(name: "app-01", state: "paused", action: .resume, needs: .not("suspended"), advice: "unpause it instead"),
             "app-01 is paused, not suspended; unpause it instead.")
        says(.wrongState(name: "web-01", state: "suspended", action: .powerOff, needs: .so("it is already off"), advice: nil),
             "web-01 is suspended, so it is already off.")
        says(.wrongState(name: "off", state: "not running (shutoff)", action: nil, needs: .so("its serial console cannot open"),
                         advice: "start it first"),
             "off is not running (shutoff), so its serial console cannot open; start it first.")
        says(.wrongState(name: "web-01", state: "shutting down", action: .stop, needs: .already,
                         advice: "power it off if it does not finish"),
             "web-01 is already shutting down; power it off if it does not finish.")
        says(.wrongState(name: "web-01", state: "running", action: .start, needs: .already, advice: nil),
             "web-01 is already running.")
        says(.wrongState(name: "app-01", state: "paused", action: .start, needs: .plain, advice: "unpause it instead"),
             "app-01 is paused; unpause it instead.")
        says(.wrongState(name: "web-01", state: "not locked", action: .unlock, needs: .plain, advice: nil), "web-01 is not locked.")
    }

    func testInUseForEachKindOfHolder() {
        says(.inUse(kind: .volume, name: "data", by: ["web-01", "web-02"], use: .attachedTo, advice: "detach it first"),
             "Volume data is attached to web-01, web-02; detach it first.")
        says(.inUse(kind: .volume, name: "data", by: ["web-01"], use: .alreadyAttachedTo, advice: nil),
             "Volume data is already attached to web-01.")
        says(.inUse(kind: .volume, name: "logs", by: ["collector"], use: .holdingLock(state: "paused"),
                    advice: "shut it off or detach the volume first to take a snapshot of it"),
             "Volume logs is attached to collector, which is paused and holds the file's lock; shut it off or detach the "
             + "volume first to take a snapshot of it.")
        says(.inUse(kind: .volume, name: "logs", by: ["a", "b"], use: .holdingLock(state: "running"),
                    advice: "shut them off or detach the volume first to take a snapshot of it"),
             "Volume logs is attached to a, b, which are not shut off and hold the file's lock; shut them off or detach the "
             + "volume first to take a snapshot of it.")
        says(.inUse(kind: .volume, name: "data", by: ["web-01"], use: .runningIn,
                    advice: "pause or shut it off first so the copy is consistent"),
             "Volume data is in use by running web-01; pause or shut it off first so the copy is consistent.")
        says(.inUse(kind: .securityGroup, name: "api", by: ["api-01"], use: .usedBy, advice: "remove it from those instances first"),
             "Security group api is used by api-01; remove it from those instances first.")
        says(.inUse(kind: .network, name: "lab", by: ["web-01"], use: .portsOf, advice: "detach or delete those instances first"),
             "Network lab still has ports of web-01; detach or delete those instances first.")
        says(.inUse(kind: .volume, name: "scratch.qcow2", by: ["nightly", "weekly"], use: .snapshots,
                    advice: "delete them first (`stacktop volume-snapshot delete NAME`)"),
             "Volume scratch.qcow2 has snapshots nightly, weekly, which would go with it; delete them first "
             + "(`stacktop volume-snapshot delete NAME`).")
    }

    func testUnavailableSaysItsOwnSentence() {
        says(.unavailable(feature: "floating IP", reason: "libvirt has no floating IPs."), "libvirt has no floating IPs.")
    }

    func testRefusedForEachKeepsEveryTargetsOwnSentence() {
        let each = ["web-01", "db-01"].map {
            BackendError.TargetFailure(target: $0, error: .wrongState(name: $0, state: "shut off", action: .stop, needs: .already,
                                                                      advice: nil))
        }
        says(.refusedForEach(action: .stop, failures: each),
             "Shut off failed for web-01 and db-01: web-01 is already shut off; db-01 is already shut off.")
        says(.refusedForEach(action: .powerOff, failures: each + [.init(target: "app-01", error: .locked(name: "app-01"))]),
             "Power off failed for web-01, db-01 and app-01: web-01 is already shut off; db-01 is already shut off; "
             + "app-01 is locked: unlock it first (`stacktop server unlock app-01`).")
    }

    func testTheCasesThatWereAlreadyTyped() {
        says(.readOnly(action: "delete server web-01"),
             "Refused to delete server web-01: stacktop is read-only here (--readonly, the wall, or a context marked readonly); make changes from a session that is not.")
        says(.unsupported(action: "Confirm resize server"), "Confirm resize server is not supported by this backend.")
        says(.locked(name: "app-01"), "app-01 is locked: unlock it first (`stacktop server unlock app-01`).")
        says(.quotaExceeded(project: "web", resource: "Key Pairs", limit: 3, inUse: 3, requested: 1),
             "Quota exceeded for Key Pairs in project web: 3 of 3 in use and 1 more requested. Free some up or ask an admin "
             + "to raise the quota.")
        says(.refused(reason: "web-01 has no free disk slot left; detach a volume first."),
             "web-01 has no free disk slot left; detach a volume first.")
        XCTAssertEqual(BackendError.notFound(kind: "server", name: "nope").message,
                       "No server named \"nope\" exists; check the name with `stacktop server list`.")
        XCTAssertFalse(BackendError.notFound(kind: "server", name: "nope").isRefusal)
    }

    func testQuotedTextIsShownNotObeyed() {
        let error = BackendError.nameTaken(kind: "flavor", name: "a\u{1B}[2Jb", scope: nil, option: nil)
        XCTAssertFalse(error.message.contains("\u{1B}"), error.message)
        XCTAssertEqual(error.message, "A flavor named a␛[2Jb already exists; pick another name.")
    }
}

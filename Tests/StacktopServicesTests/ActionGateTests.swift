import XCTest
import Synchronization
import StacktopModel
@testable import StacktopServices
import StacktopTestSupport

final class ActionGateTests: XCTestCase {
    func testConfirmationFollowsTheTraits() {
        XCTAssertEqual(ConfirmationPolicy.requirement(for: ActionRequest(action: .start, kind: .instance, targets: ["a"])),
                       .none, "starting harms nothing")
        let stop = ConfirmationPolicy.requirement(for: ActionRequest(action: .stop, kind: .instance, targets: ["web-01"]))
        XCTAssertEqual(stop, .yes(question: "Shut off server web-01? (y/N)"))
        XCTAssertTrue(stop.accepts("y") && stop.accepts(" YES "))
        XCTAssertFalse(stop.accepts("") || stop.accepts("n") || stop.accepts("yep"))

        let delete = ConfirmationPolicy.requirement(for: ActionRequest(action: .delete, kind: .volume, targets: ["db data"]))
        guard case .typeText(let question, let expected) = delete else { return XCTFail("\(delete)") }
        XCTAssertEqual(expected, "db data")
        XCTAssertTrue(question.contains("Type its name"), question)
        XCTAssertTrue(delete.accepts("db data"))
        XCTAssertFalse(delete.accepts("y"), "y is not enough to destroy data")

        let bulk = ConfirmationPolicy.requirement(for: ActionRequest(action: .reboot, kind: .instance,
                                                                     targets: ["a", "b", "c"]))
        XCTAssertEqual(bulk.question?.contains("on 3 items"), true)
        XCTAssertTrue(bulk.accepts("3"))
        XCTAssertFalse(bulk.accepts("y"))
    }

    func testEveryActionHasATitleAndKeysAreUniqueWithinInstances() {
        let instanceKeys = ActionKind.allCases.filter { $0 != .upload && $0 != .associate && $0 != .disassociate }
            .compactMap(\.traits.key)
        XCTAssertEqual(instanceKeys.count, Set(instanceKeys).count, "two actions share a key: \(instanceKeys)")
        for action in ActionKind.allCases { XCTAssertFalse(action.traits.title.isEmpty) }
        XCTAssertTrue(ActionKind.delete.traits.destructive, "destroying data is destructive")
    }

    func testCapabilitiesExplainWhatIsMissing() {
        let capabilities = Capabilities(supported: [Capability(.instance, .start)],
                                        unsupportedKinds: [.floatingIP: "libvirt has no floating IPs."])
        XCTAssertNil(capabilities.refusal(.start, on: .instance))
        XCTAssertEqual(capabilities.refusal(.stop, on: .instance), .unsupported(action: "Shut off server"))
        XCTAssertEqual(capabilities.refusal(.create, on: .floatingIP),
                       .unavailable(feature: "floating IP", reason: "libvirt has no floating IPs."))
        XCTAssertEqual(capabilities.actions(for: .instance), [.start])
    }

    func testAuditingRecordsSuccessFailureAndRefusalButReadOnlyNeverReachesTheLog() async throws {
        let base = InMemoryBackend(failingTargets: [
            "broken": .remote(what: "Deleting broken", status: 409, reason: "it is in use", requestID: "req-9"),
        ])
        let log = InMemoryStore()
        let audited = AuditingBackend(wrapping: base, log: log, clock: { Date(timeIntervalSince1970: 100) })
        _ = try await audited.perform(ActionRequest(action: .reboot, kind: .instance, targets: ["web-01"], project: "web"))
        do {
            _ = try await audited.perform(ActionRequest(action: .delete, kind: .volume, targets: ["broken"]))
            XCTFail("the failure must reach the caller")
        } catch {}
        let records = log.records
        XCTAssertEqual(records.count, 2)
        XCTAssertEqual(records[0], AuditRecord(time: Date(timeIntervalSince1970: 100), project: "web",
                                               action: "reboot server", target: "web-01", result: .succeeded,
                                               requestIDs: ["req-1"]))
        XCTAssertEqual(records[1].result, .failed)
        XCTAssertEqual(records[1].requestIDs, ["req-9"])
        XCTAssertEqual(records[1].error?.contains("it is in use"), true)

        let readOnly = ReadOnlyBackend(wrapping: audited)
        do {
            _ = try await readOnly.perform(ActionRequest(action: .delete, kind: .instance, targets: ["web-01"]))
            XCTFail("read-only must refuse")
        } catch {}
        XCTAssertEqual(log.records.count, 2, "a read-only refusal writes nothing, not even the log")
        XCTAssertEqual(base.performed.count, 2)
    }
}

final class ActionCommandTests: XCTestCase {
    func testTheOpenStackCLISpellingsParse() throws {
        let hard = try ActionCommand.parse(["server", "reboot", "web-01", "--hard"])
        XCTAssertEqual(hard.request, ActionRequest(action: .hardReboot, kind: .instance, targets: ["web-01"]))
        let rename = try ActionCommand.parse(["vm", "rename", "web 01", "--name=web-02", "--yes"])
        XCTAssertEqual(rename.request.options, [.name: .text("web-02")])
        XCTAssertEqual(rename.request.targets, ["web 01"])
        XCTAssertTrue(rename.confirmed)
        let create = try ActionCommand.parse(["volume", "create", "--size", "10", "data"])
        XCTAssertEqual(create.request.options, [.size: .integer(10)], "parsed once, into a number")
        XCTAssertEqual(create.request.targets, ["data"])
    }

    func testMistakesAreSentences() {
        func message(_ words: [String]) -> String {
            do { _ = try ActionCommand.parse(words); return "parsed" } catch { return error.description }
        }
        XCTAssertTrue(message(["toaster", "stop", "x"]).hasPrefix("Unknown kind \"toaster\""))
        XCTAssertTrue(message(["server"]).contains("needs an action"))
        XCTAssertTrue(message(["server", "explode", "x"]).hasPrefix("Unknown action \"explode\" for server"))
        XCTAssertEqual(message(["server", "stop"]), "Shut off server needs a name, for example `instance stop NAME`.")
        XCTAssertEqual(message(["server", "rename", "a", "--name"]), "--name needs a value, for example --name VALUE.")
    }

    func testQuotedWordsAfterTheColon() {
        XCTAssertEqual(ActionCommand.words(of: "server stop \"db primary\" 'x y' z"),
                       ["server", "stop", "db primary", "x y", "z"])
        XCTAssertEqual(ActionCommand.words(of: "  a   \"\" b "), ["a", "", "b"])
    }
}

final class ActionProgressTests: XCTestCase {
    func testTheReporterReachesCodeRunInTheSameTaskAndNoOtherTask() async {
        let seen = Mutex<[String]>([])
        let reporter = ActionProgress.Reporter { update in seen.withLock { $0.append(update.sentence) } }
        await ActionProgress.withReporter(reporter) {
            // What a backend does deep inside perform().
            await Task { ActionProgress.report(ActionProgress.Update(what: "Uploading a.qcow2", done: 1 << 20, total: 4 << 20)) }.value
            ActionProgress.report(ActionProgress.Update(what: "Uploading a.qcow2", done: 4 << 20, total: 4 << 20))
        }
        ActionProgress.report(ActionProgress.Update(what: "elsewhere", done: 1, total: 1))
        XCTAssertEqual(seen.withLock { $0 }, ["Uploading a.qcow2: 25% (1.0 MiB of 4.0 MiB)",
                                              "Uploading a.qcow2: 100% (4.0 MiB of 4.0 MiB)"])
    }
}

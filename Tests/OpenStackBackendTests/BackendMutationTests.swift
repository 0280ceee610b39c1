import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices
import StacktopTestSupport

final class BackendMutationTests: XCTestCase {
    private func transportWithServers(_ servers: [(String, String)]) async -> RoutedTransport {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2.1/servers", json: ["servers": servers.map { ["id": $0.0, "name": $0.1] }])
        return transport
    }

    private func json(_ data: Data?) -> NSDictionary? {
        data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? NSDictionary }
    }

    func testEachInstanceActionPostsItsBodyToTheResolvedServer() async throws {
        let expected: [(ActionKind, [String: Any])] = [
            (.start, ["os-start": NSNull()]), (.stop, ["os-stop": NSNull()]), (.powerOff, ["os-stop": NSNull()]),
            (.reboot, ["reboot": ["type": "SOFT"]]), (.hardReboot, ["reboot": ["type": "HARD"]]),
            (.pause, ["pause": NSNull()]), (.unpause, ["unpause": NSNull()]), (.suspend, ["suspend": NSNull()]),
            (.resume, ["resume": NSNull()]), (.lock, ["lock": NSNull()]), (.unlock, ["unlock": NSNull()]),
        ]
        for (action, body) in expected {
            let transport = await transportWithServers([("id-web", "web.01"), ("id-other", "web.011")])
            await transport.on(.post, "/servers/id-web/action", status: 202, headers: ["x-openstack-request-id": "req-\(action)"])
            let backend = BackendFixture.backend(transport)

            let outcome = try await backend.perform(ActionRequest(action: action, kind: .instance, targets: ["web.01"]))

            XCTAssertEqual(outcome.requestIDs, ["req-\(action)"], "\(action)")
            let posts = await transport.requests(.post, "/action")
            XCTAssertEqual(posts.count, 1, "\(action)")
            XCTAssertEqual(json(posts.first?.body), body as NSDictionary, "\(action)")
            XCTAssertEqual(posts.first?.header("OpenStack-API-Version"), "compute 2.96")
            let lookup = await transport.requests(.get, "/v2.1/servers").first
            let name = URLComponents(url: try XCTUnwrap(lookup?.url), resolvingAgainstBaseURL: false)?
                .queryItems?.first { $0.name == "name" }?.value
            XCTAssertEqual(name, "^web\\.01$")
        }
    }

    func testPowerOffSaysItSentAStop() async throws {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.post, "/servers/id-web/action", status: 202)
        let outcome = try await BackendFixture.backend(transport)
            .perform(ActionRequest(action: .powerOff, kind: .instance, targets: ["web"]))
        XCTAssertTrue(outcome.message.contains("os-stop"), outcome.message)
    }

    func testRenamePutsTheNewNameAndDeleteDeletes() async throws {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.put, "/servers/id-web", headers: ["x-openstack-request-id": "req-put"],
                           json: ["server": ["id": "id-web", "name": "www"]])
        await transport.on(.delete, "/servers/id-web", status: 204, headers: ["x-openstack-request-id": "req-del"])
        let backend = BackendFixture.backend(transport)

        let renamed = try await backend.perform(ActionRequest(action: .rename, kind: .instance, targets: ["web"],
                                                              text: [.name: "www"]))
        let deleted = try await backend.perform(ActionRequest(action: .delete, kind: .instance, targets: ["web"]))

        XCTAssertEqual(renamed.message, "Renamed server web to www.")
        XCTAssertEqual(renamed.requestIDs, ["req-put"])
        XCTAssertEqual(deleted.requestIDs, ["req-del"])
        let put = await transport.requests(.put, "/servers/id-web").first
        XCTAssertEqual(json(put?.body), ["server": ["name": "www"]] as NSDictionary)
        do {
            _ = try await backend.perform(ActionRequest(action: .rename, kind: .instance, targets: ["web"]))
            XCTFail("rename without a name")
        } catch let error as BackendError {
            XCTAssertEqual(error, .invalidOption(.name, reason: "Rename needs the new name: add --name NEW."))
        }
    }

    func testDeletesOfOtherKindsGoToTheirServices() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/volumes/detail", query: "name=data",
                           json: ["volumes": [["id": "vol-1", "name": "data", "size": 1, "status": "available"]]])
        await transport.on(.get, "/v2/images", query: "name=cirros",
                           json: ["images": [["id": "img-1", "name": "cirros", "status": "active"]]])
        await transport.on(.get, "/v2.0/networks", query: "name=private",
                           json: ["networks": [["id": "net-1", "name": "private"]]])
        for (method, path) in [(HTTPMethod.delete, "/v3/\(BackendFixture.projectID)/volumes/vol-1"),
                               (.delete, "/v2/images/img-1"), (.delete, "/v2.0/networks/net-1"),
                               (.delete, "/v2.0/security-group-rules/rule-1"), (.delete, "/v2.1/os-keypairs/mykey")] {
            await transport.on(method, path, status: 204, headers: ["x-openstack-request-id": "req" + path])
        }
        let backend = BackendFixture.backend(transport)
        let cases: [(ResourceKind, String, String)] = [
            (.volume, "data", "/v3/\(BackendFixture.projectID)/volumes/vol-1"), (.image, "cirros", "/v2/images/img-1"),
            (.network, "private", "/v2.0/networks/net-1"), (.securityGroupRule, "rule-1", "/v2.0/security-group-rules/rule-1"),
            (.keypair, "mykey", "/v2.1/os-keypairs/mykey"),
        ]
        for (kind, target, path) in cases {
            let outcome = try await backend.perform(ActionRequest(action: .delete, kind: kind, targets: [target]))
            XCTAssertEqual(outcome.requestIDs, ["req" + path], "\(kind)")
            let deletes = await transport.requests(.delete, path)
            XCTAssertEqual(deletes.count, 1, "\(kind)")
        }
    }

    func testAnAmbiguousNameIsRefusedBeforeAnythingChanges() async throws {
        let transport = await transportWithServers([("id-a", "web"), ("id-b", "web"), ("id-c", "db")])
        await transport.on(.post, "/action", status: 202)
        let backend = BackendFixture.backend(transport)
        let error = await backendError {
            try await backend.perform(ActionRequest(action: .stop, kind: .instance, targets: ["db", "web"]))
        }
        XCTAssertEqual(error, .ambiguousName(kind: "server", name: "web", candidates: ["id-a", "id-b"], tellApartBy: .id))
        XCTAssertEqual(error?.isRefusal, true)
        let posts = await transport.requests(.post, "/action")
        XCTAssertEqual(posts.count, 0)
    }

    func testUnknownNamesAreNotFoundButIDsAreUsedAsGiven() async throws {
        let transport = await transportWithServers([])
        let id = "8f5a1c2e-3b4d-4e6f-8a9b-0c1d2e3f4a5b"
        await transport.on(.post, "/servers/\(id)/action", status: 202, headers: ["x-openstack-request-id": "req-1"])
        let backend = BackendFixture.backend(transport)
        let error = await backendError {
            try await backend.perform(ActionRequest(action: .start, kind: .instance, targets: ["nope"]))
        }
        XCTAssertEqual(error, .notFound(kind: "server", name: "nope"))
        let outcome = try await backend.perform(ActionRequest(action: .start, kind: .instance, targets: [id]))
        XCTAssertEqual(outcome.requestIDs, ["req-1"])
    }

    func testEveryTargetsRequestIDIsInTheOutcome() async throws {
        let transport = await transportWithServers([("id-a", "a"), ("id-b", "b")])
        await transport.on(.post, "/servers/id-a/action", status: 202, headers: ["x-openstack-request-id": "req-a"])
        await transport.on(.post, "/servers/id-b/action", status: 202, headers: ["x-compute-request-id": "req-b"])
        let outcome = try await BackendFixture.backend(transport)
            .perform(ActionRequest(action: .reboot, kind: .instance, targets: ["a", "b"]))
        XCTAssertEqual(outcome.requestIDs, ["req-a", "req-b"])
        XCTAssertEqual(outcome.message, "Asked to reboot servers a, b.")
    }

    private func failure(status: Int, headers: [String: String] = [:], body: [String: Any]) async throws -> BackendError {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.post, "/servers/id-web/action", status: status,
                           headers: headers.merging(["x-openstack-request-id": "req-x"]) { first, _ in first }, json: body)
        do {
            _ = try await BackendFixture.backend(transport)
                .perform(ActionRequest(action: .start, kind: .instance, targets: ["web"]))
            XCTFail("expected HTTP \(status) to fail")
            return .refused(reason: "")
        } catch let error as BackendError {
            XCTAssertEqual(error.requestIDs, ["req-x"])
            return error
        }
    }

    func testErrorAnswersBecomeSentences() async throws {
        let forbidden = try await failure(status: 403, body: ["forbidden": [
            "code": 403, "message": "Policy doesn't allow os_compute_api:servers:start to be performed."]])
        XCTAssertEqual(forbidden.message, "Start server web failed (HTTP 403): Policy doesn't allow "
            + "os_compute_api:servers:start to be performed: this is not allowed for your role in this project; ask a "
            + "cloud administrator for a role that allows it. Request id req-x.")
        let missing = try await failure(status: 404, body: ["itemNotFound": [
            "code": 404, "message": "Instance id-web could not be found."]])
        XCTAssertEqual(missing.message, "Start server web failed (HTTP 404): Instance id-web could not be found; it may "
            + "have been deleted, refresh the list and try again. Request id req-x.")
        let conflict = try await failure(status: 409, body: ["conflictingRequest": [
            "code": 409, "message": "Cannot 'start' instance id-web while it is in vm_state active"]])
        XCTAssertEqual(conflict.message, "Start server web failed (HTTP 409): Cannot 'start' instance id-web while it is "
            + "in vm_state active; the resource is busy or in the wrong state, wait for its current task to finish and "
            + "try again. Request id req-x.")
        let limited = try await failure(status: 429, headers: ["Retry-After": "120"], body: ["overLimit": [
            "code": 429, "message": "This request was rate-limited."]])
        XCTAssertEqual(limited.message, "Start server web failed (HTTP 429): This request was rate-limited; the cloud is "
            + "limiting requests, try again in 120 seconds. Request id req-x.")
        let quota = try await failure(status: 403, body: ["forbidden": ["code": 403,
            "message": "Quota exceeded for instances: Requested 1, but already used 1 of 1 instances"]])
        XCTAssertEqual(quota.message, "Start server web failed (HTTP 403): Quota exceeded for instances: Requested 1, "
            + "but already used 1 of 1 instances; free some quota or ask an administrator to raise it. Request id req-x.")
        let soon = try await failure(status: 429, headers: ["Retry-After": "11"], body: ["message": "Slow down"])
        XCTAssertTrue(soon.message.contains("try again in 11 seconds"), soon.message)
    }

    func testAShortRetryAfterIsWaitedOutAndRetriedOnce() async throws {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.post, "/servers/id-web/action", status: 429, headers: ["Retry-After": "0"],
                           json: ["message": "slow down"], times: 1)
        await transport.on(.post, "/servers/id-web/action", status: 202, headers: ["x-openstack-request-id": "req-ok"])
        let outcome = try await BackendFixture.backend(transport)
            .perform(ActionRequest(action: .start, kind: .instance, targets: ["web"]))
        XCTAssertEqual(outcome.requestIDs, ["req-ok"])
        let posts = await transport.requests(.post, "/action")
        XCTAssertEqual(posts.count, 2)
    }

    func testAnOverQuota413IsNotRetriedEvenWithRetryAfter() async throws {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.post, "/servers/id-web/action", status: 413, headers: ["Retry-After": "0"], json: [
            "overLimit": ["code": 413, "message": "VolumeSizeExceedsAvailableQuota: Requested 2G, quota is 1G"]])
        do {
            _ = try await BackendFixture.backend(transport)
                .perform(ActionRequest(action: .start, kind: .instance, targets: ["web"]))
            XCTFail("over quota")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.hasSuffix("quota is 1G; free some quota or ask an administrator to raise it."),
                          error.message)
        }
        let posts = await transport.requests(.post, "/action")
        XCTAssertEqual(posts.count, 1)
    }

    func testParallelReadsThatMeetARevokedTokenShareOneNewToken() async throws {
        let transport = await BackendFixture.transport(tokens: ["tok-1", "tok-2", "tok-3"])
        for path in ["/servers/detail", "/v2/images", "/volumes/detail", "/v2.0/networks", "/v2.0/subnets"] {
            await transport.on(.get, path, status: 401, json: ["error": ["code": 401, "message": "revoked"]],
                               token: "tok-1")
        }
        await transport.on(.get, "/servers/detail", json: ["servers": [] as [Any]])
        await transport.on(.get, "/v2/images", json: ["images": [] as [Any]])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [] as [Any]])
        await transport.on(.get, "/v2.0/networks", json: ["networks": [] as [Any]])
        await transport.on(.get, "/v2.0/subnets", json: ["subnets": [] as [Any]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers, .images, .volumes, .networks]))
        _ = try await backend.snapshot()
        let auths = await transport.requests(.post, "/v3/auth/tokens")
        XCTAssertEqual(auths.count, 2)
        let retried = await transport.requests.filter { $0.method == .get && $0.header("X-Auth-Token") == "tok-2" }
        XCTAssertEqual(retried.count, 5)  // each of the five reads retried once, all with the one new token
    }

    func testA401ReauthenticatesOnceAndRetries() async throws {
        let transport = await transportWithServers([("id-web", "web")])
        await transport.on(.post, "/servers/id-web/action", status: 401, json: ["message": "expired"], times: 1)
        await transport.on(.post, "/servers/id-web/action", status: 202, headers: ["x-openstack-request-id": "req-ok"])
        let backend = BackendFixture.backend(transport)
        let outcome = try await backend.perform(ActionRequest(action: .start, kind: .instance, targets: ["web"]))
        XCTAssertEqual(outcome.requestIDs, ["req-ok"])
        let auths = await transport.requests(.post, "/v3/auth/tokens")
        XCTAssertEqual(auths.count, 2)
    }

    func testCapabilitiesAreExactlyWhatPerformDoes() async throws {
        let backend = BackendFixture.backend(RoutedTransport())
        XCTAssertEqual(backend.capabilities.supported, Set(OpenStackActionTable.handlers.keys), "the table is what is offered")
        // The actions with bodies are asserted in BackendCreateCapabilityTests and BackendNetworkingActionTests.
        var capabilities = backend.capabilities
        capabilities.supported = capabilities.supported.filter { OpenStackActionTable.handlers[$0] == .byTarget }
        XCTAssertEqual(capabilities.actions(for: .instance), [.start, .stop, .powerOff, .reboot, .hardReboot, .pause,
                                                              .unpause, .suspend, .resume, .lock, .unlock, .rename, .delete])
        for kind in [ResourceKind.volume, .image, .network, .securityGroupRule, .keypair] {
            XCTAssertEqual(capabilities.actions(for: kind), [.delete], "\(kind)")
        }
        XCTAssertEqual(capabilities.actions(for: .flavor), [])
        do {
            _ = try await backend.perform(ActionRequest(action: .create, kind: .flavor, targets: ["f"]))
            XCTFail("flavor create is not implemented")
        } catch let error as BackendError {
            XCTAssertEqual(error, .unavailable(feature: "flavor", reason: "stacktop cannot change these on OpenStack yet; use the "
                                               + "openstack CLI or Horizon."), "a kind the backend lacks says so, as it is")
            XCTAssertTrue(error.isRefusal)
        }
    }
}

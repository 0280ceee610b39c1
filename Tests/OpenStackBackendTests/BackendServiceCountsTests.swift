import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices
import StacktopTestSupport

/// Issue 11 against scripted services: every count is the service's own, refused credentials are a
/// typed error sent once, and a service that fails leaves only its lists stale.
final class BackendServiceCountsTests: XCTestCase {
    private let pid = BackendFixture.projectID

    func testQuotasComeFromTheQuotaSetsWithUsageAndKeyPairsAreCountedFromTheList() async throws {
        let transport = await BackendFixture.transport()
        // The upstream samples, as the services answer them.
        let nova = try JSONSerialization.jsonObject(with: try Samples.data("nova/os-quota-sets/v2.57/quotas-show-detail-get-resp.json"))
        await transport.on(.get, "/os-quota-sets/\(pid)/detail", json: nova)
        let cinder = try JSONSerialization.jsonObject(with: try Samples.data("cinder/quota_sets/quotas-show-usage-response.json"))
        await transport.on(.get, "/os-quota-sets/\(pid)", query: "usage=true", json: cinder)
        let neutron = try JSONSerialization.jsonObject(
            with: try Samples.data("neutron/quota_details/quota-details-show-for-project-response.json"))
        await transport.on(.get, "/v2.0/quotas/\(pid)/details", json: neutron)
        await transport.on(.get, "/os-keypairs", json: ["keypairs": [
            ["keypair": ["name": "k1", "fingerprint": "aa", "public_key": "ssh-ed25519 A", "type": "ssh"]],
            ["keypair": ["name": "k2", "fingerprint": "bb", "public_key": "ssh-ed25519 B", "type": "ssh"]]]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: SnapshotParts.needed(for: .quota)))

        let snapshot = try await backend.snapshot()
        let quotas = try XCTUnwrap(snapshot.quotas.first)

        XCTAssertEqual(quotas[.keypairs], QuotaUsage(resource: .keypairs, used: 2, limit: 100),
                       "Nova counts no key pairs in use; the user's list is the use")
        XCTAssertEqual(quotas[.instances]?.limit, 10)
        XCTAssertEqual(quotas[.serverGroups]?.limit, 10)
        XCTAssertEqual(quotas[.gigabytes], QuotaUsage(resource: .gigabytes, used: 0, limit: 1000))
        XCTAssertEqual(quotas[.gigabytes]?.resource.unit, "GiB")
        XCTAssertEqual(quotas[.ports], QuotaUsage(resource: .ports, used: 21, limit: 500))
        XCTAssertEqual(quotas[.subnets], QuotaUsage(resource: .subnets, used: 3, limit: 100))
        XCTAssertEqual(quotas[.securityGroupRules], QuotaUsage(resource: .securityGroupRules, used: 10, limit: 100))
        let limitsAsked = await transport.requests(.get, "/limits")
        XCTAssertEqual(limitsAsked.count, 0, "the absolute limits only stand in for a quota set that is refused")
    }

    func testARefusedQuotaSetFallsBackToTheAbsoluteLimits() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/os-quota-sets/\(pid)/detail", status: 403, json: ["forbidden": ["code": 403, "message": "no"]])
        await transport.on(.get, "/v2.1/limits", json: ["limits": ["absolute": [
            "maxTotalInstances": 10, "totalInstancesUsed": 4, "maxTotalKeypairs": 100]]])
        // No Cinder or Neutron quotas to read here: those gauges are left out.
        for path in ["/os-quota-sets/\(pid)", "/\(pid)/limits", "/v2.0/quotas/\(pid)/details"] {
            await transport.on(.get, path, status: 404, json: ["itemNotFound": ["code": 404, "message": "no"]])
        }
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.quotas]))
        let snapshot = try await backend.snapshot()
        let quotas = try XCTUnwrap(snapshot.quotas.first)
        XCTAssertEqual(quotas[.instances], QuotaUsage(resource: .instances, used: 4, limit: 10))
    }

    func testEveryPortOfANetworkCountsAndSubnetsKeepTheirPools() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2.0/subnets", json: ["subnets": [
            ["id": "sn1", "name": "app-subnet", "network_id": "n1", "cidr": "10.50.0.0/24", "gateway_ip": "10.50.0.1",
             "enable_dhcp": true, "allocation_pools": [["start": "10.50.0.10", "end": "10.50.0.99"]], "ip_version": 4]]])
        await transport.on(.get, "/v2.0/networks", json: ["networks": [
            ["id": "n1", "name": "app-net", "status": "ACTIVE", "subnets": ["sn1"]],
            ["id": "n2", "name": "empty", "status": "ACTIVE", "subnets": [] as [Any]]]])
        await transport.on(.get, "/v2.0/ports", json: ["ports": [
            Self.port("p1", "n1", owner: "compute:nova"), Self.port("p2", "n1", owner: "network:router_interface"),
            Self.port("p3", "n1", owner: "network:dhcp"), Self.port("p4", "n1", owner: "")]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: SnapshotParts.needed(for: .network)))

        let networks = try await backend.snapshot().networks

        XCTAssertEqual(networks.map(\.portCount), [4, 0])
        XCTAssertEqual(networks.first?.subnets.first?.name, "app-subnet")
        XCTAssertEqual(networks.first?.subnets.first?.allocationPools, ["10.50.0.10-10.50.0.99"])
    }

    func testAnAdminsProjectsCountTheirInstancesAcrossAllProjects() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v3/projects", json: ["projects": [["id": pid, "name": "admin"], ["id": "p-demo", "name": "demo"]]])
        var other = BackendFixture.server("s9", "demo-01")
        other["tenant_id"] = "p-demo"
        await transport.on(.get, "/servers/detail", query: "all_tenants=1", json: ["servers": [
            other, BackendFixture.server("s1", "web")]])
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "web")]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: SnapshotParts.needed(for: .project)))

        let snapshot = try await backend.snapshot()

        XCTAssertEqual(snapshot.projects.map(\.name), ["admin", "demo"])
        XCTAssertEqual(snapshot.projects.map(\.instanceCount), [1, 1])
        XCTAssertEqual(snapshot.instances.map(\.name), ["web"], "the Instances panel stays the token's project")
    }

    func testARefusedPasswordIsTypedSentOnceAndStopsTheSnapshot() async throws {
        let transport = RoutedTransport()
        await transport.on(.post, "/v3/auth/tokens", status: 401,
                           json: ["error": ["code": 401, "message": "The request you have made requires authentication."]])
        let backend = BackendFixture.backend(transport)
        let error = await backendError { try await backend.snapshot() }
        guard let error, case .credentialsRefused = error else {
            return XCTFail("expected .credentialsRefused, got \(String(describing: error))")
        }
        XCTAssertTrue(error.stopsRetries)
        XCTAssertTrue(error.message.hasPrefix("Keystone refused the credentials for user admin"), error.message)
        let posts = await transport.requests(.post, "/v3/auth/tokens")
        XCTAssertEqual(posts.count, 1, "one refusal, one try")
        XCTAssertFalse(BackendError.unreachable(endpoint: "http://x", reason: "down").stopsRetries)
    }

    func testARefusalAfterAServices401StopsTheWholeReadEvenWhenOtherListsAnswered() async throws {
        // The kept token was revoked: a service says 401, and the new login is refused.
        let transport = RoutedTransport()
        let body = KeystoneFixture.tokenBody(services: [KeystoneFixture.service("compute", BackendFixture.nova),
                                                        KeystoneFixture.service("image", "http://glance.test")],
                                             expiresAt: "2099-01-01T00:00:00.000000Z")
        await transport.on(.post, "/v3/auth/tokens", status: 201, headers: ["X-Subject-Token": "tok-1"],
                           json: try JSONSerialization.jsonObject(with: body), times: 1)
        await transport.on(.post, "/v3/auth/tokens", status: 401, json: ["error": ["code": 401, "message": "no"]])
        await transport.on(.get, "/v2.1", json: ["version": ["id": "v2.1", "status": "CURRENT", "version": "2.96",
                                                             "min_version": "2.1"]])
        await transport.on(.get, "/servers/detail", status: 401, json: ["error": ["code": 401, "message": "no"]])
        await transport.on(.get, "/v2/images", json: ["images": [] as [Any]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers, .images]))
        let error = await backendError { try await backend.snapshot() }
        XCTAssertEqual(error?.stopsRetries, true, "\(String(describing: error))")
    }

    func testAFailingServiceKeepsItsLastListMarkedStaleWhileTheOthersRefresh() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "web")]])
        await transport.on(.get, "/v2/images", json: ["images": [
            ["id": "img-1", "name": "cirros", "status": "active", "disk_format": "qcow2", "size": 1, "visibility": "public"]]],
                           times: 1)
        await transport.on(.get, "/v2/images", status: 503, json: ["message": "Glance is restarting"])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers, .images],
                                                                                 incrementalServers: false))
        let first = try await backend.snapshot()
        XCTAssertEqual(first.staleParts, [])

        let second = try await backend.snapshot()

        XCTAssertEqual(second.images.map(\.name), ["cirros"], "the last good list stands in")
        XCTAssertEqual(second.instances.first?.image, "cirros")
        XCTAssertEqual(second.staleParts.map(\.what), ["images"])
        XCTAssertNotNil(second.staleParts.first?.lastGood)
        XCTAssertTrue(second.staleParts.first?.reason.contains("HTTP 503") == true, second.staleParts.first?.reason ?? "")
    }

    func testConsoleErrorsNameTheServer() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "web-01")]])
        await transport.on(.post, "/servers/s1/action", status: 409, json: ["conflictingRequest": ["code": 409, "message": "busy"]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers]))
        _ = try await backend.snapshot()
        let error = await backendError { try await backend.consoleLog(instanceID: "s1", maxBytes: 1024) }
        XCTAssertEqual(error?.message.hasPrefix("Reading the console log of server web-01 failed (HTTP 409)"), true,
                       error?.message ?? "")
    }

    static func port(_ id: String, _ network: String, owner: String) -> [String: Any] {
        ["id": id, "name": "", "network_id": network, "mac_address": "fa:16:3e:00:00:0\(id.suffix(1))",
         "fixed_ips": [] as [Any], "device_owner": owner, "device_id": "", "status": "ACTIVE"]
    }
}

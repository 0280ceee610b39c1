import Foundation
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices
import StacktopTestSupport

/// Answers by route rather than by order, since the backend reads in parallel; records every request
/// and the most requests it saw in flight at once.
actor RoutedTransport: HTTPTransport {
    struct Route {
        var method: HTTPMethod
        var pathSuffix: String
        /// The query must contain this text (percent-decoded), when given.
        var query: String?
        var status: Int
        var headers: [String: String]
        var body: Data
        /// Used this many times, then dropped; nil for always.
        var times: Int?
        /// Only for requests carrying this X-Auth-Token, when given.
        var token: String? = nil
    }

    private var routes: [Route] = []
    private(set) var requests: [HTTPRequest] = []
    private var inFlight = 0
    private(set) var maxInFlight = 0
    private let delay: Duration

    init(delay: Duration = .zero) { self.delay = delay }

    /// Nonisolated so the JSON (not Sendable) is serialized on the caller's side.
    nonisolated func on(_ method: HTTPMethod, _ pathSuffix: String, query: String? = nil, status: Int = 200,
                        headers: [String: String] = [:], json: Any = [String: Any](), times: Int? = nil,
                        token: String? = nil) async {
        let body = (try? JSONSerialization.data(withJSONObject: json)) ?? Data()
        await add(Route(method: method, pathSuffix: pathSuffix, query: query, status: status, headers: headers,
                        body: body, times: times, token: token))
    }

    private func add(_ route: Route) { routes.append(route) }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        let query = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedQuery?
            .removingPercentEncoding ?? ""
        guard let index = routes.firstIndex(where: { route in
            route.method == request.method && request.url.path.hasSuffix(route.pathSuffix)
                && (route.query.map { query.contains($0) } ?? true)
                && (route.token.map { request.header("X-Auth-Token") == $0 } ?? true)
        }) else {
            return HTTPResponse(status: 599, body: Data("no route for \(request.method.rawValue) \(request.url)".utf8))
        }
        let route = routes[index]
        if let times = route.times {
            if times <= 1 { routes.remove(at: index) } else { routes[index].times = times - 1 }
        }
        inFlight += 1
        maxInFlight = max(maxInFlight, inFlight)
        if delay > .zero { try await Task.sleep(for: delay) }
        inFlight -= 1
        return HTTPResponse(status: route.status, headers: route.headers, body: route.body)
    }

    func requests(_ method: HTTPMethod, _ pathSuffix: String) -> [HTTPRequest] {
        requests.filter { $0.method == method && $0.url.path.hasSuffix(pathSuffix) }
    }
}

enum BackendFixture {
    static let nova = "http://nova.test/v2.1"
    static let projectID = "a6944d763bf64ee6a275f1263fae0352"

    static func credentials() -> KeystoneCredentials {
        KeystoneCredentials(authURL: URL(string: "http://keystone.test:5000/v3")!,
                            method: .password(user: .name("admin"), password: Secret("pw"), userDomain: .name("Default")),
                            project: ProjectScope(project: .name("admin"), domain: .name("Default")),
                            region: "RegionOne", interface: .public)
    }

    /// A transport with Keystone, the catalog and Nova's version document at `maxVersion`.
    /// Each authentication answers with the next of `tokens` (the last one from then on).
    static func transport(maxVersion: String = "2.96", delay: Duration = .zero,
                          tokens: [String] = ["tok-1"]) async -> RoutedTransport {
        let transport = RoutedTransport(delay: delay)
        let body = KeystoneFixture.tokenBody(services: [
            KeystoneFixture.service("compute", nova),
            KeystoneFixture.service("image", "http://glance.test"),
            KeystoneFixture.service("block-storage", "http://cinder.test/v3/\(projectID)"),
            KeystoneFixture.service("network", "http://neutron.test"),
        ], expiresAt: "2099-01-01T00:00:00.000000Z")
        let token = try! JSONSerialization.jsonObject(with: body)
        for (index, value) in tokens.enumerated() {
            await transport.on(.post, "/v3/auth/tokens", status: 201, headers: ["X-Subject-Token": value], json: token,
                               times: index == tokens.count - 1 ? nil : 1)
        }
        await transport.on(.get, "/v2.1", json: ["version": [
            "id": "v2.1", "status": "CURRENT", "version": maxVersion, "min_version": "2.1",
            "links": [["rel": "self", "href": nova + "/"]]]])
        return transport
    }

    static func backend(_ transport: RoutedTransport, _ options: OpenStackBackendOptions = OpenStackBackendOptions())
        -> OpenStackCloudBackend {
        OpenStackCloudBackend(credentials: credentials(), cloudName: "testcloud", transport: transport, options: options)
    }

    static func server(_ id: String, _ name: String, status: String = "ACTIVE", image: String = "img-1",
                       embeddedFlavor: Bool = true, volumes: [String] = []) -> [String: Any] {
        let flavor: [String: Any] = embeddedFlavor
            ? ["original_name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20]
            : ["id": "f-1", "links": [] as [Any]]
        return ["id": id, "name": name, "status": status, "tenant_id": projectID, "flavor": flavor,
                "image": ["id": image], "addresses": [String: Any](), "security_groups": [["name": "default"]],
                "os-extended-volumes:volumes_attached": volumes.map { ["id": $0] }, "created": "2026-01-01T00:00:00Z"]
    }

    static func next(_ url: String) -> [[String: String]] { [["rel": "next", "href": url]] }
}

final class BackendSnapshotTests: XCTestCase {
    func testServersArePagedToTheEndWithTheNegotiatedMicroversion() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "marker=s2", json: [
            "servers": [BackendFixture.server("s3", "c")],
            "servers_links": BackendFixture.next(BackendFixture.nova + "/servers/detail?limit=2&marker=s3")])
        await transport.on(.get, "/servers/detail", query: "marker=s3", json: ["servers": [] as [Any]])
        await transport.on(.get, "/servers/detail", json: [
            "servers": [BackendFixture.server("s1", "a"), BackendFixture.server("s2", "b")],
            "servers_links": BackendFixture.next(BackendFixture.nova + "/servers/detail?limit=2&marker=s2")])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(pageLimit: 2, parts: [.servers]))

        let snapshot = try await backend.snapshot()

        XCTAssertEqual(snapshot.instances.map(\.name), ["a", "b", "c"])
        XCTAssertEqual(snapshot.instances[0].flavor, "m1.small")
        XCTAssertEqual(snapshot.instances[0].memoryMiB, 2048)
        let pages = await transport.requests(.get, "/servers/detail")
        XCTAssertEqual(pages.count, 3)
        XCTAssertEqual(pages[0].url.query, "limit=2")
        for page in pages {
            XCTAssertEqual(page.header("OpenStack-API-Version"), "compute 2.96")
            XCTAssertEqual(page.header("X-OpenStack-Nova-API-Version"), "2.96")
            XCTAssertEqual(page.header("X-Auth-Token"), "tok-1")
        }
        // Negotiated once, authenticated once.
        let versionReads = await transport.requests(.get, "/v2.1")
        XCTAssertEqual(versionReads.count, 1)
        let auths = await transport.requests(.post, "/v3/auth/tokens")
        XCTAssertEqual(auths.count, 1)
        XCTAssertEqual(backend.description, BackendDescription(kind: .openstack, endpoint: "testcloud", currentProject: "admin",
                                                               rawDefinitionTitle: "Nova server JSON"))
    }

    func testEveryKindIsReadInParallelAndAssembledWithNames() async throws {
        let transport = await BackendFixture.transport(delay: .milliseconds(30))
        let pid = BackendFixture.projectID
        await transport.on(.get, "/servers/detail", json: ["servers": [
            BackendFixture.server("s1", "web", volumes: ["v1"])]])
        await transport.on(.get, "/flavors/detail", json: ["flavors": [
            ["id": "f-1", "name": "m1.small", "vcpus": 1, "ram": 2048, "disk": 20]]])
        await transport.on(.get, "/os-keypairs", json: ["keypairs": [
            ["keypair": ["name": "mykey", "fingerprint": "aa:bb", "public_key": "ssh-ed25519 AAAA", "type": "ssh"]]]])
        await transport.on(.get, "/v2/images", json: ["images": [
            ["id": "img-1", "name": "cirros", "status": "active", "disk_format": "qcow2", "size": 1024,
             "visibility": "public", "owner": pid]]])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [
            ["id": "v1", "name": "data", "size": 2, "status": "in-use", "bootable": "false",
             "attachments": [["server_id": "s1", "device": "/dev/vdb"]]]]])
        await transport.on(.get, "/snapshots/detail", json: ["snapshots": [
            ["id": "vs1", "name": "data-daily", "volume_id": "v1", "size": 2, "status": "available",
             "os-extended-snapshot-attributes:project_id": pid]]])
        await transport.on(.get, "/v2.0/subnets", json: ["subnets": [
            ["id": "sn1", "name": "private-subnet", "network_id": "n1", "cidr": "10.0.0.0/24", "gateway_ip": "10.0.0.1",
             "enable_dhcp": true, "allocation_pools": [["start": "10.0.0.2", "end": "10.0.0.254"]], "ip_version": 4]]])
        await transport.on(.get, "/v2.0/networks", json: ["networks": [
            ["id": "n1", "name": "private", "status": "ACTIVE", "admin_state_up": true, "shared": false,
             "router:external": false, "subnets": ["sn1"], "project_id": pid]]])
        await transport.on(.get, "/v2.0/security-groups", json: ["security_groups": [
            ["id": "g1", "name": "default", "project_id": pid, "security_group_rules": [] as [Any]]]])
        // Rules come from their own list (some Neutron releases leave them out of the groups).
        await transport.on(.get, "/v2.0/security-group-rules", json: ["security_group_rules": [
            ["id": "r1", "direction": "ingress", "ethertype": "IPv4", "protocol": "tcp", "port_range_min": 22,
             "port_range_max": 22, "remote_ip_prefix": "0.0.0.0/0", "security_group_id": "g1"],
            ["id": "r2", "direction": "ingress", "ethertype": "IPv4", "remote_group_id": "g1", "security_group_id": "g1"]]])
        await transport.on(.get, "/v3/projects", json: ["projects": [["id": pid, "name": "admin"],
                                                                     ["id": "p2", "name": "demo"]]])
        await transport.on(.get, "/v2.1/limits", json: ["limits": ["absolute": [
            "maxTotalInstances": 10, "totalInstancesUsed": 1, "maxTotalCores": 20, "totalCoresUsed": 1,
            "maxTotalRAMSize": 51200, "totalRAMUsed": 2048]]])
        await transport.on(.get, "/\(pid)/limits", json: ["limits": ["absolute": [
            "maxTotalVolumes": 10, "totalVolumesUsed": 1, "maxTotalVolumeGigabytes": 1000, "totalGigabytesUsed": 2]]])
        await transport.on(.get, "/v2.0/quotas/\(pid)/details", json: ["quota": [
            "network": ["used": 1, "limit": 100, "reserved": 0],
            "security_group": ["used": 1, "limit": 10, "reserved": 0]]])
        await transport.on(.get, "/os-hypervisors/detail", json: ["hypervisors": [
            ["id": 1, "hypervisor_hostname": "compute-1", "state": "up", "status": "enabled", "vcpus": 8,
             "vcpus_used": 2, "memory_mb": 16384, "memory_mb_used": 2560, "running_vms": 1]]])
        await transport.on(.get, "/v2.0/floatingips", json: ["floatingips": [
            ["id": "fip-1", "floating_ip_address": "172.24.4.9", "floating_network_id": "n1", "status": "DOWN"]]])
        await transport.on(.get, "/v2.0/routers", json: ["routers": [] as [Any]])
        await transport.on(.get, "/v2.0/ports", json: ["ports": [] as [Any]])
        let backend = BackendFixture.backend(transport)

        let start = ContinuousClock.now
        let snapshot = try await backend.snapshot()
        let elapsed = ContinuousClock.now - start

        let instance = try XCTUnwrap(snapshot.instances.first)
        XCTAssertEqual(instance.image, "cirros")
        XCTAssertEqual(instance.project, "admin")
        // The attached volume by name, on the device Cinder names; it is not part of the Disk figure.
        let attached = try XCTUnwrap(instance.disks.first { $0.volumeID == "v1" })
        XCTAssertEqual(attached.source, "data")
        XCTAssertEqual(attached.target, "vdb")
        XCTAssertEqual(attached.capacityBytes, 2 * 1_073_741_824)
        XCTAssertEqual(snapshot.staleParts, [])
        XCTAssertEqual(snapshot.images.first?.project, "admin")
        XCTAssertEqual(snapshot.volumes.first?.attachedTo, ["web"])
        XCTAssertEqual(snapshot.volumeSnapshots, [VolumeSnapshot(id: "vs1", name: "data-daily", volumeID: "v1",
                                                                 volumeName: "data", sizeBytes: 2 << 30, project: "admin")])
        XCTAssertEqual(snapshot.networks.first?.subnets.first?.cidr, "10.0.0.0/24")
        XCTAssertEqual(snapshot.networks.first?.project, "admin")
        XCTAssertEqual(snapshot.securityGroups.first?.rules.map(\.portRangeLabel), ["22", "any"])
        XCTAssertEqual(snapshot.securityGroups.first?.rules.last?.remoteGroup, "default")
        XCTAssertEqual(snapshot.flavors.map(\.name), ["m1.small"])
        XCTAssertEqual(snapshot.keypairs.map(\.name), ["mykey"])
        XCTAssertEqual(snapshot.projects.map(\.name), ["admin", "demo"])
        XCTAssertEqual(snapshot.hypervisors.map(\.hostname), ["compute-1"])
        XCTAssertEqual(snapshot.hypervisors.first?.vcpusUsed, 2)
        XCTAssertEqual(snapshot.floatingIPs.map(\.network), ["private"])
        let quotas = try XCTUnwrap(snapshot.quotas.first)
        XCTAssertEqual(quotas.project, "admin")
        XCTAssertEqual(quotas[.instances], QuotaUsage(resource: .instances, used: 1, limit: 10))
        XCTAssertEqual(quotas[.gigabytes], QuotaUsage(resource: .gigabytes, used: 2, limit: 1000))
        XCTAssertEqual(quotas[.networks], QuotaUsage(resource: .networks, used: 1, limit: 100))
        // 18 reads of 30 ms each: sequential would take 540 ms.
        let most = await transport.maxInFlight
        XCTAssertGreaterThanOrEqual(most, 5, "reads were not concurrent")
        XCTAssertLessThan(elapsed, .milliseconds(300))
    }

    func testHypervisorsAreAskedForAtMost287WhereTheirCapacityStillIs() async throws {
        for (offered, expected) in [("2.96", "compute 2.87"), ("2.30", "compute 2.30")] {
            let transport = await BackendFixture.transport(maxVersion: offered)
            await transport.on(.get, "/os-hypervisors/detail", json: ["hypervisors": [
                ["id": "h1", "hypervisor_hostname": "compute-1", "state": "up", "status": "enabled",
                 "vcpus": 8, "vcpus_used": 3, "memory_mb": 16384, "memory_mb_used": 4096]]])
            let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.hypervisors]))

            let snapshot = try await backend.snapshot()

            XCTAssertEqual(snapshot.hypervisors.first?.vcpusUsed, 3)
            XCTAssertEqual(snapshot.hypervisors.first?.memoryUsedMiB, 4096)
            let read = await transport.requests(.get, "/os-hypervisors/detail").first
            XCTAssertEqual(read?.header("OpenStack-API-Version"), expected, "offered \(offered)")
        }
    }

    func testAnOldNovaGetsItsVersionAndServersAreMatchedToFlavorsByID() async throws {
        let transport = await BackendFixture.transport(maxVersion: "2.30")
        await transport.on(.get, "/servers/detail", json: ["servers": [
            BackendFixture.server("s1", "old", embeddedFlavor: false)]])
        await transport.on(.get, "/flavors/detail", json: ["flavors": [
            ["id": "f-1", "name": "m1.small", "vcpus": 2, "ram": 4096, "disk": 40]]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers]))

        let snapshot = try await backend.snapshot()
        let instance = try XCTUnwrap(snapshot.instances.first)

        XCTAssertEqual(instance.flavor, "m1.small")
        XCTAssertEqual(instance.vcpus, 2)
        XCTAssertEqual(instance.memoryMiB, 4096)
        XCTAssertEqual(instance.disks.first?.capacityBytes, 40 * 1_073_741_824)
        let read = await transport.requests(.get, "/servers/detail").first
        XCTAssertEqual(read?.header("OpenStack-API-Version"), "compute 2.30")
    }

    func testAServerListNamesImagesFromGlanceWhateverTheCacheHolds() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a", image: "img-1"),
                                                                       BackendFixture.server("s2", "b", image: "img-2")]])
        await transport.on(.get, "/v2/images", json: ["images": [
            ["id": "img-1", "name": "cirros-0.6", "status": "active", "disk_format": "qcow2", "size": 1024,
             "visibility": "public"]]])
        await transport.on(.get, "/v3/projects", json: ["projects": [["id": BackendFixture.projectID, "name": "admin"]]])
        var options = OpenStackBackendOptions(parts: SnapshotParts.needed(for: .instance))
        // A cache from an earlier run: one name out of date, one image since deleted.
        options.knownImageNames = ["img-1": "cirros-old", "img-2": "gone"]
        let snapshot = try await BackendFixture.backend(transport, options).snapshot()
        XCTAssertEqual(snapshot.instances.map(\.image), ["cirros-0.6", "img-2"])
        XCTAssertEqual(snapshot.instances.map(\.project), ["admin", "admin"])
        // The Disk figure is the flavor's root disk, whatever else is attached.
        XCTAssertEqual(snapshot.instances.first?.diskGiB, 20)
    }

    func testProjectsFallBackToTheTokensProjectWhenListingIsForbidden() async throws {
        let transport = await BackendFixture.transport()
        let forbidden = ["error": ["code": 403, "title": "Forbidden", "message": "You are not authorized"]]
        await transport.on(.get, "/v3/projects", status: 403, json: forbidden)
        await transport.on(.get, "/v3/auth/projects", status: 403, json: forbidden)
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.projects]))

        let projects = try await backend.snapshot().projects

        XCTAssertEqual(projects, [Project(id: BackendFixture.projectID, name: "admin")])
    }

    func testLaterReadsAskForChangesSinceAndDropDeletedServers() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "changes-since", headers: ["Date": "Fri, 27 Nov 2026 04:00:05 GMT"],
                           json: ["servers": [BackendFixture.server("s3", "new"),
                                              BackendFixture.server("s1", "a", status: "SHUTOFF"),
                                              BackendFixture.server("s2", "b", status: "DELETED")]])
        await transport.on(.get, "/servers/detail", headers: ["Date": "Fri, 27 Nov 2026 04:00:00 GMT"],
                           json: ["servers": [BackendFixture.server("s1", "a"), BackendFixture.server("s2", "b")]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers]))

        let first = try await backend.snapshot()
        let second = try await backend.snapshot()

        XCTAssertEqual(first.instances.map(\.name), ["a", "b"])
        XCTAssertEqual(second.instances.map(\.name), ["new", "a"])
        XCTAssertEqual(second.instances[1].state, .shutoff)
        let reads = await transport.requests(.get, "/servers/detail")
        XCTAssertNil(reads[0].url.query)
        // The first read's server clock, one second early.
        XCTAssertEqual(reads[1].url.query?.removingPercentEncoding, "changes-since=2026-11-27T03:59:59Z")
    }

    func testEveryThirtiethRefreshChecksTheServerIDsAndDropsThoseGone() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "changes-since", json: ["servers": [] as [Any]])
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a"),
                                                                        BackendFixture.server("s2", "b")]])
        // s2 was deleted and purged between two reads: changes-since never said so; the id list does.
        await transport.on(.get, "/servers", json: ["servers": [["id": "s1", "name": "a"]]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers], fullServerReadEvery: 2))
        var names: [[String]] = []
        for _ in 0..<4 { names.append(try await backend.snapshot().instances.map(\.name)) }
        let queries = await transport.requests(.get, "/servers/detail").map { $0.url.query == nil ? "full" : "since" }
        XCTAssertEqual(queries, ["full", "since", "since", "since"])
        let idLists = await transport.requests(.get, "/servers")
        XCTAssertEqual(idLists.count, 1)
        XCTAssertEqual(names, [["a", "b"], ["a", "b"], ["a"], ["a"]])
    }

    func testAServerTheIDCheckFindsMissingHereReadsAllServers() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", query: "changes-since", json: ["servers": [] as [Any]])
        await transport.on(.get, "/servers/detail", json: ["servers": [BackendFixture.server("s1", "a")]])
        await transport.on(.get, "/servers", json: ["servers": [["id": "s1", "name": "a"], ["id": "s9", "name": "z"]]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers], fullServerReadEvery: 1))
        for _ in 0..<2 { _ = try await backend.snapshot() }
        let queries = await transport.requests(.get, "/servers/detail").map { $0.url.query == nil ? "full" : "since" }
        XCTAssertEqual(queries, ["full", "since", "full"])
    }

    func testRawDefinitionIsTheServersJSONPrettyPrinted() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/s1", json: ["server": ["id": "s1", "name": "web"]])
        let backend = BackendFixture.backend(transport)
        let text = try await backend.rawDefinition(instanceID: "s1")
        XCTAssertEqual(text, "{\n  \"server\" : {\n    \"id\" : \"s1\",\n    \"name\" : \"web\"\n  }\n}")
    }

    func testEventsFinishAtOnce() async {
        let backend = BackendFixture.backend(RoutedTransport())
        var count = 0
        for await _ in backend.events() { count += 1 }
        XCTAssertEqual(count, 0)
    }

    func testAFailedServerListIsAStalePartButAMissingServiceIsNot() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2/images", status: 403, json: ["message": "no"])
        await transport.on(.get, "/servers/detail", status: 500, headers: ["x-openstack-request-id": "req-9"],
                           json: ["computeFault": ["code": 500, "message": "Unexpected API Error"]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers, .images]))
        let snapshot = try await backend.snapshot()
        XCTAssertEqual(snapshot.staleParts, [StalePart(
            what: "instances", reason: "Listing servers failed (HTTP 500): Unexpected API Error. Request id req-9.")])
        XCTAssertEqual(snapshot.images, [])
    }

    func testWhenNothingAnswersTheRefreshFailsWithTheServerListsError() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/servers/detail", status: 500, headers: ["x-openstack-request-id": "req-9"],
                           json: ["computeFault": ["code": 500, "message": "Unexpected API Error"]])
        await transport.on(.get, "/v2/images", status: 503, json: ["message": "Glance is down"])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.servers, .images]))
        let error = await backendError { try await backend.snapshot() }
        XCTAssertEqual(error?.message, "Listing servers failed (HTTP 500): Unexpected API Error. Request id req-9.")
    }
}

/// Hypervisors are for admins: everyone else's 403 leaves the list empty, not the snapshot failed.
final class BackendHypervisorTests: XCTestCase {
    func testAForbiddenHypervisorListIsEmpty() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/os-hypervisors/detail", status: 403,
                           json: ["forbidden": ["code": 403, "message": "Policy doesn't allow os_compute_api:os-hypervisors:list"]])
        var options = OpenStackBackendOptions()
        options.parts = [.hypervisors]
        let snapshot = try await BackendFixture.backend(transport, options).snapshot()
        XCTAssertEqual(snapshot.hypervisors, [])
        let asked = await transport.requests(.get, "/os-hypervisors/detail")
        XCTAssertEqual(asked.count, 1)
    }
}

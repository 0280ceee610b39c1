import Foundation
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// The backend against the real services started by /work/shared/tools/openstack-peer/start-peer.sh
/// (loopback only; accounts admin/secretadmin and demo/demopass). Runs only with STACKTOP_OPENSTACK_PEER=1.
final class BackendPeerTests: XCTestCase {
    /// Passes requests to URLSession (the other tests use PlainHTTPTransport, so both meet the real
    /// services) and remembers their method and URL, to count pages.
    final class RecordingTransport: HTTPTransport {
        let inner = URLSessionTransport()
        private let seen = Mutex<[String]>([])
        var lines: [String] { seen.withLock { $0 } }
        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            seen.withLock { $0.append("\(request.method.rawValue) \(request.url.absoluteString)") }
            return try await inner.send(request)
        }
    }

    private var directory = ""

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_OPENSTACK_PEER"] == "1" else {
            throw XCTSkip("set STACKTOP_OPENSTACK_PEER=1 with the OpenStack peer running (start-peer.sh)")
        }
        directory = NSTemporaryDirectory() + "stacktop-peer-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try writeClouds()
    }

    override func tearDown() {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    private func writeClouds(extra: String = "") throws {
        var text = "clouds:\n"
        for (name, user, password) in [("peer-admin", "admin", "secretadmin"), ("peer-demo", "demo", "demopass")] {
            text += """
              \(name):
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  username: \(user)
                  password: \(password)
                  project_name: \(user)
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
                interface: public

            """
        }
        try (text + extra).write(toFile: directory + "/clouds.yaml", atomically: true, encoding: .utf8)
    }

    private func backend(_ cloud: String, pageLimit: Int? = nil, parts: SnapshotParts = .all,
                         transport: (any HTTPTransport)? = nil) throws -> OpenStackCloudBackend {
        let config = try CloudConfigLoader.load(cloud: cloud, environment: [:], homeDirectory: directory,
                                                currentDirectory: directory)
        return OpenStackCloudBackend(credentials: try KeystoneCredentials(cloud: config, timeout: 60), cloudName: cloud,
                                     transport: transport ?? PlainHTTPTransport(secure: URLSessionTransport()),
                                     options: OpenStackBackendOptions(pageLimit: pageLimit, parts: parts))
    }

    private func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    private func object(_ response: HTTPResponse) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: response.body) as? [String: Any])
    }

    private func unique(_ prefix: String) -> String { "stacktop-\(prefix)-\(UUID().uuidString.prefix(6).lowercased())" }

    /// Polls until `done` or the deadline; fails the test with `what` on timeout.
    private func wait(_ what: String, seconds: Double = 90, _ done: () async throws -> Bool) async throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try await done() { return }
            try await Task.sleep(for: .milliseconds(500))
        }
        XCTFail("timed out waiting for \(what)")
    }

    private func ms(_ duration: Duration) -> String {
        String(format: "%.0f ms", Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15)
    }

    // MARK: Auth and listing

    func testPasswordAuthListsEveryKindToTheEndInPagesOfOne() async throws {
        let admin = try backend("peer-admin")
        let client = admin.client
        // At least two of every kind, so pages of one must be followed.
        var cleanups: [(ServiceType, String)] = []
        for index in 0..<2 {
            let key = unique("key\(index)")
            _ = try await client.send(.compute, "os-keypairs", method: .post, body: try json(["keypair": [
                "name": key, "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl peer"]]),
                                     what: "Creating key pair")
            cleanups.append((.compute, "os-keypairs/\(key)"))
            let net = try object(try await client.send(.network, "v2.0/networks", method: .post,
                                                       body: try json(["network": ["name": unique("net")]]),
                                                       what: "Creating network"))
            cleanups.append((.network, "v2.0/networks/\(((net["network"] as? [String: Any])?["id"] as? String) ?? "")"))
            let group = try object(try await client.send(.network, "v2.0/security-groups", method: .post,
                                                         body: try json(["security_group": ["name": unique("sg")]]),
                                                         what: "Creating security group"))
            cleanups.append((.network, "v2.0/security-groups/\(((group["security_group"] as? [String: Any])?["id"] as? String) ?? "")"))
            let image = try object(try await client.send(.image, "v2/images", method: .post, body: try json([
                "name": unique("img"), "disk_format": "raw", "container_format": "bare"]), what: "Creating image"))
            cleanups.append((.image, "v2/images/\(image["id"] as? String ?? "")"))
            let volume = try object(try await client.send(.blockStorage, "volumes", method: .post,
                                                          body: try json(["volume": ["size": 1, "name": unique("vol")]]),
                                                          what: "Creating volume"))
            cleanups.append((.blockStorage, "volumes/\(((volume["volume"] as? [String: Any])?["id"] as? String) ?? "")"))
        }
        do {
            let recorder = RecordingTransport()
            let paged = try backend("peer-admin", pageLimit: 1, transport: recorder)
            let start = ContinuousClock.now
            let small = try await paged.snapshot()
            let pagedTime = ContinuousClock.now - start
            let whole = try await admin.snapshot()
            print("PEER snapshot with pages of 1: \(ms(pagedTime)), \(recorder.lines.count) requests")

            XCTAssertEqual(Set(small.images.map(\.id)), Set(whole.images.map(\.id)))
            XCTAssertEqual(Set(small.volumes.map(\.id)), Set(whole.volumes.map(\.id)))
            XCTAssertEqual(Set(small.networks.map(\.id)), Set(whole.networks.map(\.id)))
            XCTAssertEqual(Set(small.securityGroups.map(\.id)), Set(whole.securityGroups.map(\.id)))
            XCTAssertEqual(Set(small.securityGroups.flatMap(\.rules).map(\.id)),
                           Set(whole.securityGroups.flatMap(\.rules).map(\.id)))
            XCTAssertEqual(Set(small.flavors.map(\.id)), Set(whole.flavors.map(\.id)))
            XCTAssertEqual(Set(small.keypairs.map(\.name)), Set(whole.keypairs.map(\.name)))
            XCTAssertEqual(Set(small.instances.map(\.id)), Set(whole.instances.map(\.id)))
            XCTAssertEqual(Set(small.projects.map(\.name)), Set(whole.projects.map(\.name)))
            XCTAssertGreaterThanOrEqual(small.images.count, 3)
            XCTAssertGreaterThanOrEqual(small.volumes.count, 2)
            XCTAssertGreaterThanOrEqual(small.networks.count, 4)
            XCTAssertGreaterThanOrEqual(small.keypairs.count, 2)
            XCTAssertEqual(Set(small.flavors.map(\.name)), ["m1.tiny", "m1.small"])
            XCTAssertTrue(small.projects.map(\.name).contains("demo"))
            XCTAssertTrue(small.networks.contains { $0.name == "private" && !$0.subnets.isEmpty })
            XCTAssertEqual(paged.description.currentProject, "admin")
            let quotas = try XCTUnwrap(small.quotas.first)
            XCTAssertNotNil(quotas[.instances])
            XCTAssertNotNil(quotas[.volumes])
            XCTAssertNotNil(quotas[.networks])
            // Every list was followed page by page: as many reads as items (plus the empty last page).
            for (path, count) in [("/v2/images", small.images.count), ("/volumes/detail", small.volumes.count),
                                  ("/v2.0/networks", small.networks.count), ("/flavors/detail", small.flavors.count),
                                  ("/os-keypairs", small.keypairs.count), ("/v2.0/security-groups", small.securityGroups.count)] {
                let reads = recorder.lines.filter { $0.hasPrefix("GET ") && $0.contains(path + "?") }
                XCTAssertGreaterThanOrEqual(reads.count, count, "\(path): \(reads)")
            }
        }
        for (service, path) in cleanups.reversed() {
            _ = try? await client.send(service, path, method: .delete, what: "Cleaning up \(path)")
        }
    }

    func testApplicationCredentialAuthOpensTheBackend() async throws {
        let demo = try backend("peer-demo")
        let token = try await demo.session.validToken()
        let name = unique("appcred")
        let created = try object(try await demo.client.send(.identity, "users/\(token.user.id)/application_credentials",
                                                            method: .post,
                                                            body: try json(["application_credential": ["name": name]]),
                                                            what: "Creating application credential"))
        let credential = try XCTUnwrap(created["application_credential"] as? [String: Any])
        let id = try XCTUnwrap(credential["id"] as? String)
        let secret = try XCTUnwrap(credential["secret"] as? String)
        try writeClouds(extra: """
              peer-appcred:
                auth_type: v3applicationcredential
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  application_credential_id: \(id)
                  application_credential_secret: \(secret)
                region_name: RegionOne

            """)
        let viaCredential = try backend("peer-appcred")
        let snapshot = try await viaCredential.snapshot()
        XCTAssertEqual(viaCredential.description.currentProject, "demo")
        XCTAssertTrue(snapshot.images.contains { $0.name == "fake-image" })
        XCTAssertEqual(snapshot.quotas.first?.project, "demo")
        let methods = try await viaCredential.session.validToken().methods
        XCTAssertEqual(methods, ["application_credential"])
        _ = try await demo.client.send(.identity, "users/\(token.user.id)/application_credentials/\(id)", method: .delete,
                                       what: "Deleting application credential")
    }

    /// The peer keeps Nova in SQLite, which answers "database is locked" (HTTP 500) when nova-compute
    /// writes at the same moment; such an answer is retried, anything else is the test's failure.
    private func perform(_ backend: OpenStackCloudBackend, _ request: ActionRequest) async throws -> ActionOutcome {
        for attempt in 1...3 {
            do { return try await backend.perform(request) } catch let error as BackendError {
                guard case .remote(_, 500, _, _) = error, attempt < 3 else { throw error }
                print("PEER retrying after a 500 from the SQLite-backed peer: \(error.message)")
                try await Task.sleep(for: .seconds(1))
            }
        }
        throw BackendError.refused(reason: "unreachable")
    }

    // MARK: Create and delete

    /// A server of fake-image at m1.tiny on admin's seeded `private` network, listed running; `builder.poller`
    /// lists servers only.
    private func adminServer(_ prefix: String) async throws
        -> (admin: OpenStackCloudBackend, builder: PeerServerBuild, built: PeerServerBuild.Built) {
        let admin = try backend("peer-admin")
        let start = try await admin.snapshot()
        let image = try XCTUnwrap(start.images.first { $0.name == "fake-image" })
        let flavor = try XCTUnwrap(start.flavors.first { $0.name == "m1.tiny" })
        let network = try XCTUnwrap(start.networks.first { $0.name == "private" })
        // Built once more if the peer's SQLite loses the build (PeerServerBuild says why).
        let builder = PeerServerBuild(backend: admin, poller: try backend("peer-admin", parts: [.servers]))
        let built = try await builder.create(name: unique(prefix), imageID: image.id, flavorID: flavor.id,
                                             networkID: network.id)
        return (admin, builder, built)
    }

    func testServerLifecycleThroughTheBackend() async throws {
        let (admin, builder, built) = try await adminServer("vm")
        let poller = builder.poller
        let name = built.name
        func state() async throws -> InstanceState? {
            try await poller.snapshot().instances.first { $0.name == name }?.state
        }

        for (action, expected) in [(ActionKind.stop, InstanceState.shutoff), (.start, .running), (.pause, .paused),
                                   (.unpause, .running), (.suspend, .suspended), (.resume, .running)] {
            let outcome = try await perform(admin, ActionRequest(action: action, kind: .instance, targets: [name]))
            XCTAssertEqual(outcome.requestIDs.count, 1, "\(action)")
            XCTAssertTrue(outcome.requestIDs.first?.hasPrefix("req-") == true, "\(outcome.requestIDs)")
            try await wait("\(name) \(expected) after \(action)") { try await state() == expected }
        }
        _ = try await perform(admin, ActionRequest(action: .lock, kind: .instance, targets: [name]))
        var locked = try await admin.snapshot().instances.first { $0.name == name }
        XCTAssertEqual(locked?.locked, true)
        _ = try await perform(admin, ActionRequest(action: .unlock, kind: .instance, targets: [name]))
        locked = try await admin.snapshot().instances.first { $0.name == name }
        XCTAssertEqual(locked?.locked, false)
        let renamed = name + "-b"
        _ = try await perform(admin, ActionRequest(action: .rename, kind: .instance, targets: [name],
                                                  text: [.name: renamed]))
        let raw = try await admin.rawDefinition(instanceID: try XCTUnwrap(locked?.id))
        XCTAssertTrue(raw.contains("\"name\" : \"\(renamed)\""), raw)
        // Stopping a stopped server is a state conflict, said as one.
        _ = try await perform(admin, ActionRequest(action: .stop, kind: .instance, targets: [renamed]))
        try await wait("\(renamed) shut off") { try await poller.snapshot().instances.first { $0.name == renamed }?.state == .shutoff }
        do {
            _ = try await admin.perform(ActionRequest(action: .stop, kind: .instance, targets: [renamed]))
            XCTFail("stopping a stopped server must conflict")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.contains("(HTTP 409)") && error.message.contains("wrong state"), error.message)
            XCTAssertEqual(error.requestIDs.count, 1)
        }
        let deleted = try await perform(admin, ActionRequest(action: .delete, kind: .instance, targets: [renamed]))
        XCTAssertEqual(deleted.requestIDs.count, 1)
        try await builder.waitUntilGone(PeerServerBuild.Built(id: built.id, name: renamed))
    }

    func testImageUploadedThenDeletedByName() async throws {
        let demo = try backend("peer-demo")
        let name = unique("img")
        let image = try object(try await demo.client.send(.image, "v2/images", method: .post, body: try json([
            "name": name, "disk_format": "raw", "container_format": "bare"]), what: "Creating image"))
        let id = try XCTUnwrap(image["id"] as? String)
        _ = try await demo.client.send(.image, "v2/images/\(id)/file", method: .put, body: Data(repeating: 7, count: 4096),
                                       headers: ["Content-Type": "application/octet-stream"], what: "Uploading image")
        let listed = try await demo.snapshot().images.first { $0.id == id }
        XCTAssertEqual(listed?.status, "active")
        XCTAssertEqual(listed?.sizeBytes, 4096)
        XCTAssertEqual(listed?.project, "demo")
        let outcome = try await demo.perform(ActionRequest(action: .delete, kind: .image, targets: [name]))
        XCTAssertEqual(outcome.requestIDs.count, 1)
        let images = try await demo.snapshot().images
        XCTAssertFalse(images.contains { $0.id == id })
    }

    func testVolumeCreatedThenDeletedByName() async throws {
        let demo = try backend("peer-demo")
        let name = unique("vol")
        _ = try await demo.client.send(.blockStorage, "volumes", method: .post,
                                       body: try json(["volume": ["size": 1, "name": name]]), what: "Creating volume")
        try await wait("\(name) available") {
            try await demo.snapshot().volumes.first { $0.name == name }?.status == "available"
        }
        let outcome = try await demo.perform(ActionRequest(action: .delete, kind: .volume, targets: [name]))
        XCTAssertEqual(outcome.requestIDs.count, 1)
        try await wait("\(name) deleted") { try await demo.snapshot().volumes.allSatisfy { $0.name != name } }
    }

    func testNetworkAndSecurityGroupRuleCreatedThenDeleted() async throws {
        let demo = try backend("peer-demo")
        let name = unique("net")
        _ = try await demo.client.send(.network, "v2.0/networks", method: .post,
                                       body: try json(["network": ["name": name]]), what: "Creating network")
        let snapshot = try await demo.snapshot()
        XCTAssertTrue(snapshot.networks.contains { $0.name == name })
        let group = try XCTUnwrap(snapshot.securityGroups.first { $0.name == "default" })
        let rule = try object(try await demo.client.send(.network, "v2.0/security-group-rules", method: .post,
                                                         body: try json(["security_group_rule": [
                                                             "security_group_id": group.id, "direction": "ingress",
                                                             "protocol": "tcp", "port_range_min": 2222,
                                                             "port_range_max": 2222, "remote_ip_prefix": "10.9.0.0/16"]]),
                                                         what: "Creating rule"))
        let ruleID = try XCTUnwrap((rule["security_group_rule"] as? [String: Any])?["id"] as? String)
        let withRule = try await demo.snapshot().securityGroups.first { $0.id == group.id }
        let listedRule = withRule?.rules.first { $0.id == ruleID }
        XCTAssertEqual(listedRule?.portRangeLabel, "2222")
        XCTAssertEqual(listedRule?.remoteCIDR, "10.9.0.0/16")

        let ruleOutcome = try await demo.perform(ActionRequest(action: .delete, kind: .securityGroupRule, targets: [ruleID]))
        let networkOutcome = try await demo.perform(ActionRequest(action: .delete, kind: .network, targets: [name]))
        XCTAssertEqual(ruleOutcome.requestIDs.count + networkOutcome.requestIDs.count, 2)
        let after = try await demo.snapshot()
        XCTAssertFalse(after.networks.contains { $0.name == name })
        XCTAssertFalse(after.securityGroups.flatMap(\.rules).contains { $0.id == ruleID })
        // Deleting again: the rule is gone, said as a 404 sentence.
        do {
            _ = try await demo.perform(ActionRequest(action: .delete, kind: .securityGroupRule, targets: [ruleID]))
            XCTFail("the rule was already deleted")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.contains("(HTTP 404)") && error.message.contains("refresh the list"), error.message)
        }
    }

    // MARK: Refusals and tokens

    func testAQuotaRefusalIsASentenceAndTheGaugeShowsTheLimit() async throws {
        let admin = try backend("peer-admin")
        let demo = try backend("peer-demo")
        let demoToken = try await demo.session.validToken()
        let demoProject = try XCTUnwrap(demoToken.project?.id)
        let novaHeaders = await admin.compute.headers()
        _ = try await admin.client.send(.compute, "os-quota-sets/\(demoProject)", method: .put,
                                        body: try json(["quota_set": ["instances": 0]]), headers: novaHeaders,
                                        what: "Setting demo's instance quota")
        _ = try await admin.client.send(.blockStorage, "os-quota-sets/\(demoProject)", method: .put,
                                        body: try json(["quota_set": ["gigabytes": 1]]), what: "Setting demo's volume quota")
        do {
            let snapshot = try await demo.snapshot()
            XCTAssertEqual(snapshot.quotas.first?[.instances]?.limit, 0)
            XCTAssertEqual(snapshot.quotas.first?[.gigabytes]?.limit, 1)
            let image = try XCTUnwrap(snapshot.images.first { $0.name == "fake-image" })
            let flavor = try XCTUnwrap(snapshot.flavors.first { $0.name == "m1.tiny" })
            do {
                _ = try await demo.client.send(.compute, "servers", method: .post, body: try json(["server": [
                    "name": unique("over"), "imageRef": image.id, "flavorRef": flavor.id, "networks": "none"]]),
                                               headers: await demo.compute.headers(), what: "Creating server over quota")
                XCTFail("the instance quota is 0")
            } catch let error as BackendError {
                print("PEER quota refusal: \(error.message)")
                XCTAssertTrue(error.message.contains("Quota exceeded for instances") && error.message.contains("raise it"),
                              error.message)
                XCTAssertEqual(error.requestIDs.count, 1)
            }
            do {
                _ = try await demo.client.send(.blockStorage, "volumes", method: .post,
                                               body: try json(["volume": ["size": 2, "name": unique("big")]]),
                                               what: "Creating volume over quota")
                XCTFail("the gigabytes quota is 1")
            } catch let error as BackendError {
                print("PEER volume quota refusal: \(error.message)")
                XCTAssertTrue(error.message.contains("(HTTP 413)") && error.message.contains("raise it"), error.message)
            }
        }
        _ = try await admin.client.send(.compute, "os-quota-sets/\(demoProject)", method: .delete, headers: novaHeaders,
                                        what: "Restoring demo's instance quota")
        _ = try await admin.client.send(.blockStorage, "os-quota-sets/\(demoProject)", method: .delete,
                                        what: "Restoring demo's volume quota")
    }

    func testATokenRevokedMidSessionIsReplacedOnce() async throws {
        let demo = try backend("peer-demo")
        _ = try await demo.snapshot()
        let token = try await demo.session.validToken()
        let before = await demo.session.authenticationCount
        let revoke = HTTPRequest(method: .delete, url: URL(string: "http://127.0.0.1:5000/v3/auth/tokens")!,
                                 headers: ["X-Auth-Token": token.value.exposedValue,
                                           "X-Subject-Token": token.value.exposedValue])
        let answer = try await URLSessionTransport().send(revoke)
        XCTAssertEqual(answer.status, 204)
        // Keystone has been seen to go on accepting a revoked token for a few seconds (even after its
        // own GET /v3/auth/tokens said 404), so refresh until a service refuses it: every refresh must
        // succeed, and the refusal must cost exactly one new token.
        var refreshes = 0
        var after = before
        while after == before && refreshes < 30 {
            let snapshot = try await demo.snapshot()
            XCTAssertTrue(snapshot.images.contains { $0.name == "fake-image" })
            refreshes += 1
            after = await demo.session.authenticationCount
            if after == before { try await Task.sleep(for: .seconds(1)) }
        }
        print("PEER re-authentications after revocation: \(after - before), after \(refreshes) refreshes")
        // Parallel reads all met the revoked token; they share the one new token (TokenRenewal).
        XCTAssertEqual(after, before + 1)
        let fresh = try await demo.session.validToken()
        XCTAssertNotEqual(fresh.value.exposedValue, token.value.exposedValue)
    }

    // MARK: Floating IPs and routers

    /// Admin's seeded `private` network sits behind `router1` with its gateway on `public`, so a floating
    /// IP from `public` can be mapped onto a server there.
    func testFloatingIPAllocatedAssociatedDisassociatedAndReleased() async throws {
        let (admin, builder, built) = try await adminServer("fipvm")
        let server = built.name
        let fips = try backend("peer-admin", parts: SnapshotParts.needed(for: .floatingIP))
        let before = Set(try await fips.snapshot().floatingIPs.map(\.id))

        let allocated = try await perform(admin, ActionRequest(action: .create, kind: .floatingIP, targets: [],
                                                               text: [.network: "public"]))
        XCTAssertEqual(allocated.requestIDs.count, 1)
        XCTAssertTrue(allocated.message.hasPrefix("Allocated floating IP "), allocated.message)
        let afterAllocation = try await fips.snapshot().floatingIPs
        let fresh = try XCTUnwrap(afterAllocation.first { !before.contains($0.id) })
        XCTAssertEqual(fresh.network, "public")
        XCTAssertNil(fresh.server)
        XCTAssertTrue(allocated.message.contains(fresh.address), allocated.message)

        do {
            let associated = try await perform(admin, ActionRequest(action: .associate, kind: .floatingIP,
                                                                    targets: [fresh.address], text: [.server: server]))
            XCTAssertEqual(associated.requestIDs.count, 1)
            let mapped = try await fips.snapshot().floatingIPs.first { $0.id == fresh.id }
            XCTAssertEqual(mapped?.server, server, "named through its port")
            XCTAssertNotNil(mapped?.fixedAddress)
            XCTAssertEqual(mapped?.router, "router1")

            let cleared = try await perform(admin, ActionRequest(action: .disassociate, kind: .floatingIP, targets: [fresh.address]))
            XCTAssertEqual(cleared.requestIDs.count, 1)
            let unmapped = try await fips.snapshot().floatingIPs.first { $0.id == fresh.id }
            XCTAssertNil(unmapped?.portID)
            XCTAssertNil(unmapped?.server)
        } catch {
            _ = try? await admin.perform(ActionRequest(action: .delete, kind: .floatingIP, targets: [fresh.address]))
            _ = try? await admin.perform(ActionRequest(action: .delete, kind: .instance, targets: [server]))
            throw error
        }
        let released = try await perform(admin, ActionRequest(action: .delete, kind: .floatingIP, targets: [fresh.address]))
        XCTAssertEqual(released.requestIDs.count, 1)
        let after = try await fips.snapshot().floatingIPs
        XCTAssertFalse(after.contains { $0.id == fresh.id })
        _ = try await perform(admin, ActionRequest(action: .delete, kind: .instance, targets: [server]))
        // Gone before the next test builds its own: overlapping builds and deletes lock the peer's SQLite.
        try await builder.waitUntilGone(built)
    }

    /// A member builds a routed subnet of their own: subnet, router with a gateway, interface, and back.
    func testRouterCreatedWithASubnetInterfaceThenDeleted() async throws {
        let demo = try backend("peer-demo")
        let net = unique("rnet"), subnet = unique("rsub"), router = unique("rt")
        _ = try await perform(demo, ActionRequest(action: .create, kind: .network, targets: [net]))
        _ = try await perform(demo, ActionRequest(action: .create, kind: .subnet, targets: [subnet],
                                                  text: [.network: net, .cidr: "10.77.0.0/24", .gateway: "10.77.0.1"]))
        let created = try await perform(demo, ActionRequest(action: .create, kind: .router, targets: [router],
                                                             text: [.externalNetwork: "public"]))
        XCTAssertEqual(created.requestIDs.count, 1)
        let attached = try await perform(demo, ActionRequest(action: .attachInterface, kind: .router, targets: [router],
                                                              text: [.subnet: subnet]))
        XCTAssertEqual(attached.requestIDs.count, 1)

        let routers = try backend("peer-demo", pageLimit: 1, parts: SnapshotParts.needed(for: .router))
        let routerList = try await routers.snapshot().routers
        let listed = try XCTUnwrap(routerList.first { $0.name == router })
        XCTAssertEqual(listed.externalNetwork, "public")
        XCTAssertEqual(listed.project, "demo")
        XCTAssertEqual(listed.interfaces.map(\.subnet), [subnet])
        XCTAssertEqual(listed.interfaces.first?.address, "10.77.0.1")

        do {
            _ = try await demo.perform(ActionRequest(action: .delete, kind: .router, targets: [router]))
            XCTFail("a router with an interface cannot be deleted")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.hasPrefix("Delete router \(router) failed (HTTP 409)"), error.message)
            XCTAssertEqual(error.requestIDs.count, 1)
        }
        _ = try await perform(demo, ActionRequest(action: .detachInterface, kind: .router, targets: [router],
                                                  text: [.subnet: subnet]))
        let deleted = try await perform(demo, ActionRequest(action: .delete, kind: .router, targets: [router]))
        XCTAssertEqual(deleted.message, "Deleted router \(router).")
        XCTAssertEqual(deleted.requestIDs.count, 1)
        _ = try await perform(demo, ActionRequest(action: .delete, kind: .subnet, targets: [subnet]))
        _ = try await perform(demo, ActionRequest(action: .delete, kind: .network, targets: [net]))
        let after = try await routers.snapshot()
        XCTAssertFalse(after.routers.contains { $0.name == router })
    }
}

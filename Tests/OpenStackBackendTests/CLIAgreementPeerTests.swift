import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices
import SystemTestSupport

/// Issue 11 on the real services: every list and count stacktop reads equals what the `openstack` CLI
/// says on the same peer with the same credentials. Runs only with STACKTOP_OPENSTACK_PEER=1.
final class CLIAgreementPeerTests: XCTestCase {
    static let cli = "/tmp/ospeer/venv/bin/openstack"
    private var directory = ""

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_OPENSTACK_PEER"] == "1" else {
            throw XCTSkip("set STACKTOP_OPENSTACK_PEER=1 with the OpenStack peer running (start-peer.sh)")
        }
        guard FileManager.default.isExecutableFile(atPath: Self.cli) else { throw XCTSkip("no openstack CLI at \(Self.cli)") }
        directory = NSTemporaryDirectory() + "stacktop-cli-peer-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) }
    }

    struct Account { let user: String; let password: String }
    static let admin = Account(user: "admin", password: "secretadmin")
    static let demo = Account(user: "demo", password: "demopass")

    private func backend(_ account: Account, parts: SnapshotParts = .all) throws -> OpenStackCloudBackend {
        let credentials = KeystoneCredentials(
            authURL: URL(string: "http://127.0.0.1:5000/v3")!,
            method: .password(user: .name(account.user), password: Secret(account.password), userDomain: .name("Default")),
            project: ProjectScope(project: .name(account.user), domain: .name("Default")), region: "RegionOne",
            interface: .public, timeout: 60)
        return OpenStackCloudBackend(credentials: credentials, cloudName: "peer",
                                     transport: PlainHTTPTransport(secure: URLSessionTransport()),
                                     options: OpenStackBackendOptions(parts: parts))
    }

    /// The CLI's `-f json` answer, run with the account's OS_* variables (stderr dropped).
    private func cli(_ account: Account, _ arguments: [String]) throws -> Any {
        let environment = [
            "PATH": "/usr/bin:/bin", "HOME": directory, "OS_AUTH_URL": "http://127.0.0.1:5000/v3",
            "OS_IDENTITY_API_VERSION": "3", "OS_USERNAME": account.user, "OS_PASSWORD": account.password,
            "OS_PROJECT_NAME": account.user, "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_NAME": "Default",
            "OS_REGION_NAME": "RegionOne",
        ]
        let result = try ChildProcess.run([Self.cli] + arguments + ["-f", "json"], environment: environment,
                                          errors: .discarded, timeout: 120)
        XCTAssertEqual(result.status, 0, "openstack \(arguments.joined(separator: " ")) failed")
        return try JSONSerialization.jsonObject(with: Data(result.output.utf8))
    }

    private func rows(_ account: Account, _ arguments: [String]) throws -> [[String: Any]] {
        try XCTUnwrap(try cli(account, arguments) as? [[String: Any]], "openstack \(arguments.joined(separator: " "))")
    }

    private func json(_ object: Any) throws -> Data { try JSONSerialization.data(withJSONObject: object) }

    private func id(_ response: HTTPResponse, _ key: String) throws -> String {
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return try XCTUnwrap((object?[key] as? [String: Any])?["id"] as? String, "no \(key) id")
    }

    /// As demo: a network with a subnet (one pool), a router on it, a free port and two key pairs, so
    /// every count below has something to count whatever else the peer holds.
    private func seed(_ backend: OpenStackCloudBackend, tag: String) async throws -> [(ServiceType, String)] {
        let client = backend.client
        var made: [(ServiceType, String)] = []
        for index in 1...2 {
            let name = "cli-\(tag)-key\(index)"
            _ = try await client.send(.compute, "os-keypairs", method: .post, body: try json(["keypair": [
                "name": name, "public_key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl peer"]]),
                                      what: "Creating key pair")
            made.append((.compute, "os-keypairs/\(name)"))
        }
        let network = try id(try await client.send(.network, "v2.0/networks", method: .post,
                                                   body: try json(["network": ["name": "cli-\(tag)-net"]]),
                                                   what: "Creating network"), "network")
        let subnet = try id(try await client.send(.network, "v2.0/subnets", method: .post, body: try json(["subnet": [
            "name": "cli-\(tag)-subnet", "network_id": network, "ip_version": 4, "cidr": "10.77.0.0/24",
            "allocation_pools": [["start": "10.77.0.10", "end": "10.77.0.99"]]]]), what: "Creating subnet"), "subnet")
        let router = try id(try await client.send(.network, "v2.0/routers", method: .post,
                                                  body: try json(["router": ["name": "cli-\(tag)-router"]]),
                                                  what: "Creating router"), "router")
        _ = try await client.send(.network, "v2.0/routers/\(router)/add_router_interface", method: .put,
                                  body: try json(["subnet_id": subnet]), what: "Attaching subnet")
        let port = try id(try await client.send(.network, "v2.0/ports", method: .post,
                                                body: try json(["port": ["name": "cli-\(tag)-port", "network_id": network]]),
                                                what: "Creating port"), "port")
        made += [(.network, "v2.0/ports/\(port)"), (.network, "router:\(router):\(subnet)"),
                 (.network, "v2.0/routers/\(router)"), (.network, "v2.0/networks/\(network)")]
        return made
    }

    private func clean(_ backend: OpenStackCloudBackend, _ made: [(ServiceType, String)]) async {
        for (service, path) in made {
            if path.hasPrefix("router:") {
                let parts = path.split(separator: ":")
                _ = try? await backend.client.send(.network, "v2.0/routers/\(parts[1])/remove_router_interface", method: .put,
                                                   body: try? json(["subnet_id": String(parts[2])]), what: "Detaching subnet")
            } else {
                _ = try? await backend.client.send(service, path, method: .delete, what: "Cleaning up \(path)")
            }
        }
    }

    func testSubnetsPortsKeyPairsAndQuotasEqualTheCLIs() async throws {
        let demo = try backend(Self.demo)
        let made = try await seed(demo, tag: String(UUID().uuidString.prefix(6)).lowercased())
        do {
            let snapshot = try await demo.snapshot()
            XCTAssertEqual(snapshot.staleParts, [])

            // Subnets: ids, names, CIDRs and networks.
            let cliSubnets = try rows(Self.demo, ["subnet", "list"])
            let ours = snapshot.networks.flatMap { network in network.subnets.map { ($0, network) } }
            XCTAssertEqual(Set(ours.map { "\($0.0.id) \($0.0.name) \($0.0.cidr) \($0.1.id)" }),
                           Set(cliSubnets.map { "\($0["ID"]!) \($0["Name"]!) \($0["Subnet"]!) \($0["Network"]!)" }))
            let pools = ours.first { $0.0.name.hasSuffix("-subnet") && $0.0.cidr == "10.77.0.0/24" }?.0.allocationPools
            XCTAssertEqual(pools, ["10.77.0.10-10.77.0.99"])

            // Ports of every network, as Neutron counts them (router interface and free port included).
            for network in snapshot.networks {
                let cliPorts = try rows(Self.demo, ["port", "list", "--network", network.id])
                XCTAssertEqual(network.portCount, cliPorts.count, "ports of \(network.name)")
                print("PEER ports of \(network.name): stacktop \(network.portCount ?? -1), openstack CLI \(cliPorts.count)")
            }

            // Key pairs and every quota the CLI shows with usage.
            let keypairs = try rows(Self.demo, ["keypair", "list"])
            XCTAssertEqual(snapshot.keypairs.count, keypairs.count)
            let quotas = try XCTUnwrap(snapshot.quotas.first)
            XCTAssertEqual(quotas[.keypairs]?.used, keypairs.count, "key pairs in use")
            let cliQuotas = try rows(Self.demo, ["quota", "show", "--usage"])
            let names: [String: QuotaResource] = [
                "cores": .cores, "instances": .instances, "ram": .ramMiB, "floating_ips": .floatingIPs,
                "networks": .networks, "security_group_rules": .securityGroupRules, "security_groups": .securityGroups,
                "volumes": .volumes, "snapshots": .snapshots, "gigabytes": .gigabytes, "backups": .backups,
                "groups": .volumeGroups, "ports": .ports, "rbac_policies": .rbacPolicies, "router_routes": .routerRoutes,
                "routers": .routers, "subnets": .subnets, "subnet_pools": .subnetPools, "key-pairs": .keypairs,
                "properties": .metadataItems, "server-group-members": .serverGroupMembers, "server-groups": .serverGroups,
                "backup-gigabytes": .backupGigabytes, "per-volume-gigabytes": .perVolumeGigabytes,
            ]
            var compared: [String] = []
            for row in cliQuotas {
                guard let name = row["Resource"] as? String, let resource = names[name] else { continue }
                let usage = try XCTUnwrap(quotas[resource], "stacktop has no \(resource.label) quota (CLI \(name))")
                XCTAssertEqual(usage.limit, row["Limit"] as? Int, "limit of \(name)")
                if let used = row["In Use"] as? Int { XCTAssertEqual(usage.used, used, "in use of \(name)") }
                compared.append("\(name) \(usage.used)/\(usage.limit)")
            }
            print("PEER quotas equal to the CLI's: " + compared.joined(separator: ", "))
            for resource in [QuotaResource.cores, .instances, .ramMiB, .volumes, .gigabytes, .floatingIPs, .routers, .ports,
                             .subnets, .securityGroups, .securityGroupRules, .keypairs] {
                XCTAssertNotNil(quotas[resource], "\(resource.label) is missing")
            }
            XCTAssertEqual(quotas[.gigabytes]?.resource.unit, "GiB")
            XCTAssertEqual(quotas[.ramMiB]?.resource.unit, "MiB")
        } catch {
            await clean(demo, made)
            throw error
        }
        await clean(demo, made)
    }

    func testServerListNamesAndAdminProjectCountsEqualTheCLIs() async throws {
        let demo = try backend(Self.demo)
        var built: PeerServerBuild.Built?
        var ownNetwork: String?
        // One server in demo, unless the peer already has one there.
        if try rows(Self.demo, ["server", "list"]).isEmpty {
            let admin = try backend(Self.admin, parts: [.images, .flavors, .networks])
            let catalog = try await admin.snapshot()
            let image = try XCTUnwrap(catalog.images.first { $0.name == "fake-image" } ?? catalog.images.first)
            let flavor = try XCTUnwrap(catalog.flavors.min { $0.ramMiB < $1.ramMiB })
            let demoNetworks = try await backend(Self.demo, parts: [.networks]).snapshot().networks
            // Nova refuses a port on an external network: on a fresh peer demo has only "public", so the
            // server gets a private network of its own, removed with it.
            var networkID = demoNetworks.first { !$0.external }?.id
            if networkID == nil {
                let client = demo.client
                let tag = UUID().uuidString.prefix(6).lowercased()
                let made = try id(try await client.send(.network, "v2.0/networks", method: .post,
                                                        body: try json(["network": ["name": "cli-agree-\(tag)-net"]]),
                                                        what: "Creating network"), "network")
                _ = try await client.send(.network, "v2.0/subnets", method: .post, body: try json(["subnet": [
                    "name": "cli-agree-\(tag)-subnet", "network_id": made, "ip_version": 4, "cidr": "10.78.0.0/24"]]),
                                          what: "Creating subnet")
                ownNetwork = made
                networkID = made
            }
            built = try await PeerServerBuild(backend: demo, poller: try backend(Self.demo, parts: [.servers]))
                .create(name: "cli-agree-\(UUID().uuidString.prefix(6).lowercased())", imageID: image.id,
                        flavorID: flavor.id, networkID: try XCTUnwrap(networkID))
        }
        var failure: (any Error)?
        do { try await assertServerListsAndProjectCounts() } catch { failure = error }
        await removeServer(built?.id, thenNetwork: ownNetwork)
        if let failure { throw failure }
    }

    /// Deletes the test's server, waits for Nova to let go of its port, then deletes its network.
    private func removeServer(_ serverID: String?, thenNetwork networkID: String?) async {
        guard let cleanup = try? backend(Self.demo) else { return }
        if let serverID {
            _ = try? await cleanup.client.send(.compute, "servers/\(serverID)", method: .delete, what: "Deleting")
            for _ in 0..<60 where networkID != nil {
                if (try? await cleanup.client.send(.compute, "servers/\(serverID)", what: "Waiting")) == nil { break }
                try? await Task.sleep(for: .milliseconds(500))
            }
        }
        if let networkID {
            _ = try? await cleanup.client.send(.network, "v2.0/networks/\(networkID)", method: .delete, what: "Deleting")
        }
    }

    private func assertServerListsAndProjectCounts() async throws {
        // `server list` as a one-shot reads it, with no cached names at all.
        let servers = try await backend(Self.demo, parts: SnapshotParts.needed(for: .instance)).snapshot()
        let cliServers = try rows(Self.demo, ["server", "list"])
        XCTAssertEqual(Set(servers.instances.map { "\($0.id) \($0.name) \($0.image ?? "-")" }),
                       Set(cliServers.map { "\($0["ID"]!) \($0["Name"]!) \(($0["Image"] as? String) ?? "-")" }))
        XCTAssertTrue(servers.instances.allSatisfy { $0.project == "demo" }, "\(servers.instances.map(\.project))")
        let flavors = try rows(Self.admin, ["flavor", "list"])
        for instance in servers.instances {
            let flavor = flavors.first { $0["Name"] as? String == instance.flavor }
            XCTAssertEqual(instance.diskGiB, Double(flavor?["Disk"] as? Int ?? -1), "Disk of \(instance.name) is its flavor's")
        }

        // As admin, each project's instance count is Nova's across all projects.
        let admin = try await backend(Self.admin, parts: SnapshotParts.needed(for: .project)).snapshot()
        for project in admin.projects {
            let cliCount = try rows(Self.admin, ["server", "list", "--project", project.id]).count
            XCTAssertEqual(project.instanceCount, cliCount, "instances of \(project.name)")
            print("PEER instances of project \(project.name): stacktop \(project.instanceCount ?? -1), openstack CLI \(cliCount)")
        }
        XCTAssertGreaterThanOrEqual(admin.projects.first { $0.name == "demo" }?.instanceCount ?? 0, 1)
    }

    /// A volume snapshotted through the backend as admin: Cinder's refusal of an in-use volume is said with
    /// --force, the snapshot list equals `openstack volume snapshot list --long` (ids, names, status, size and
    /// volume id; its -f json gives no volume name), and deleting takes the snapshot and then the volume away, as the API then shows.
    func testVolumeSnapshotCreatedListedLikeTheCLIThenDeleted() async throws {
        let admin = try backend(Self.admin)
        let lists = try backend(Self.admin, parts: SnapshotParts.needed(for: .volumeSnapshot))
        let tag = String(UUID().uuidString.prefix(6)).lowercased()
        let volume = "cli-vsnap-\(tag)-vol", name = "cli-vsnap-\(tag)"
        /// Polls the API until `done`, for at most 90 s.
        func until(_ what: String, _ done: () async throws -> Bool) async throws {
            for _ in 0..<180 {
                if try await done() { return }
                try await Task.sleep(for: .milliseconds(500))
            }
            XCTFail("timed out waiting for \(what)")
        }
        _ = try await admin.perform(ActionRequest(action: .create, kind: .volume, targets: [volume], text: [.size: "1"]))
        var volumeID: String?
        try await until("\(volume) available") {
            let found = try await lists.snapshot().volumes.first { $0.name == volume }
            volumeID = found?.id
            return found?.status == "available"
        }
        let id = try XCTUnwrap(volumeID)
        func markVolume(_ status: String) async throws {
            _ = try await admin.client.send(.blockStorage, "volumes/\(id)/action", method: .post,
                                            body: try json(["os-reset_status": ["status": status]]),
                                            what: "Marking volume \(volume) \(status)")
        }
        var failure: (any Error)?
        do {
            // An attached volume, as Cinder sees one: a reserved attachment (no server needed) and an admin's
            // reset-status stand in for a server using it.
            let attachments = ["OpenStack-API-Version": "volume 3.27"]
            let reserved = try await admin.client.send(
                .blockStorage, "attachments", method: .post,
                body: try json(["attachment": ["volume_uuid": id, "instance_uuid": UUID().uuidString.lowercased()]]),
                headers: attachments, what: "Reserving volume \(volume)")
            let attachmentID = try self.id(reserved, "attachment")
            try await markVolume("in-use")
            do {
                _ = try await admin.perform(ActionRequest(action: .create, kind: .volumeSnapshot, targets: [name + "-hot"],
                                                          text: [.volume: volume]))
                XCTFail("Cinder takes no snapshot of an in-use volume without force")
            } catch let error as BackendError {
                print("PEER in-use refusal: \(error.message)")
                XCTAssertTrue(error.message.contains("(HTTP 400): volume \(volume) is in use") && error.message.contains("add --force"),
                              error.message)
            }
            _ = try await admin.client.send(.blockStorage, "attachments/\(attachmentID)", method: .delete,
                                            headers: attachments, what: "Releasing volume \(volume)")
            try await markVolume("available")

            let created = try await admin.perform(ActionRequest(action: .create, kind: .volumeSnapshot, targets: [name],
                                                                text: [.volume: volume, .description: "peer check"]))
            XCTAssertEqual(created.requestIDs.count, 1)
            try await until("\(name) available") {
                try await lists.snapshot().volumeSnapshots.first { $0.name == name }?.status == "available"
            }
            let ours = try await lists.snapshot()
            XCTAssertEqual(ours.staleParts, [])
            let mine = try XCTUnwrap(ours.volumeSnapshots.first { $0.name == name })
            XCTAssertEqual(mine.volumeID, id)
            XCTAssertEqual(mine.volumeName, volume)
            XCTAssertEqual(mine.sizeBytes, 1 << 30)
            XCTAssertEqual(mine.description, "peer check")
            XCTAssertEqual(mine.project, "admin")
            XCTAssertNotNil(mine.createdAt)
            let cli = try rows(Self.admin, ["volume", "snapshot", "list", "--long"])
            func cliName(_ row: [String: Any]) -> String {
                ((row["Name"] as? String).flatMap { $0.isEmpty ? nil : $0 }) ?? "\(row["ID"] ?? "")"
            }
            XCTAssertEqual(Set(ours.volumeSnapshots.map { "\($0.id) \($0.name) \($0.status) \($0.sizeBytes >> 30) \($0.volumeID)" }),
                           Set(cli.map { "\($0["ID"] ?? "") \(cliName($0)) \($0["Status"] ?? "") \($0["Size"] ?? "") \($0["Volume"] ?? "")" }))
            print("PEER volume snapshots: stacktop \(ours.volumeSnapshots.count), openstack CLI \(cli.count)")

            let deleted = try await admin.perform(ActionRequest(action: .delete, kind: .volumeSnapshot, targets: [name]))
            XCTAssertEqual(deleted.requestIDs.count, 1)
            try await until("\(name) deleted") { try await lists.snapshot().volumeSnapshots.allSatisfy { $0.name != name } }
            XCTAssertFalse(try rows(Self.admin, ["volume", "snapshot", "list"]).contains { $0["Name"] as? String == name })
            _ = try await admin.perform(ActionRequest(action: .delete, kind: .volume, targets: [volume]))
            try await until("\(volume) deleted") { try await lists.snapshot().volumes.allSatisfy { $0.id != id } }
        } catch { failure = error }
        if failure != nil {
            for snapshot in (try? await lists.snapshot().volumeSnapshots.filter { $0.volumeID == id }) ?? [] {
                _ = try? await admin.client.send(.blockStorage, "snapshots/\(snapshot.id)", method: .delete, what: "Cleaning up")
            }
            try? await markVolume("available")
            try? await Task.sleep(for: .seconds(2))
            _ = try? await admin.client.send(.blockStorage, "volumes/\(id)", method: .delete, what: "Cleaning up")
        }
        if let failure { throw failure }
    }

    func testARefusedPasswordIsOneRequestAndTyped() async throws {
        let wrong = try backend(Account(user: "demo", password: "not-demopass"))
        do {
            _ = try await wrong.snapshot()
            XCTFail("expected the refusal")
        } catch let error as BackendError {
            XCTAssertTrue(error.stopsRetries, error.message)
            XCTAssertTrue(error.message.contains("user demo (project demo"), error.message)
        }
        let count = await wrong.session.authenticationCount
        XCTAssertEqual(count, 0)
    }
}

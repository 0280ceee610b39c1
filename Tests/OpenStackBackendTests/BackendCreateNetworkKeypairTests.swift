import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

final class BackendCreateNetworkKeypairTests: XCTestCase {
    func testNetworkCreateMakesTheNetworkThenItsSubnet() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.0/networks", status: 201, headers: ["x-openstack-request-id": "req-n"],
                           json: ["network": ["id": "net-9", "name": "lab"]])
        await transport.on(.post, "/v2.0/subnets", status: 201, headers: ["x-openstack-request-id": "req-s"],
                           json: ["subnet": ["id": "sub-9"]])
        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .create, kind: .network, targets: ["lab"],
            text: [.cidr: "10.20.0.0/24", .gateway: "10.20.0.1", .dhcp: "10.20.0.100-10.20.0.200", .mode: "nat"]))

        let networks = await transport.requests(.post, "/v2.0/networks")
        XCTAssertEqual(CreateFixture.json(networks.first?.body), ["network": ["name": "lab"]] as NSDictionary)
        let subnets = await transport.requests(.post, "/v2.0/subnets")
        XCTAssertEqual(CreateFixture.json(subnets.first?.body), ["subnet": [
            "name": "lab-subnet", "network_id": "net-9", "cidr": "10.20.0.0/24", "ip_version": 4, "gateway_ip": "10.20.0.1",
            "enable_dhcp": true, "allocation_pools": [["start": "10.20.0.100", "end": "10.20.0.200"]],
        ]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Created network lab (id net-9) with subnet 10.20.0.0/24; --mode nat was ignored, "
            + "as Neutron networks reach outside through a router instead.")
        XCTAssertEqual(outcome.requestIDs, ["req-n", "req-s"])
    }

    func testAFailedSubnetTakesTheNetworkBack() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.0/networks", status: 201, json: ["network": ["id": "net-9", "name": "lab"]])
        await transport.on(.post, "/v2.0/subnets", status: 409, headers: ["x-openstack-request-id": "req-s"], json: [
            "NeutronError": ["type": "OverQuota", "message": "Quota exceeded for resources: ['subnet'].", "detail": ""]])
        await transport.on(.delete, "/v2.0/networks/net-9", status: 204)
        let message = await CreateFixture.refusal(BackendFixture.backend(transport), try ActionRequest(
            action: .create, kind: .network, targets: ["lab"], text: [.cidr: "10.20.0.0/24"]))
        XCTAssertTrue(message.hasPrefix("Create subnet 10.20.0.0/24 of network lab failed (HTTP 409): Quota exceeded for "
            + "resources: ['subnet']"), message)
        let subnets = await transport.requests(.post, "/v2.0/subnets")
        XCTAssertEqual(CreateFixture.json(subnets.first?.body)?["subnet"] as? NSDictionary, [
            "name": "lab-subnet", "network_id": "net-9", "cidr": "10.20.0.0/24", "ip_version": 4, "enable_dhcp": false,
        ] as NSDictionary)
        let deletes = await transport.requests(.delete, "/v2.0/networks/net-9")
        XCTAssertEqual(deletes.count, 1)
        let badCIDR = await CreateFixture.refusal(BackendFixture.backend(transport), try ActionRequest(
            action: .create, kind: .network, targets: ["lab"], text: [.cidr: "10.20.0.0"]))
        XCTAssertEqual(badCIDR, "--cidr wants an address range such as 10.20.0.0/24 or 0.0.0.0/0, not \"10.20.0.0\".")
    }

    func testKeypairImportPostsThePublicKeyAndGenerationIsRefused() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/os-keypairs", headers: ["x-openstack-request-id": "req-k"],
                           json: ["keypair": ["name": "mine", "fingerprint": "aa:bb", "type": "ssh"]])
        let key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJ test@host"
        let path = try CreateFixture.temporaryFile(key + "\n")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let backend = BackendFixture.backend(transport)

        let outcome = try await backend.perform(ActionRequest(action: .create, kind: .keypair, targets: ["mine"],
                                                              text: [.publicKey: path]))
        let posts = await transport.requests(.post, "/os-keypairs")
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["keypair": ["name": "mine", "public_key": key]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Imported key pair mine from \(path) (fingerprint aa:bb).")
        XCTAssertEqual(outcome.requestIDs, ["req-k"])

        let generate = await CreateFixture.error(backend, ActionRequest(action: .create, kind: .keypair, targets: ["new"]))
        XCTAssertEqual(generate, .invalidOption(.publicKey, reason: "OpenStack no longer generates key pairs (Nova deprecated "
            + "it), so import one: make it with ssh-keygen and add --public-key ~/.ssh/id_ed25519.pub."))
        let privatePath = try CreateFixture.temporaryFile("-----BEGIN OPENSSH PRIVATE KEY-----\n")
        defer { try? FileManager.default.removeItem(atPath: privatePath) }
        let wrongFile = await CreateFixture.error(backend, try ActionRequest(action: .create, kind: .keypair, targets: ["x"],
                                                                         text: [.publicKey: privatePath]))
        XCTAssertEqual(wrongFile, .invalidOption(.publicKey, reason: "--public-key \(privatePath) is not an OpenSSH public key; "
            + "give the .pub file, never the private key."))
        let after = await transport.requests(.post, "/os-keypairs")
        XCTAssertEqual(after.count, 1)
    }
}

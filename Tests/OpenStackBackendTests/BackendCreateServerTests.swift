import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices
import StacktopTestSupport

/// Routes and helpers the create-side tests share.
enum CreateFixture {
    static func transport() async -> RoutedTransport {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/v2.1/flavors", json: ["flavors": [["id": "fl-1", "name": "m1.tiny"],
                                                                     ["id": "fl-2", "name": "m1.small"]]])
        await transport.on(.get, "/v2/images", query: "name=cirros",
                           json: ["images": [["id": "img-1", "name": "cirros", "status": "active"]]])
        await transport.on(.get, "/v2/images", json: ["images": [] as [Any]])
        await transport.on(.get, "/volumes/detail", query: "name=data",
                           json: ["volumes": [["id": "vol-1", "name": "data", "size": 1, "status": "available"]]])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [] as [Any]])
        await transport.on(.get, "/v2.0/networks", query: "name=private", json: ["networks": [["id": "net-1", "name": "private"]]])
        await transport.on(.get, "/v2.0/networks", query: "name=public", json: ["networks": [["id": "net-2", "name": "public"]]])
        await transport.on(.get, "/v2.0/networks", json: ["networks": [] as [Any]])
        await transport.on(.get, "/v2.0/security-groups", query: "name=web",
                           json: ["security_groups": [["id": "sg-1", "name": "web"]]])
        await transport.on(.get, "/v2.0/security-groups", json: ["security_groups": [] as [Any]])
        await transport.on(.get, "/v2.1/servers", query: "name=^web$", json: ["servers": [["id": "srv-1", "name": "web"]]])
        return transport
    }

    static func json(_ data: Data?) -> NSDictionary? {
        data.flatMap { try? JSONSerialization.jsonObject(with: $0) as? NSDictionary }
    }

    /// The sentence refusing `request`: the schema's, when what was typed does not parse (nothing reaches
    /// the backend), else the backend's (for the cloud's own answers, whose sentences are made from them).
    static func refusal(_ backend: OpenStackCloudBackend, _ made: @autoclosure () throws -> ActionRequest,
                        file: StaticString = #filePath, line: UInt = #line) async -> String {
        let request: ActionRequest
        do {
            request = try made()
        } catch {
            return (error as? ActionCommand.ParseError)?.description ?? "\(error)"
        }
        do {
            _ = try await backend.perform(request)
            XCTFail("expected a refusal of \(request.summary)", file: file, line: line)
            return ""
        } catch let error as BackendError {
            return error.message
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return ""
        }
    }

    /// The backend's refusal of `request`, to assert as a case.
    static func error(_ backend: OpenStackCloudBackend, _ made: @autoclosure () throws -> ActionRequest,
                      file: StaticString = #filePath, line: UInt = #line) async -> BackendError? {
        await backendError(file: file, line: line) { try await backend.perform(try made()) }
    }

    static func temporaryFile(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "stacktop-create-\(UUID().uuidString)"
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}

final class BackendCreateServerTests: XCTestCase {
    func testServerCreateResolvesEveryNameAndPostsOneServer() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers", status: 202, headers: ["x-openstack-request-id": "req-create"],
                           json: ["server": ["id": "new-1", "adminPass": "x"]])
        let userData = try CreateFixture.temporaryFile("#cloud-config\n")
        defer { try? FileManager.default.removeItem(atPath: userData) }

        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .create, kind: .instance, targets: ["t1"],
            text: [.image: "cirros", .flavor: "m1.tiny", .networks: "private, public", .securityGroups: "web,default",
                      .keypair: "mykey", .userData: userData]))

        let posts = await transport.requests(.post, "/v2.1/servers")
        let post = try XCTUnwrap(posts.first)
        XCTAssertEqual(post.header("OpenStack-API-Version"), "compute 2.96")
        XCTAssertEqual(CreateFixture.json(post.body), ["server": [
            "name": "t1", "imageRef": "img-1", "flavorRef": "fl-1", "min_count": 1, "max_count": 1,
            "networks": [["uuid": "net-1"], ["uuid": "net-2"]],
            "security_groups": [["name": "web"], ["name": "default"]], "key_name": "mykey",
            "user_data": Data("#cloud-config\n".utf8).base64EncodedString(),
        ]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Asked Nova to create server t1 (id new-1); it builds in the background.")
        XCTAssertEqual(outcome.requestIDs, ["req-create"])
    }

    func testBootFromVolumeAndSeveralServersListTheReservation() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers", status: 202, headers: ["x-openstack-request-id": "req-create"],
                           json: ["reservation_id": "r-abc"])
        await transport.on(.get, "/v2.1/servers", query: "reservation_id=r-abc", headers: ["x-openstack-request-id": "req-list"],
                           json: ["servers": [["id": "new-1", "name": "t-1"], ["id": "new-2", "name": "t-2"]]])

        let outcome = try await BackendFixture.backend(transport).perform(ActionRequest(
            action: .create, kind: .instance, targets: ["t"], text: [.volume: "data", .flavor: "m1.small", .count: "2"]))

        let posts = await transport.requests(.post, "/v2.1/servers")
        let post = try XCTUnwrap(posts.first)
        XCTAssertEqual(CreateFixture.json(post.body), ["server": [
            "name": "t", "flavorRef": "fl-2", "min_count": 2, "max_count": 2, "networks": "auto",
            "return_reservation_id": true,
            "block_device_mapping_v2": [["boot_index": 0, "uuid": "vol-1", "source_type": "volume",
                                         "destination_type": "volume", "delete_on_termination": false]],
        ]] as NSDictionary)
        XCTAssertEqual(outcome.message, "Asked Nova to create 2 servers named t-1 to t-2 (ids new-1, new-2); they build "
            + "in the background.")
        XCTAssertEqual(outcome.requestIDs, ["req-create", "req-list"])
    }

    func testBadOptionsAreRefusedBeforeNovaIsAsked() async throws {
        let transport = await CreateFixture.transport()
        let backend = BackendFixture.backend(transport)
        func create(_ text: [OptionKey: String]) throws -> ActionRequest {
            try ActionRequest(action: .create, kind: .instance, targets: ["t1"], text: text)
        }
        let unknownFlavor = await CreateFixture.error(backend, try create([.image: "cirros", .flavor: "m9.huge"]))
        XCTAssertEqual(unknownFlavor, .invalidOption(.flavor, reason: "No flavor named \"m9.huge\" exists; pick one from "
            + "`stacktop flavor list` (m1.tiny, m1.small)."))
        let unknownNetwork = await CreateFixture.error(backend, try create([.image: "cirros", .flavor: "m1.tiny",
                                                                        .networks: "nowhere"]))
        XCTAssertEqual(unknownNetwork, .notFound(kind: "network", name: "nowhere"))
        let noSource = await CreateFixture.error(backend, try create([.flavor: "m1.tiny"]))
        XCTAssertEqual(noSource, .invalidOption(.image, reason: "Server t1 needs something to boot: add --image IMAGE or --volume VOLUME."))
        let both = await CreateFixture.error(backend, try create([.image: "cirros", .volume: "data", .flavor: "m1.tiny"]))
        XCTAssertEqual(both?.option, .image)
        let count = await CreateFixture.refusal(backend, try create([.image: "cirros", .flavor: "m1.tiny", .count: "0"]))
        XCTAssertEqual(count, "--count wants a whole number from 1 to 100, not \"0\".")
        let missingFile = await CreateFixture.error(backend, try create([.image: "cirros", .flavor: "m1.tiny",
                                                                     .userData: "/nonexistent/ud"]))
        XCTAssertEqual(missingFile, .invalidOption(.userData, reason: "--user-data /nonexistent/ud could not be read; give the "
            + "path of a readable file on this machine."))
        let posts = await transport.requests(.post, "/v2.1/servers")
        XCTAssertEqual(posts.count, 0)
    }

    func testAQuotaRefusalNamesTheQuota() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, "/v2.1/servers", status: 403, headers: ["x-openstack-request-id": "req-q"], json: [
            "forbidden": ["code": 403, "message": "Quota exceeded for cores: Requested 2, but already used 20 of 20 cores"]])
        do {
            _ = try await BackendFixture.backend(transport).perform(ActionRequest(
                action: .create, kind: .instance, targets: ["t1"], text: [.image: "cirros", .flavor: "m1.tiny"]))
            XCTFail("over quota")
        } catch let error as BackendError {
            XCTAssertEqual(error.message, "Create server t1 failed (HTTP 403): Quota exceeded for cores: Requested 2, but "
                + "already used 20 of 20 cores; free some quota or ask an administrator to raise it. Request id req-q.")
        }
    }
}

import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// Builds a server on the OpenStack peer and waits until stacktop lists it running, building it once
/// more when the peer itself fails the build.
///
/// Why the second try: the peer keeps Nova in SQLite, and when nova-compute and nova-conductor write at
/// the same moment one of them gets "database is locked". The build then fails, and when the conductor's
/// write of the ERROR state is locked out too the server stays in BUILD for ever (2 of 7 full runs on
/// the day this was written; ../shared/notes/openstack-peer.md, nova-conductor.log). That is the peer's
/// failure, not stacktop's, so it is judged on Nova's own answer for the server (`GET servers/{id}`),
/// never on what stacktop listed: a server Nova calls ACTIVE that stacktop does not list as running
/// fails the test at once, and so does any error answer to stacktop's own requests.
struct PeerServerBuild {
    /// A build on the peer takes about 3 s; one still in BUILD after this has been lost by the peer.
    static let buildTimeout: TimeInterval = 60

    let backend: OpenStackCloudBackend
    /// Lists only servers, so each poll is one `GET /servers/detail` through stacktop.
    let poller: OpenStackCloudBackend

    struct Built { let id: String; let name: String }

    /// Creates `name` (or `name-again` on the second try) and returns it once stacktop lists it running.
    func create(name: String, imageID: String, flavorID: String, networkID: String) async throws -> Built {
        for attempt in 1...2 {
            let attemptName = attempt == 1 ? name : name + "-again"
            let id = try await post(name: attemptName, imageID: imageID, flavorID: flavorID, networkID: networkID)
            let listed = try await waitUntilListedRunning(id: id)
            if listed == .running { return Built(id: id, name: attemptName) }
            let (status, fault) = try await novaStatus(id: id)
            if status == "ACTIVE" {
                // It may have become ACTIVE just after stacktop's last listing: one fresh listing decides.
                let relisted = try await poller.snapshot().instances.first { $0.id == id }?.state
                if relisted == .running { return Built(id: id, name: attemptName) }
                XCTFail("Nova reports server \(attemptName) as ACTIVE but stacktop lists it as \(relisted.map(\.rawValue) ?? "missing")")
                throw BackendError.refused(reason: "stacktop's listing disagrees with Nova")
            }
            guard status == "BUILD" || status == "ERROR" else {
                XCTFail("server \(attemptName) is \(status) in Nova after its build (\(fault)), neither ACTIVE nor a lost build")
                throw BackendError.refused(reason: "unexpected server status \(status)")
            }
            guard attempt == 1 else {
                XCTFail("server \(attemptName) is still \(status) after a second build (\(fault)); the peer failed it twice, see /tmp/ospeer/logs/nova-conductor.log")
                throw BackendError.refused(reason: "the peer failed to build a server twice")
            }
            print("PEER server \(attemptName) (\(id)) is \(status) after \(Int(Self.buildTimeout)) s (\(fault)): the peer's SQLite locked out nova-conductor/nova-compute; deleting it and building it once more")
            try await deleteAndWait(id: id)
        }
        throw BackendError.refused(reason: "unreachable")
    }

    private func post(name: String, imageID: String, flavorID: String, networkID: String) async throws -> String {
        let body = try JSONSerialization.data(withJSONObject: ["server": [
            "name": name, "imageRef": imageID, "flavorRef": flavorID, "networks": [["uuid": networkID]]]])
        let created = try await backend.client.send(.compute, "servers", method: .post, body: body,
                                                    headers: await backend.compute.headers(), what: "Creating server")
        XCTAssertEqual(created.status, 202)
        let json = try JSONSerialization.jsonObject(with: created.body) as? [String: Any]
        return try XCTUnwrap((json?["server"] as? [String: Any])?["id"] as? String, "no server id in the create answer")
    }

    /// Polls stacktop's listing until the server is running, is in ERROR, or the build timeout passes;
    /// returns the last state stacktop listed (nil when it did not list the server).
    private func waitUntilListedRunning(id: String) async throws -> InstanceState? {
        let deadline = Date().addingTimeInterval(Self.buildTimeout)
        var state: InstanceState?
        while Date() < deadline {
            state = try await poller.snapshot().instances.first { $0.id == id }?.state
            if state == .running || state == .error { return state }
            try await Task.sleep(for: .milliseconds(500))
        }
        return state
    }

    /// Nova's own status of the server and its fault message, if any.
    private func novaStatus(id: String) async throws -> (String, String) {
        let answer = try await backend.client.send(.compute, "servers/\(id)", headers: await backend.compute.headers(),
                                                   what: "Reading server \(id)")
        let server = (try JSONSerialization.jsonObject(with: answer.body) as? [String: Any])?["server"] as? [String: Any]
        let fault = (server?["fault"] as? [String: Any])?["message"] as? String
        return (server?["status"] as? String ?? "?", fault.map { "fault: \($0)" } ?? "no fault recorded")
    }

    /// Waits until stacktop no longer lists the server that stacktop was asked to delete. The peer can
    /// lose a delete the same way as a build (seen: the server turned ERROR with "database is locked" in
    /// its fault); then the delete is sent once more, straight to Nova, and said so.
    func waitUntilGone(_ server: Built, seconds: TimeInterval = 90) async throws {
        var deleteResent = false
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let listed = try await poller.snapshot().instances.first { $0.id == server.id }
            guard let listed else { return }
            if listed.state == .error && !deleteResent {
                let (status, fault) = try await novaStatus(id: server.id)
                if status == "ERROR" && fault.contains("database is locked") {
                    print("PEER server \(server.name) (\(server.id)) turned ERROR while being deleted (\(fault.prefix(60))...): the peer's SQLite locked out nova-compute; deleting it once more")
                    deleteResent = true
                    try await deleteAndWait(id: server.id)
                    continue
                }
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        XCTFail("server \(server.name) is still listed \(Int(seconds)) s after its delete")
    }

    /// Deletes the lost server and waits until Nova forgets it, so its teardown does not overlap the next build.
    private func deleteAndWait(id: String) async throws {
        let headers = await backend.compute.headers()
        _ = try await backend.client.send(.compute, "servers/\(id)", method: .delete, headers: headers,
                                          what: "Deleting lost server \(id)")
        let deadline = Date().addingTimeInterval(Self.buildTimeout)
        while Date() < deadline {
            do {
                _ = try await backend.client.send(.compute, "servers/\(id)", headers: headers, what: "Reading server \(id)")
            } catch let error as BackendError {
                if case .remote(_, 404, _, _) = error { return }
                throw error
            }
            try await Task.sleep(for: .milliseconds(500))
        }
        print("PEER lost server \(id) is still there \(Int(Self.buildTimeout)) s after its delete; going on without waiting")
    }
}

import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices

/// Against the real Keystone started by /work/shared/tools/openstack-peer/start-peer.sh (loopback only).
/// Runs only with STACKTOP_OPENSTACK_PEER=1.
final class KeystonePeerTests: XCTestCase {
    static let authURL = URL(string: "http://127.0.0.1:5000/v3")!

    override func setUpWithError() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_OPENSTACK_PEER"] == "1" else {
            throw XCTSkip("set STACKTOP_OPENSTACK_PEER=1 with the OpenStack peer running on 127.0.0.1:5000")
        }
    }

    static func passwordCredentials(_ user: String, _ password: String, project: String) -> KeystoneCredentials {
        KeystoneCredentials(authURL: authURL,
                            method: .password(user: .name(user), password: Secret(password), userDomain: .name("Default")),
                            project: ProjectScope(project: .name(project), domain: .name("Default")),
                            region: "RegionOne", interface: .public, timeout: 10)
    }

    /// Authenticates and returns the token with the round trip in milliseconds.
    private func timedAuth(_ session: KeystoneSession) async throws -> (KeystoneToken, Double) {
        let start = ContinuousClock.now
        let token = try await session.authenticate()
        let elapsed = ContinuousClock.now - start
        let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
        return (token, ms)
    }

    func testPasswordAuthAsAdminAndDemoWithTheCatalog() async throws {
        for (user, password, role) in [("admin", "secretadmin", "admin"), ("demo", "demopass", "member")] {
            let session = KeystoneSession(credentials: Self.passwordCredentials(user, password, project: user))
            let (token, coldMS) = try await timedAuth(session)
            let (_, warmMS) = try await timedAuth(session)
            print("PEER auth \(user): first \(String(format: "%.1f", coldMS)) ms, again \(String(format: "%.1f", warmMS)) ms")
            XCTAssertEqual(token.user.name, user)
            XCTAssertEqual(token.project?.name, user)
            XCTAssertTrue(token.roleNames.contains(role), "\(token.roleNames)")
            XCTAssertGreaterThan(token.expiresAt, Date().addingTimeInterval(600))
            XCTAssertFalse(token.value.isEmpty)

            let image = try await session.endpoint(for: .image)
            XCTAssertEqual(image.host, "127.0.0.1")
            let listStart = ContinuousClock.now
            let images = try await session.send(service: .image, path: "v2/images", what: "Listing images")
            print("PEER GET image v2/images as \(user) with the token: \(ContinuousClock.now - listStart)")
            XCTAssertTrue(String(decoding: images.body, as: UTF8.self).contains("fake-image"))
            XCTAssertNotNil(images.requestID)
            let identity = try await session.endpoint(for: .identity)
            XCTAssertEqual(identity.port, 5000)
            let types = Set(token.catalog.services.map(\.type))
            if types.contains("compute") {
                let compute = try await session.endpoint(for: .compute)
                XCTAssertEqual(compute.port, 8774)
            } else {
                // OSPEER_SERVICES=min registers only Keystone and Glance: the error must name what is missing.
                do {
                    _ = try await session.endpoint(for: .compute)
                    XCTFail("compute is not in this catalog")
                } catch let error as BackendError {
                    XCTAssertTrue(error.message.contains("public compute endpoint in region RegionOne"), error.message)
                }
            }
        }
    }

    func testApplicationCredentialCreatedThroughTheAPIAuthenticates() async throws {
        let demo = KeystoneSession(credentials: Self.passwordCredentials("demo", "demopass", project: "demo"))
        let token = try await demo.authenticate()
        let name = "stacktop-peer-\(UUID().uuidString.prefix(8))"
        let body = try JSONSerialization.data(withJSONObject: ["application_credential": ["name": name]])
        let created = try await demo.send(service: .identity, method: .post,
                                          path: "users/\(token.user.id)/application_credentials", body: body,
                                          what: "Creating application credential \(name)")
        XCTAssertEqual(created.status, 201)
        XCTAssertNotNil(created.requestID)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: created.body) as? [String: Any])
        let credential = try XCTUnwrap(json["application_credential"] as? [String: Any])
        let id = try XCTUnwrap(credential["id"] as? String)
        let secret = try XCTUnwrap(credential["secret"] as? String)
        do {
            try await checkApplicationCredential(id: id, name: name, secret: secret, owner: token)
        } catch {
            _ = try? await demo.send(service: .identity, method: .delete, path: "users/\(token.user.id)/application_credentials/\(id)")
            throw error
        }
        let deleted = try await demo.send(service: .identity, method: .delete,
                                          path: "users/\(token.user.id)/application_credentials/\(id)")
        XCTAssertEqual(deleted.status, 204)
        let revoked = KeystoneSession(credentials: KeystoneCredentials(
            authURL: Self.authURL,
            method: .applicationCredential(credential: .id(id), secret: Secret(secret), user: nil, userDomain: nil)))
        do {
            try await revoked.authenticate()
            XCTFail("a deleted application credential must be refused")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.hasPrefix("Keystone refused the credentials"), error.message)
        }
    }

    private func checkApplicationCredential(id: String, name: String, secret: String, owner token: KeystoneToken) async throws {
        let byID = KeystoneSession(credentials: KeystoneCredentials(
            authURL: Self.authURL,
            method: .applicationCredential(credential: .id(id), secret: Secret(secret), user: nil, userDomain: nil),
            region: "RegionOne"))
        let (appToken, ms) = try await timedAuth(byID)
        print("PEER auth application credential by id: \(String(format: "%.1f", ms)) ms")
        XCTAssertEqual(appToken.methods, ["application_credential"])
        XCTAssertEqual(appToken.user.id, token.user.id)
        XCTAssertEqual(appToken.project?.name, "demo")
        let image = try await byID.endpoint(for: .image)
        XCTAssertEqual(image.port, 9292)

        let byName = KeystoneSession(credentials: KeystoneCredentials(
            authURL: Self.authURL,
            method: .applicationCredential(credential: .name(name), secret: Secret(secret),
                                           user: .name("demo"), userDomain: .name("Default"))))
        let nameToken = try await byName.authenticate()
        XCTAssertEqual(nameToken.project?.id, appToken.project?.id)

        let wrongSecret = KeystoneSession(credentials: KeystoneCredentials(
            authURL: Self.authURL,
            method: .applicationCredential(credential: .id(id), secret: Secret("not-the-secret"), user: nil, userDomain: nil)))
        do {
            try await wrongSecret.authenticate()
            XCTFail("a wrong secret must be refused")
        } catch let error as BackendError {
            XCTAssertTrue(error.message.hasPrefix("Keystone refused the credentials for application credential \(id)"),
                          error.message)
            XCTAssertFalse(error.message.contains(secret))
        }
    }

    func testWrongPasswordGivesTheSentence() async throws {
        let session = KeystoneSession(credentials: Self.passwordCredentials("demo", "not-demopass", project: "demo"))
        let start = ContinuousClock.now
        do {
            try await session.authenticate()
            XCTFail("a wrong password must be refused")
        } catch let error as BackendError {
            print("PEER wrong password refused in \(ContinuousClock.now - start)")
            XCTAssertEqual(error.message, "Keystone refused the credentials for user demo (project demo (domain Default)) "
                + "on http://127.0.0.1:5000/v3: check OS_PASSWORD / the application credential.")
            XCTAssertFalse(error.message.contains("not-demopass"))
        }
    }

    func testARevokedTokenIsRenewedOnceAndTheRequestRetried() async throws {
        let session = KeystoneSession(credentials: Self.passwordCredentials("admin", "secretadmin", project: "admin"))
        let first = try await session.authenticate()
        // Revoke our own token, so the next service call sees a real 401.
        _ = try await session.send(service: .identity, method: .delete, path: "auth/tokens",
                                   headers: ["X-Subject-Token": first.value.exposedValue])
        let start = ContinuousClock.now
        let response = try await session.send(service: .identity, path: "users/\(first.user.id)")
        print("PEER 401 -> re-auth -> retry took \(ContinuousClock.now - start)")
        XCTAssertEqual(response.status, 200)
        let count = await session.authenticationCount
        XCTAssertEqual(count, 2)
    }

    func testImageVersionDiscoveryOnGlance() async throws {
        let session = KeystoneSession(credentials: Self.passwordCredentials("demo", "demopass", project: "demo"))
        let version = try await session.discoverVersion(of: .image)
        XCTAssertEqual(version.status, "CURRENT")
        XCTAssertTrue(version.id.hasPrefix("v2."), version.id)
    }
}

import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices
import SystemTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// The token kept between runs: used while it lives, private on disk, replaced when refused, and
/// never shared between identities.
final class KeystoneTokenCacheTests: XCTestCase {
    private var directory = ""

    /// Not made yet: the cache makes it, private, with the first token it keeps.
    override func setUpWithError() throws {
        directory = try makeTemporaryDirectory(self) + "/tokens"
    }

    private func session(_ transport: ScriptedTransport, hoursBeforeExpiry: Double = 1,
                         credentials: KeystoneCredentials = KeystoneSessionTests.credentials()) -> KeystoneSession {
        KeystoneSession(credentials: credentials, transport: transport,
                        clock: TestClock(KeystoneSessionTests.expiryDate - hoursBeforeExpiry * 3600).read,
                        tokenCache: TokenCache(directory: directory))
    }

    func testASecondRunUsesTheKeptTokenWithoutAuthenticating() async throws {
        let first = ScriptedTransport([KeystoneSessionTests.authStep(token: "tok-1"), .init(.get, "/servers", status: 200)])
        _ = try await session(first).send(service: .compute, path: "/servers")

        let cache = TokenCache(directory: directory)
        let path = try XCTUnwrap(cache.path(for: KeystoneSessionTests.credentials()))
        var info = stat()
        XCTAssertEqual(stat(path, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600, "the token file is private")
        XCTAssertEqual(stat(directory, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        let text = try XCTUnwrap(String(data: FileManager.default.contents(atPath: path)!, encoding: .utf8))
        XCTAssertFalse(text.contains("devstacker"), "the password is never written")

        let second = ScriptedTransport([.init(.get, "/servers", status: 200)])
        let later = session(second)
        _ = try await later.send(service: .compute, path: "/servers")
        let requests = await second.requests
        XCTAssertEqual(requests.map(\.url.path), ["/v2.1/servers"], "no Keystone round trip")
        XCTAssertEqual(requests.first?.header("X-Auth-Token"), "tok-1")
        let count = await later.authenticationCount
        XCTAssertEqual(count, 0)
    }

    func testAnExpiringOrRefusedTokenIsReplacedAndTheFileWithIt() async throws {
        let first = ScriptedTransport([KeystoneSessionTests.authStep(token: "tok-1")])
        _ = try await session(first).validToken()

        // Four minutes before expiry: inside the renewal margin, so a new token is fetched.
        let nearExpiry = ScriptedTransport([KeystoneSessionTests.authStep(token: "tok-2")])
        let renewed = try await session(nearExpiry, hoursBeforeExpiry: 4.0 / 60).validToken()
        XCTAssertEqual(renewed.value.exposedValue, "tok-2")

        // A kept token the cloud refuses (revoked): one new token, the request retried, the file replaced.
        let revoked = ScriptedTransport([
            .init(.get, "/servers", status: 401),
            KeystoneSessionTests.authStep(token: "tok-3"),
            .init(.get, "/servers", status: 200),
        ])
        _ = try await session(revoked).send(service: .compute, path: "/servers")
        let kept = TokenCache(directory: directory).load(for: KeystoneSessionTests.credentials())
        XCTAssertEqual(kept?.subject, "tok-3")
    }

    func testAnotherIdentityOrABrokenOrForeignFileIsNotUsed() async throws {
        let first = ScriptedTransport([KeystoneSessionTests.authStep(token: "tok-1")])
        _ = try await session(first).validToken()
        let cache = TokenCache(directory: directory)
        let path = try XCTUnwrap(cache.path(for: KeystoneSessionTests.credentials()))

        let other = KeystoneSessionTests.credentials(password: "another")
        var demo = other
        demo.project = ProjectScope(project: .name("demo"), domain: .name("Default"))
        XCTAssertNotEqual(cache.path(for: demo), path, "another project keeps its own token")

        chmod(path, 0o644)
        XCTAssertNil(cache.load(for: KeystoneSessionTests.credentials()), "a file others can read is not trusted")
        chmod(path, 0o600)
        try Data("tok-1\nnot json".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o600)
        let broken = ScriptedTransport([KeystoneSessionTests.authStep(token: "tok-2")])
        let token = try await session(broken).validToken()
        XCTAssertEqual(token.value.exposedValue, "tok-2", "a broken file means a fresh login, not an error")
    }
}

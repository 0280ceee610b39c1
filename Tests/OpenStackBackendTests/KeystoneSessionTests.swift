import Foundation
import Synchronization
import XCTest
@testable import OpenStackBackend
import StacktopServices
import StacktopTestSupport

/// A clock the test moves by hand.
final class TestClock: Sendable {
    private let now: Mutex<Date>
    init(_ start: Date) { now = Mutex(start) }
    func advance(_ seconds: TimeInterval) { now.withLock { $0 += seconds } }
    var read: @Sendable () -> Date { { [self] in now.withLock { $0 } } }
}

final class KeystoneSessionTests: XCTestCase {
    static let expiry = "2015-11-07T02:58:43.578887Z"
    static let expiryDate = OpenStackDate.parse(expiry)!
    static let computeURL = "http://nova.example.com:8774/v2.1"

    static func credentials(password: String = "devstacker") -> KeystoneCredentials {
        KeystoneCredentials(authURL: URL(string: "http://keystone.example.com:5000")!,
                            method: .password(user: .name("admin"), password: Secret(password), userDomain: .name("Default")),
                            project: ProjectScope(project: .name("admin"), domain: .name("Default")),
                            region: "RegionOne", interface: .public)
    }

    static func authStep(token: String, expiresAt: String = expiry) -> ScriptedTransport.Step {
        .init(.post, "/v3/auth/tokens", status: 201, headers: ["X-Subject-Token": token],
              body: KeystoneFixture.tokenBody(services: [KeystoneFixture.service("compute", computeURL)],
                                              expiresAt: expiresAt))
    }

    func testSendAddsTheTokenJoinsThePathAndReturnsTheRequestID() async throws {
        let transport = ScriptedTransport([
            Self.authStep(token: "tok-1"),
            .init(.get, "/v2.1/servers/detail", status: 200, headers: ["x-compute-request-id": "req-42"], body: Data("{}".utf8)),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport,
                                      clock: TestClock(Self.expiryDate - 3600).read)
        let response = try await session.send(service: .compute, path: "/servers/detail",
                                              query: [URLQueryItem(name: "all_tenants", value: "1")])
        XCTAssertEqual(response.requestID, "req-42")
        let requests = await transport.requests
        XCTAssertEqual(requests[0].url.absoluteString, "http://keystone.example.com:5000/v3/auth/tokens")
        XCTAssertNil(requests[0].header("X-Auth-Token"))
        XCTAssertEqual(requests[1].url.absoluteString, Self.computeURL + "/servers/detail?all_tenants=1")
        XCTAssertEqual(requests[1].header("x-auth-token"), "tok-1")
        XCTAssertEqual(requests[1].timeout, 30)
    }

    func testRenewsWhenLessThanFiveMinutesRemainAndNotBefore() async throws {
        let clock = TestClock(Self.expiryDate - 3600)
        let transport = ScriptedTransport([
            Self.authStep(token: "tok-1"),
            .init(.get, "/servers", status: 200),
            .init(.get, "/servers", status: 200),
            Self.authStep(token: "tok-2", expiresAt: "2015-11-07T03:58:43Z"),
            .init(.get, "/servers", status: 200),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport, clock: clock.read)
        _ = try await session.send(service: .compute, path: "servers")
        clock.advance(3600 - 301)  // 5 min 1 s left: still good
        _ = try await session.send(service: .compute, path: "servers")
        clock.advance(2)  // 4 min 59 s left: renew first
        _ = try await session.send(service: .compute, path: "servers")
        let requests = await transport.requests
        XCTAssertEqual(requests.map { $0.header("X-Auth-Token") }, [nil, "tok-1", "tok-1", nil, "tok-2"])
        let count = await session.authenticationCount
        XCTAssertEqual(count, 2)
        let remaining = await transport.remainingSteps
        XCTAssertEqual(remaining, 0)
    }

    func testA401FromAServiceReauthenticatesOnceAndRetriesOnce() async throws {
        let transport = ScriptedTransport([
            Self.authStep(token: "tok-1"),
            .init(.post, "/servers", status: 401),
            Self.authStep(token: "tok-2"),
            .init(.post, "/servers", status: 202, headers: ["X-OpenStack-Request-ID": "req-7"]),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport,
                                      clock: TestClock(Self.expiryDate - 3600).read)
        let body = Data(#"{"server": {}}"#.utf8)
        let response = try await session.send(service: .compute, method: .post, path: "servers", body: body)
        XCTAssertEqual(response.status, 202)
        XCTAssertEqual(response.requestID, "req-7")
        let requests = await transport.requests
        XCTAssertEqual(requests[3].header("X-Auth-Token"), "tok-2")
        XCTAssertEqual(requests[3].body, body)
        XCTAssertEqual(requests[3].header("Content-Type"), "application/json")
    }

    func testASecond401IsReportedAsARemoteErrorWithoutLooping() async throws {
        let transport = ScriptedTransport([
            Self.authStep(token: "tok-1"),
            .init(.get, "/servers", status: 401),
            Self.authStep(token: "tok-2"),
            .init(.get, "/servers", status: 401, headers: ["x-openstack-request-id": "req-9"],
                  body: Data(#"{"error": {"code": 401, "message": "The request you have made requires authentication.", "title": "Unauthorized"}}"#.utf8)),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport,
                                      clock: TestClock(Self.expiryDate - 3600).read)
        let error = await backendError { try await session.send(service: .compute, path: "servers", what: "Listing servers") }
        XCTAssertEqual(error, .remote(what: "Listing servers", status: 401,
                                      reason: "The request you have made requires authentication", requestID: "req-9"))
        let remaining = await transport.remainingSteps
        XCTAssertEqual(remaining, 0)
    }

    func testWrongPasswordGivesTheSentence() async throws {
        let transport = ScriptedTransport([
            .init(.post, "/v3/auth/tokens", status: 401,
                  body: Data(#"{"error":{"code":401,"message":"The request you have made requires authentication.","title":"Unauthorized"}}"#.utf8)),
        ])
        let session = KeystoneSession(credentials: Self.credentials(password: "hunter2-wrong"), transport: transport)
        let error = await backendError { try await session.endpoint(for: .compute) }
        XCTAssertEqual(error?.message, "Keystone refused the credentials for user admin (project admin (domain Default)) "
            + "on http://keystone.example.com:5000/v3: check OS_PASSWORD / the application credential.")
        XCTAssertEqual(error?.message.contains("hunter2"), false)
    }

    func testOtherStatusesAreRemoteErrorsWithTheServiceMessage() async throws {
        let transport = ScriptedTransport([
            Self.authStep(token: "tok-1"),
            .init(.get, "/servers/x", status: 404, headers: ["x-compute-request-id": "req-1"],
                  body: Data(#"{"itemNotFound": {"code": 404, "message": "Instance x could not be found."}}"#.utf8)),
            .init(.get, "/servers/y", status: 503, body: Data("503 Service Unavailable\n\nNo server is available.\n".utf8)),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport,
                                      clock: TestClock(Self.expiryDate - 3600).read)
        let notFound = await backendError {
            try await session.send(service: .compute, path: "servers/x", what: "Showing server x")
        }
        XCTAssertEqual(notFound?.message, "Showing server x failed (HTTP 404): Instance x could not be found. Request id req-1.")
        let unavailable = await backendError { try await session.send(service: .compute, path: "servers/y") }
        XCTAssertEqual(unavailable?.message,
                       "GET compute servers/y failed (HTTP 503): 503 Service Unavailable No server is available.")
    }

    func testUnreachableKeystonePassesThroughAndKeystone500IsRemote() async throws {
        let down = BackendError.unreachable(endpoint: "http://keystone.example.com:5000/v3/auth/tokens",
                                            reason: "the connection was refused")
        let transport = ScriptedTransport([
            .init(.post, "/v3/auth/tokens", failure: down),
            .init(.post, "/v3/auth/tokens", status: 500, body: Data("{}".utf8)),
        ])
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport)
        let unreachable = await backendError { try await session.authenticate() }
        XCTAssertEqual(unreachable, down)
        let failed = await backendError { try await session.authenticate() }
        guard case .remote(_, 500, let reason, _)? = failed else { return XCTFail("\(String(describing: failed))") }
        XCTAssertEqual(reason, "the service had an internal error")
    }

    func testConcurrentRequestsShareOneAuthentication() async throws {
        let transport = ScriptedTransport([Self.authStep(token: "tok-1")] + Array(repeating: .init(.get, "/servers", status: 200), count: 5))
        let session = KeystoneSession(credentials: Self.credentials(), transport: transport,
                                      clock: TestClock(Self.expiryDate - 3600).read)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 { group.addTask { _ = try await session.send(service: .compute, path: "servers") } }
            try await group.waitForAll()
        }
        let count = await session.authenticationCount
        XCTAssertEqual(count, 1)
    }
}

final class KeystoneRefusalTests: XCTestCase {
    func testAnUnknownApplicationCredentialIsARefusalNamingIt() async throws {
        let transport = ScriptedTransport([
            .init(.post, "/v3/auth/tokens", status: 404,
                  body: Data(#"{"error": {"code": 404, "message": "Could not find Application Credential: ac9.", "title": "Not Found"}}"#.utf8)),
        ])
        let credentials = KeystoneCredentials(
            authURL: URL(string: "https://keystone.example.com/identity")!,
            method: .applicationCredential(credential: .id("ac9"), secret: Secret("s3cr3t-value"), user: nil, userDomain: nil))
        let session = KeystoneSession(credentials: credentials, transport: transport)
        let error = await backendError { try await session.authenticate() }
        XCTAssertEqual(error?.message, "Keystone refused the credentials for application credential ac9 on "
            + "https://keystone.example.com/identity/v3: it does not exist (wrong id or name, or deleted); "
            + "check the application credential.")
        XCTAssertEqual(error?.isRefusal, true)
    }
}

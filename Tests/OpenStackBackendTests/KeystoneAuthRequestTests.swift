import Foundation
import XCTest
@testable import OpenStackBackend

final class KeystoneAuthRequestTests: XCTestCase {
    private let authURL = URL(string: "http://127.0.0.1:5000/v3")!

    private func json(_ data: Data) throws -> NSDictionary {
        try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? NSDictionary)
    }

    /// The api-ref's password samples log in as this user.
    private let sampleUser = KeystoneAuthMethod.password(user: .id("ee4dfb6e5540447cb3741905149d9b6e"),
                                                         password: Secret("devstacker"), userDomain: nil)

    /// The body stacktop sends for `credentials` is, as JSON, the api-ref's `sample`.
    private func assertBody(of credentials: KeystoneCredentials, is sample: String, file: StaticString = #filePath,
                            line: UInt = #line) throws {
        XCTAssertEqual(try json(KeystoneAuthRequest.body(for: credentials)), try json(KeystoneSamples.data(sample)),
                       file: file, line: line)
    }

    private func lookup(_ object: NSDictionary, _ path: String) -> Any? {
        var current: Any? = object
        for key in path.split(separator: ".") { current = (current as? NSDictionary)?[String(key)] }
        return current
    }

    func testPasswordByUserIDScopedByProjectNameMatchesTheSample() throws {
        let credentials = KeystoneCredentials(
            authURL: authURL,
            method: sampleUser,
            project: ProjectScope(project: .name("admin"), domain: .id("default")))
        try assertBody(of: credentials, is: KeystoneSamples.projectNamePasswordRequest)
    }

    func testPasswordScopedByProjectIDMatchesTheSample() throws {
        let credentials = KeystoneCredentials(
            authURL: authURL,
            method: sampleUser,
            project: ProjectScope(project: .id("a6944d763bf64ee6a275f1263fae0352")))
        try assertBody(of: credentials, is: KeystoneSamples.projectIDPasswordRequest)
    }

    func testApplicationCredentialByIDMatchesTheSampleAndCarriesNoScope() throws {
        let credentials = KeystoneCredentials(
            authURL: authURL,
            method: .applicationCredential(credential: .id("423f19a4ac1e4f48bbb4180756e6eb6c"),
                                           secret: Secret("rEaqvJka48mpv"), user: nil, userDomain: nil),
            project: ProjectScope(project: .name("ignored")))
        try assertBody(of: credentials, is: KeystoneSamples.applicationCredentialIDRequest)
    }

    func testApplicationCredentialByNameMatchesTheSample() throws {
        let credentials = KeystoneCredentials(
            authURL: authURL,
            method: .applicationCredential(credential: .name("monitoring"), secret: Secret("rEaqvJka48mpv"),
                                           user: .id("423f19a4ac1e4f48bbb4180756e6eb6c"), userDomain: nil))
        try assertBody(of: credentials, is: KeystoneSamples.applicationCredentialNameRequest)
    }

    func testPasswordByNameCarriesBothDomainsAndTokenMethodCarriesTheToken() throws {
        let byName = KeystoneCredentials(
            authURL: authURL, method: .password(user: .name("demo"), password: Secret("pw"), userDomain: .name("Default")),
            project: ProjectScope(project: .name("demo"), domain: .name("Default")))
        let body = try json(KeystoneAuthRequest.body(for: byName))
        XCTAssertEqual(lookup(body, "auth.identity.password.user.domain.name") as? String, "Default")
        XCTAssertEqual(lookup(body, "auth.scope.project.domain.name") as? String, "Default")

        let byToken = KeystoneCredentials(authURL: authURL, method: .token(Secret("gAAAA-token")),
                                          project: ProjectScope(project: .id("p1")))
        let tokenBody = try json(KeystoneAuthRequest.body(for: byToken))
        XCTAssertEqual(lookup(tokenBody, "auth.identity.methods") as? [String], ["token"])
        XCTAssertEqual(lookup(tokenBody, "auth.identity.token.id") as? String, "gAAAA-token")
        XCTAssertEqual(lookup(tokenBody, "auth.scope.project.id") as? String, "p1")
    }

    func testAuthURLGetsV3OnceWhateverTheConfiguredForm() {
        for text in ["http://h:5000", "http://h:5000/", "http://h:5000/v3", "http://h:5000/v3/"] {
            let credentials = KeystoneCredentials(authURL: URL(string: text)!, method: .token(Secret("t")))
            XCTAssertEqual(credentials.identityV3URL.absoluteString, "http://h:5000/v3", text)
        }
        let devstack = KeystoneCredentials(authURL: URL(string: "https://cloud/identity")!, method: .token(Secret("t")))
        XCTAssertEqual(devstack.identityV3URL.absoluteString, "https://cloud/identity/v3")
    }
}

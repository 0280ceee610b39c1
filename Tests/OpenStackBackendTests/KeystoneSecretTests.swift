import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices

final class KeystoneSecretTests: XCTestCase {
    private let password = "pa55-Secret-word"
    private let appSecret = "rEaqvJka48mpv-app"
    private let tokenValue = "gAAAAABsecret-token-value"

    private func renderings(_ value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    private func assertNoSecret(_ value: Any, file: StaticString = #filePath, line: UInt = #line) {
        for text in renderings(value) {
            for secret in [password, appSecret, tokenValue] {
                XCTAssertFalse(text.contains(secret), "secret leaked in: \(text)", file: file, line: line)
            }
        }
    }

    func testCredentialsMethodsAndSecretsNeverPrintTheSecret() {
        let byPassword = KeystoneCredentials(authURL: URL(string: "http://127.0.0.1:5000/v3")!,
                                             method: .password(user: .name("admin"), password: Secret(password), userDomain: .name("Default")),
                                             project: ProjectScope(project: .name("admin")))
        let byAppCred = KeystoneCredentials(authURL: URL(string: "http://127.0.0.1:5000/v3")!,
                                            method: .applicationCredential(credential: .id("ac1"), secret: Secret(appSecret),
                                                                           user: nil, userDomain: nil))
        let byToken = KeystoneCredentials(authURL: URL(string: "http://127.0.0.1:5000/v3")!, method: .token(Secret(tokenValue)))
        for value: Any in [byPassword, byAppCred, byToken, byPassword.method, byAppCred.method, byToken.method,
                           Secret(password)] {
            assertNoSecret(value)
        }
        XCTAssertTrue(String(describing: byPassword).contains("user admin"))
    }

    func testTokensRequestsAndResponsesNeverPrintTheTokenOrPassword() throws {
        let token = try KeystoneToken(value: Secret(tokenValue),
                                      body: KeystoneSamples.data(KeystoneSamples.projectScopedPassword))
        assertNoSecret(token)
        let credentials = KeystoneSessionTests.credentials(password: password)
        let authRequest = HTTPRequest(method: .post, url: credentials.identityV3URL,
                                      headers: ["X-Auth-Token": tokenValue], body: try KeystoneAuthRequest.body(for: credentials))
        assertNoSecret(authRequest)
        assertNoSecret(HTTPResponse(status: 201, headers: ["X-Subject-Token": tokenValue]))
    }

    func testErrorsFromEveryFailedAuthNeverCarryTheSecret() async throws {
        let methods: [KeystoneAuthMethod] = [
            .password(user: .name("admin"), password: Secret(password), userDomain: .name("Default")),
            .applicationCredential(credential: .name("ac"), secret: Secret(appSecret), user: .name("demo"), userDomain: .name("Default")),
            .token(Secret(tokenValue)),
        ]
        for method in methods {
            for status in [401, 400, 500] {
                // A hostile body that echoes the request must not leak it either: only "message" is read.
                let echo = Data(#"{"error": {"message": "bad request"}, "request": "\#(password)\#(appSecret)\#(tokenValue)"}"#.utf8)
                let transport = ScriptedTransport([.init(.post, "/auth/tokens", status: status, body: echo)])
                let credentials = KeystoneCredentials(authURL: URL(string: "http://127.0.0.1:5000")!, method: method)
                let session = KeystoneSession(credentials: credentials, transport: transport)
                do {
                    try await session.authenticate()
                    XCTFail("expected an error")
                } catch {
                    assertNoSecret(error)
                    assertNoSecret((error as? BackendError)?.message ?? "")
                }
                assertNoSecret(session)
            }
        }
    }
}

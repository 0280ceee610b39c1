import XCTest
@testable import OpenStackBackend

/// Printing a configuration, in any of the ways Swift prints things, never shows a secret.
final class CloudConfigRedactionTests: XCTestCase {
    private let secrets = ["hunter2-password", "app-cred-secret-value", "gAAAAA-token-value"]

    private var config: CloudConfig {
        CloudConfig(name: "prod", authType: .password, authURL: "https://keystone.example/v3", username: "alice",
                    password: secrets[0], projectName: "ops", applicationCredentialID: "cred-id",
                    applicationCredentialSecret: secrets[1], token: secrets[2], regionName: "RegionOne",
                    serviceOverrides: ["compute": ServiceOverride(apiVersion: "2.79")])
    }

    private func assertRedacted(_ text: String, _ how: String, file: StaticString = #filePath, line: UInt = #line) {
        for secret in secrets {
            XCTAssertFalse(text.contains(secret), "\(how) leaks \(secret): \(text)", file: file, line: line)
        }
        XCTAssertTrue(text.contains("<redacted>"), "\(how) does not mark redaction: \(text)", file: file, line: line)
        XCTAssertTrue(text.contains("alice") && text.contains("RegionOne") && text.contains("cred-id"),
                      "\(how) lost the non-secret fields: \(text)", file: file, line: line)
    }

    func testDescriptionRedactsSecrets() {
        assertRedacted(config.description, "description")
        assertRedacted("\(config)", "interpolation")
        assertRedacted(String(describing: config), "String(describing:)")
    }

    func testDebugOutputRedactsSecrets() {
        assertRedacted(config.debugDescription, "debugDescription")
        assertRedacted(String(reflecting: config), "String(reflecting:)")
        var dumped = ""
        dump(config, to: &dumped)
        assertRedacted(dumped, "dump")
        let mirrored = Mirror(reflecting: config).children.map { "\($0.label ?? ""): \($0.value)" }.joined()
        assertRedacted(mirrored, "Mirror")
    }

    func testSecretsInsideCollectionsAreRedactedToo() {
        assertRedacted("\([config])", "array interpolation")
        assertRedacted(String(describing: Optional(config)), "optional")
    }

    func testUnsetSecretsAreNotShownAsRedacted() {
        var plain = config
        plain.password = nil; plain.applicationCredentialSecret = nil; plain.token = nil
        XCTAssertFalse(plain.description.contains("<redacted>"))
        XCTAssertFalse(plain.description.contains("password:"))
    }

    func testRedactionDoesNotChangeTheValues() {
        XCTAssertEqual(config.password, secrets[0])
        XCTAssertEqual(config.token, secrets[2])
    }

    func testErrorsAboutACloudDoNotQuoteItsSecrets() throws {
        let fx = try CloudConfigFixture()
        defer { fx.remove() }
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              c:
                auth:
                  username: alice
                  password: \(secrets[0])
                  application_credential_secret: \(secrets[1])
                interface: nowhere
            """)
        let missing = fx.error(cloud: "c")
        XCTAssertEqual(missing?.key, "auth_url")
        let bad = fx.error(cloud: "c", flags: ConfigFlags(authURL: "https://k/v3"))
        XCTAssertEqual(bad?.kind, .badInterface)
        for message in [missing?.message ?? "", bad?.message ?? ""] {
            for secret in secrets { XCTAssertFalse(message.contains(secret), message) }
        }
    }
}

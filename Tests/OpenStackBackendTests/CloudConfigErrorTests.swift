import XCTest
@testable import OpenStackBackend

/// Every way configuration can be unusable, and that each message says where and what to do.
final class CloudConfigErrorTests: XCTestCase {
    private var fx: CloudConfigFixture!
    override func setUpWithError() throws { fx = try CloudConfigFixture() }
    override func tearDown() { fx.remove() }

    private var cloudsPath: String { fx.userDir + "/clouds.yaml" }

    /// The error loading cloud `c` gives when clouds.yaml holds only `c`, a password cloud whose last line,
    /// line 8, is `setting`.
    private func errorOfCloudC(setting: String, env: [String: String] = [:], file: StaticString = #filePath,
                               line: UInt = #line) throws -> CloudConfigError? {
        try fx.write(cloudsPath, "clouds:\n" + passwordCloud("c", extra: "    " + setting))
        return fx.error(cloud: "c", env: env, file: file, line: line)
    }

    /// `setting` in the file: an error of `kind` that names line 8 and says `message`.
    private func assertRefusedOnLine8(setting: String, kind: CloudConfigError.Kind, message: String,
                                      file: StaticString = #filePath, line: UInt = #line) throws {
        let error = try errorOfCloudC(setting: setting, file: file, line: line)
        XCTAssertEqual(error?.kind, kind, file: file, line: line)
        XCTAssertEqual(error?.line, 8, file: file, line: line)
        XCTAssertEqual(error?.message, message, file: file, line: line)
    }

    /// One sentence: a capital letter, a single final period, no line breaks.
    private func assertOneSentence(_ error: CloudConfigError?, file: StaticString = #filePath, line: UInt = #line) {
        guard let message = error?.message else { return XCTFail("no error", file: file, line: line) }
        XCTAssertTrue(message.first?.isUppercase == true || message.first == "/", message, file: file, line: line)
        XCTAssertTrue(message.hasSuffix("."), message, file: file, line: line)
        XCTAssertFalse(message.contains("\n"), message, file: file, line: line)
        XCTAssertEqual(error?.description, message, file: file, line: line)
    }

    func testNothingConfigured() {
        let error = fx.error()
        XCTAssertEqual(error?.kind, .noConfiguration)
        XCTAssertTrue(error?.message.hasPrefix("No OpenStack cloud is configured: there is no clouds.yaml in \(fx.cwd)") == true)
        XCTAssertTrue(error?.message.hasSuffix("put a clouds.yaml in ~/.config/openstack/ or source an openrc file.") == true)
        XCTAssertTrue(error?.message.contains(fx.etc) == true)
        assertOneSentence(error)
    }

    func testOnlySelectorVariablesAreNotAConfiguration() {
        XCTAssertEqual(fx.error(env: ["OS_REGION_NAME": "R", "OS_TEST_PATH": "x"])?.kind, .noConfiguration)
    }

    func testFileWithoutClouds() throws {
        try fx.write(cloudsPath, "cache:\n  expiration_time: 3600\n")
        let error = fx.error()
        XCTAssertEqual(error?.kind, .noConfiguration)
        XCTAssertEqual(error?.file, cloudsPath)
        XCTAssertTrue(error?.message.contains("\(cloudsPath) defines no clouds") == true)
        assertOneSentence(error)
    }

    func testCloudNameNotInFileListsTheNames() throws {
        try fx.write(cloudsPath, "clouds:\n" + passwordCloud("prod") + passwordCloud("staging"))
        let error = fx.error(cloud: "Prod")
        XCTAssertEqual(error?.kind, .cloudNotFound)
        XCTAssertEqual(error?.key, "Prod")
        XCTAssertEqual(error?.message, "No cloud named \"Prod\" in \(cloudsPath), which defines only prod, staging; "
            + "check the spelling (names are case-sensitive) or add it under clouds:.")
    }

    func testOSCloudWithoutAnyFile() {
        let error = fx.error(env: ["OS_CLOUD": "prod"])
        XCTAssertEqual(error?.kind, .cloudNotFound)
        XCTAssertTrue(error?.message.contains("there is no clouds.yaml in") == true)
        assertOneSentence(error)
    }

    func testSeveralCloudsAndNoneChosen() throws {
        try fx.write(cloudsPath, "clouds:\n" + passwordCloud("a") + passwordCloud("b"))
        let error = fx.error()
        XCTAssertEqual(error?.kind, .noCloudSelected)
        XCTAssertEqual(error?.message, "\(cloudsPath) defines several clouds (a, b) and none was chosen; "
            + "pass --os-cloud NAME or set OS_CLOUD.")
    }

    func testMalformedYAMLNamesFileAndLine() throws {
        try fx.write(cloudsPath, "clouds:\n  prod:\n    auth:\n\tauth_url: x\n")
        let error = fx.error(cloud: "prod")
        XCTAssertEqual(error?.kind, .malformedFile)
        XCTAssertEqual(error?.file, cloudsPath)
        XCTAssertEqual(error?.line, 4)
        XCTAssertTrue(error?.message.hasPrefix("\(cloudsPath) is not valid YAML at line 4") == true, error?.message ?? "")
        XCTAssertTrue(error?.message.hasSuffix("; fix the file or move it aside.") == true)
    }

    func testMalformedSecureYamlIsReportedToo() throws {
        try fx.write(cloudsPath, "clouds:\n" + passwordCloud("c"))
        try fx.write(fx.userDir + "/secure.yaml", "clouds:\n  c: {auth: [\n")
        let error = fx.error(cloud: "c")
        XCTAssertEqual(error?.kind, .malformedFile)
        XCTAssertEqual(error?.file, fx.userDir + "/secure.yaml")
    }

    func testWrongShapes() throws {
        try fx.write(cloudsPath, "- just\n- a list\n")
        XCTAssertEqual(fx.error()?.message, "\(cloudsPath) holds a list at the top, not a mapping; it must start "
            + "with a clouds: key with one entry per cloud.")

        try fx.write(cloudsPath, "clouds: prod\n")
        let notMapping = fx.error()
        XCTAssertEqual(notMapping?.line, 1)
        XCTAssertEqual(notMapping?.key, "clouds")

        try fx.write(cloudsPath, "clouds:\n  prod: yes\n")
        let cloud = fx.error(cloud: "prod")
        XCTAssertEqual(cloud?.message, "Cloud \"prod\" on line 2 of \(cloudsPath) is a single value, not a mapping; "
            + "indent its auth: and other settings under the name.")

        try fx.write(cloudsPath, "clouds:\n  prod:\n    auth: https://k/v3\n")
        let auth = fx.error(cloud: "prod")
        XCTAssertEqual(auth?.key, "auth")
        XCTAssertEqual(auth?.line, 3)
        assertOneSentence(auth)

        try fx.write(cloudsPath, "clouds:\n  prod:\n    auth:\n      password: [a, b]\n")
        let value = fx.error(cloud: "prod")
        XCTAssertEqual(value?.key, "auth.password")
        XCTAssertEqual(value?.line, 4)
        assertOneSentence(value)
    }

    func testMissingAuthURLInCloudsYaml() throws {
        try fx.write(cloudsPath, "clouds:\n  prod:\n    auth:\n      username: u\n      password: p\n")
        let error = fx.error(cloud: "prod")
        XCTAssertEqual(error?.kind, .missingValue)
        XCTAssertEqual(error?.key, "auth_url")
        XCTAssertEqual(error?.file, cloudsPath)
        XCTAssertEqual(error?.line, 2)
        XCTAssertEqual(error?.message, "No auth_url (the Keystone URL) is set for cloud \"prod\" (line 2 of "
            + "\(cloudsPath)); add auth_url: under its auth: section, or pass --os-auth-url.")
    }

    func testMissingAuthURLWithAVendorProfileSaysProfilesAreNotSupported() throws {
        try fx.write(cloudsPath, "clouds:\n  v:\n    profile: vexxhost\n    auth:\n      username: u\n      password: p\n")
        let error = fx.error(cloud: "v")
        XCTAssertEqual(error?.key, "auth_url")
        XCTAssertTrue(error?.message.contains("the vendor profile \"vexxhost\" is not supported here") == true)
        assertOneSentence(error)
    }

    func testOversizedFileIsRefused() throws {
        try fx.write(cloudsPath, "# " + String(repeating: "x", count: 4 << 20) + "\n")
        let error = fx.error()
        XCTAssertEqual(error?.kind, .malformedFile)
        XCTAssertEqual(error?.file, cloudsPath)
        assertOneSentence(error)
    }

    func testMissingCredentialsFromEnvironment() {
        let noPassword = fx.error(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u"])
        XCTAssertEqual(noPassword?.key, "password")
        XCTAssertEqual(noPassword?.message, "No password is set for the cloud made from OS_* variables; "
            + "set OS_PASSWORD (source your openrc file again) or pass --os-password.")
        XCTAssertEqual(fx.error(env: ["OS_AUTH_URL": "https://k/v3", "OS_PASSWORD": "p"])?.key, "username")
        XCTAssertEqual(fx.error(env: ["OS_USERNAME": "u", "OS_PASSWORD": "p"])?.key, "auth_url")
        XCTAssertEqual(fx.error(env: ["OS_AUTH_URL": "https://k/v3", "OS_AUTH_TYPE": "token"])?.key, "token")
        let appCred = fx.error(env: ["OS_AUTH_URL": "https://k/v3", "OS_AUTH_TYPE": "v3applicationcredential",
                                     "OS_APPLICATION_CREDENTIAL_ID": "id"])
        XCTAssertEqual(appCred?.key, "application_credential_secret")
        assertOneSentence(appCred)
    }

    func testApplicationCredentialWithoutAuthTypeGetsAHint() {
        let error = fx.error(env: ["OS_AUTH_URL": "https://k/v3", "OS_APPLICATION_CREDENTIAL_ID": "id",
                                   "OS_APPLICATION_CREDENTIAL_SECRET": "s"])
        XCTAssertEqual(error?.key, "username")
        XCTAssertTrue(error?.message.contains("auth_type: v3applicationcredential") == true)
    }

    func testUnknownAuthType() throws {
        try assertRefusedOnLine8(setting: "auth_type: v3oidcpassword", kind: .unknownAuthType,
                                 message: "The auth type \"v3oidcpassword\" set on line 8 of \(cloudsPath) is not "
                                     + "supported; use password, v3password, token, v3token or v3applicationcredential.")
    }

    func testBadInterfaceNamesItsSource() throws {
        try assertRefusedOnLine8(setting: "interface: publik", kind: .badInterface,
                                 message: "The interface \"publik\" set on line 8 of \(cloudsPath) is not one of "
                                     + "public, internal or admin; change it to one of those.")
        let fromEnv = fx.error(cloud: "c", env: ["OS_INTERFACE": "private"])
        XCTAssertTrue(fromEnv?.message.contains("set in OS_INTERFACE") == true)
        XCTAssertNil(fromEnv?.file)
        let fromFlag = fx.error(cloud: "c", flags: ConfigFlags(interface: "x"))
        XCTAssertTrue(fromFlag?.message.contains("set with --os-interface") == true)
    }

    func testMissingCacert() throws {
        let error = try errorOfCloudC(setting: "cacert: /nonexistent/ca.pem")
        XCTAssertEqual(error?.kind, .cacertMissing)
        XCTAssertEqual(error?.key, "cacert")
        XCTAssertEqual(error?.message, "The CA bundle /nonexistent/ca.pem set on line 8 of \(cloudsPath) does not "
            + "exist; fix the cacert path or remove it to trust the system certificates.")
    }

    func testRegionNotListedByTheCloud() throws {
        let error = try errorOfCloudC(setting: "regions: [West, East]", env: ["OS_REGION_NAME": "west"])
        XCTAssertEqual(error?.kind, .unknownRegion)
        XCTAssertTrue(error?.message.contains("which lists West, East") == true)
        XCTAssertTrue(error?.message.contains("from OS_REGION_NAME") == true)
        assertOneSentence(error)
    }

    func testFileCloudNamedLikeTheEnvvarsCloud() throws {
        try fx.write(cloudsPath, "clouds:\n" + passwordCloud("envvars"))
        let error = fx.error()
        XCTAssertEqual(error?.kind, .nameConflict)
        XCTAssertEqual(error?.line, 2)
        assertOneSentence(error)
    }
}

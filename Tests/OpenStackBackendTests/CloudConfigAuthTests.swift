import XCTest
@testable import OpenStackBackend

/// Auth types, domains, TLS and per-service settings as resolved from each kind of source.
final class CloudConfigAuthTests: XCTestCase {
    private var fx: CloudConfigFixture!
    override func setUpWithError() throws { fx = try CloudConfigFixture() }
    override func tearDown() { fx.remove() }

    func testOpenrcOnlyConfiguration() throws {
        let config = try fx.load(env: [
            "OS_AUTH_URL": "https://keystone.example:5000/v3", "OS_USERNAME": "alice", "OS_PASSWORD": "pw",
            "OS_PROJECT_NAME": "demo", "OS_USER_DOMAIN_NAME": "Default", "OS_PROJECT_DOMAIN_ID": "default",
            "OS_REGION_NAME": "RegionOne", "OS_IDENTITY_API_VERSION": "3", "OS_INTERFACE": "public",
            "OS_COMPUTE_API_VERSION": "2.79",
        ])
        XCTAssertEqual(config, CloudConfig(
            name: "envvars", authType: .password, authURL: "https://keystone.example:5000/v3", username: "alice",
            password: "pw", projectName: "demo", userDomainName: "Default", projectDomainID: "default",
            regionName: "RegionOne", interface: .public, verifyTLS: true, identityAPIVersion: "3",
            serviceOverrides: ["compute": ServiceOverride(apiVersion: "2.79")]))
    }

    func testOSCloudNameRenamesTheEnvvarsCloud() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_CLOUD_NAME": "from-openrc"])
        XCTAssertEqual(config.name, "from-openrc")
    }

    func testApplicationCredentialFromCloudsYaml() throws {
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              ci:
                auth_type: v3applicationcredential
                auth:
                  auth_url: https://keystone.example/v3
                  application_credential_id: 21dced0fd20347869b93710d2b98aae0
                  application_credential_secret: shh
                region_name: RegionOne
            """)
        let config = try fx.load(cloud: "ci")
        XCTAssertEqual(config.authType, .applicationCredential)
        XCTAssertEqual(config.applicationCredentialID, "21dced0fd20347869b93710d2b98aae0")
        XCTAssertEqual(config.applicationCredentialSecret, "shh")
        // Application credentials are scoped already: no default domains are added.
        XCTAssertNil(config.projectDomainID)
        XCTAssertNil(config.userDomainID)
    }

    func testApplicationCredentialByNameNeedsAUser() throws {
        let env = ["OS_AUTH_TYPE": "v3applicationcredential", "OS_AUTH_URL": "https://k/v3",
                   "OS_APPLICATION_CREDENTIAL_NAME": "ci", "OS_APPLICATION_CREDENTIAL_SECRET": "shh"]
        XCTAssertEqual(fx.error(env: env)?.key, "application_credential_id")
        var withUser = env
        withUser["OS_USERNAME"] = "bot"
        let config = try fx.load(env: withUser)
        XCTAssertEqual(config.applicationCredentialName, "ci")
        XCTAssertEqual(config.username, "bot")
    }

    func testAuthTypeSpellingsAreNormalised() throws {
        XCTAssertEqual(AuthType(configValue: "v3password"), .password)
        XCTAssertEqual(AuthType(configValue: "Password"), .password)
        XCTAssertEqual(AuthType(configValue: "v3token"), .token)
        XCTAssertEqual(AuthType(configValue: "applicationcredential"), .applicationCredential)
        XCTAssertEqual(AuthType(configValue: "v3_application_credential"), .applicationCredential)
        XCTAssertNil(AuthType(configValue: "v3oidcpassword"))
    }

    func testTokenIsChosenWhenThereIsATokenAndNoUser() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_TOKEN": "gAAAA", "OS_PROJECT_ID": "p1"])
        XCTAssertEqual(config.authType, .token)
        XCTAssertEqual(config.token, "gAAAA")
        XCTAssertEqual(config.projectDomainID, "default")
        XCTAssertNil(config.userDomainID)
    }

    func testDefaultDomainFillsMissingDomainsOnV3Only() throws {
        let env = ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p", "OS_PROJECT_NAME": "x"]
        let v3 = try fx.load(env: env)
        XCTAssertEqual(v3.userDomainID, "default")
        XCTAssertEqual(v3.projectDomainID, "default")
        var custom = env
        custom["OS_DEFAULT_DOMAIN"] = "corp"
        XCTAssertEqual(try fx.load(env: custom).userDomainID, "corp")
        var v2 = env
        v2["OS_IDENTITY_API_VERSION"] = "2.0"
        XCTAssertNil(try fx.load(env: v2).userDomainID)
    }

    func testDomainNameStandsForBothDomainsWhenAProjectIsGiven() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_PROJECT_NAME": "x", "OS_DOMAIN_NAME": "Corp",
                                       "OS_USER_DOMAIN_NAME": "Users"])
        XCTAssertEqual(config.userDomainName, "Users")
        XCTAssertEqual(config.projectDomainName, "Corp")
        XCTAssertNil(config.domainName)
        XCTAssertNil(config.projectDomainID)
    }

    func testDomainNameIsADomainScopeWithoutAProject() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_DOMAIN_NAME": "Corp"])
        XCTAssertEqual(config.domainName, "Corp")
    }

    func testVerifyFalseTurnsVerificationOff() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n"
            + passwordCloud("off", extra: "    verify: false")
            + passwordCloud("quoted", extra: "    verify: 'no'")
            + passwordCloud("on", extra: "    verify: true")
            + passwordCloud("insecure", extra: "    insecure: True")
            + passwordCloud("plain"))
        XCTAssertFalse(try fx.load(cloud: "off").verifyTLS)
        XCTAssertFalse(try fx.load(cloud: "quoted").verifyTLS)
        XCTAssertTrue(try fx.load(cloud: "on").verifyTLS)
        XCTAssertFalse(try fx.load(cloud: "insecure").verifyTLS)
        XCTAssertTrue(try fx.load(cloud: "plain").verifyTLS)
    }

    func testInsecureAndVerifyFlagsWin() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n"
            + passwordCloud("off", extra: "    verify: false") + passwordCloud("on"))
        XCTAssertFalse(try fx.load(cloud: "on", flags: ConfigFlags(insecure: true)).verifyTLS)
        XCTAssertTrue(try fx.load(cloud: "off", flags: ConfigFlags(insecure: false)).verifyTLS)
    }

    func testCacertIsResolvedAgainstTheCurrentDirectory() throws {
        try fx.write(fx.cwd + "/certs/ca.pem", "PEM")
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_CACERT": "certs/ca.pem"])
        XCTAssertEqual(config.cacert, fx.cwd + "/certs/ca.pem")
        XCTAssertTrue(config.verifyTLS)
    }

    func testMissingCacertIsHarmlessWhenVerificationIsOff() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n"
            + passwordCloud("c", extra: "    verify: false\n    cacert: /nonexistent/ca.pem"))
        XCTAssertFalse(try fx.load(cloud: "c").verifyTLS)
    }

    func testServiceOverridesAreCollected() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", extra: """
                compute_api_version: 2.95
                volume_api_version: 3
                image_endpoint_override: https://glance.internal:9292
                identity_api_version: 3
            """))
        let config = try fx.load(cloud: "c")
        XCTAssertEqual(config.serviceOverride(for: .compute)?.apiVersion, "2.95")
        XCTAssertEqual(config.serviceOverride(for: .blockStorage)?.apiVersion, "3")
        XCTAssertEqual(config.serviceOverride(for: .image)?.endpointOverride, "https://glance.internal:9292")
        XCTAssertNil(config.serviceOverride(for: .network))
        XCTAssertNil(config.serviceOverrides["identity"])
        XCTAssertEqual(config.identityAPIVersion, "3")
    }

    func testNumericLookingPasswordKeepsItsDigits() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", password: "00123"))
        XCTAssertEqual(try fx.load(cloud: "c").password, "00123")
    }
}

import XCTest
@testable import OpenStackBackend

/// Which cloud is chosen, and which source wins for each value: flags, then OS_* (CLI mode), then
/// secure.yaml over clouds.yaml, then defaults.
final class CloudConfigPrecedenceTests: XCTestCase {
    private var fx: CloudConfigFixture!
    override func setUpWithError() throws { fx = try CloudConfigFixture() }
    override func tearDown() { fx.remove() }

    private let openrc = [
        "OS_AUTH_URL": "https://env.example/v3", "OS_USERNAME": "env-user", "OS_PASSWORD": "env-pass",
        "OS_PROJECT_NAME": "env-project", "OS_REGION_NAME": "RegionOne", "OS_INTERFACE": "internal",
    ]

    func testFlagCloudBeatsOSCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("a", user: "ann") + passwordCloud("b", user: "bob"))
        XCTAssertEqual(try fx.load(cloud: "b", env: ["OS_CLOUD": "a"]).username, "bob")
        XCTAssertEqual(try fx.load(cloud: nil, env: ["OS_CLOUD": "a"]).username, "ann")
    }

    func testOnlyCloudInFileIsUsedWhenNoneIsNamed() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("solo"))
        XCTAssertEqual(try fx.load().name, "solo")
    }

    func testOpenrcVariablesWinOverASingleFileCloudWhenNoCloudIsNamed() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("solo"))
        let config = try fx.load(env: openrc)
        XCTAssertEqual(config.name, "envvars")
        XCTAssertEqual(config.username, "env-user")
        XCTAssertNil(config.sourceFile)
    }

    func testRegionNameAloneDoesNotMakeAnEnvvarsCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("solo"))
        let config = try fx.load(env: ["OS_REGION_NAME": "RegionX", "OS_CLOUD_NAME": "mine"])
        XCTAssertEqual(config.name, "solo")
        XCTAssertEqual(config.regionName, "RegionX")
    }

    func testCLIModeLetsOSVariablesOverrideANamedCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("prod", extra: "    interface: admin"))
        let config = try fx.load(cloud: "prod", env: openrc)
        XCTAssertEqual(config.name, "prod")
        XCTAssertEqual(config.authURL, "https://env.example/v3")
        XCTAssertEqual(config.username, "env-user")
        XCTAssertEqual(config.password, "env-pass")
        XCTAssertEqual(config.projectName, "env-project")
        XCTAssertEqual(config.interface, .internal)
        XCTAssertEqual(config.regionName, "RegionOne")
        XCTAssertEqual(config.sourceFile, fx.userDir + "/clouds.yaml")
    }

    func testSDKModeIgnoresOSVariablesForANamedCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("prod", extra: "    interface: admin"))
        let config = try fx.load(cloud: "prod", env: openrc, compatibility: .openstackSDK)
        XCTAssertEqual(config.authURL, "https://keystone.example:5000/v3")
        XCTAssertEqual(config.username, "alice")
        XCTAssertEqual(config.password, "s3cret")
        XCTAssertEqual(config.interface, .admin)
        XCTAssertNil(config.regionName)
    }

    func testSDKModeStillBuildsTheEnvvarsCloud() throws {
        let config = try fx.load(env: openrc, compatibility: .openstackSDK)
        XCTAssertEqual(config.name, "envvars")
        XCTAssertEqual(config.interface, .internal)
        XCTAssertEqual(config.regionName, "RegionOne")
    }

    func testFlagsBeatEnvironmentBeatsSecureBeatsClouds() throws {
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              c:
                auth:
                  auth_url: https://file/v3
                  username: file-user
                  password: file-pass
                  project_name: file-project
                region_name: R1,R2,R3
                interface: public
            """)
        try fx.write(fx.userDir + "/secure.yaml", "clouds:\n  c:\n    auth:\n      password: secure-pass\n      username: secure-user\n")
        let env = ["OS_PASSWORD": "env-pass", "OS_REGION_NAME": "R2", "OS_INTERFACE": "internal"]
        let flags = ConfigFlags(password: "flag-pass", region: "R3")
        let config = try fx.load(cloud: "c", flags: flags, env: env)
        XCTAssertEqual(config.password, "flag-pass")       // flag > env > secure > clouds
        XCTAssertEqual(config.regionName, "R3")            // flag > env
        XCTAssertEqual(config.interface, .internal)        // env > clouds
        XCTAssertEqual(config.username, "secure-user")     // secure > clouds
        XCTAssertEqual(config.projectName, "file-project") // clouds only
        XCTAssertEqual(config.authURL, "https://file/v3")

        let withoutFlags = try fx.load(cloud: "c", env: env)
        XCTAssertEqual(withoutFlags.password, "env-pass")
        XCTAssertEqual(withoutFlags.regionName, "R2")
        let fileOnly = try fx.load(cloud: "c")
        XCTAssertEqual(fileOnly.password, "secure-pass")
        XCTAssertEqual(fileOnly.regionName, "R1")          // first listed region
    }

    func testRegionsListGivesTheDefaultRegion() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", extra: """
                regions:
                  - name: West
                    values: {}
                  - East
            """))
        XCTAssertEqual(try fx.load(cloud: "c").regionName, "West")
        XCTAssertEqual(try fx.load(cloud: "c", flags: ConfigFlags(region: "East")).regionName, "East")
    }

    func testAuthSectionBeatsTopLevelExceptForProjectAndDomainKeys() throws {
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              c:
                auth_url: https://top/v3
                project_name: top-project
                auth:
                  auth_url: https://auth/v3
                  username: u
                  password: p
                  project_name: auth-project
            """)
        let config = try fx.load(cloud: "c")
        XCTAssertEqual(config.authURL, "https://auth/v3")
        XCTAssertEqual(config.projectName, "top-project")
    }

    func testOldSpellingsAreAcceptedAndNewOnesWin() throws {
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              c:
                endpoint_type: internalURL
                auth_plugin: v3password
                auth:
                  auth-url: https://k/v3
                  username: u
                  password: p
                  tenant_name: old
              d:
                auth:
                  auth_url: https://k/v3
                  username: u
                  password: p
                  tenant_name: old
                  project_name: new
            """)
        let c = try fx.load(cloud: "c")
        XCTAssertEqual(c.interface, .internal)
        XCTAssertEqual(c.projectName, "old")
        XCTAssertEqual(c.authURL, "https://k/v3")
        XCTAssertEqual(try fx.load(cloud: "d").projectName, "new")
    }

    func testEnvironmentTenantNameIsTheProjectName() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_TENANT_NAME": "legacy"])
        XCTAssertEqual(config.projectName, "legacy")
    }

    func testEnvironmentInterfaceBeatsEndpointType() throws {
        let config = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_ENDPOINT_TYPE": "adminURL", "OS_INTERFACE": "internal"])
        XCTAssertEqual(config.interface, .internal)
        let legacy = try fx.load(env: ["OS_AUTH_URL": "https://k/v3", "OS_USERNAME": "u", "OS_PASSWORD": "p",
                                       "OS_ENDPOINT_TYPE": "adminURL"])
        XCTAssertEqual(legacy.interface, .admin)
    }

    func testOSInsecureAppliesToTheEnvvarsCloudButNotToANamedOne() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c"))
        var env = openrc
        env["OS_INSECURE"] = "true"
        XCTAssertFalse(try fx.load(env: env).verifyTLS)
        XCTAssertTrue(try fx.load(cloud: "c", env: env).verifyTLS)
    }

    func testFlagsAloneCanCompleteAnIncompleteCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n  c:\n    auth:\n      auth_url: https://k/v3\n")
        let config = try fx.load(cloud: "c", flags: ConfigFlags(username: "u", password: "p", projectName: "x"))
        XCTAssertEqual(config.username, "u")
        XCTAssertEqual(config.projectName, "x")
    }
}

import XCTest
@testable import OpenStackBackend

/// Where clouds.yaml and secure.yaml are looked for, and how secure.yaml is merged in.
final class CloudConfigFilesTests: XCTestCase {
    private var fx: CloudConfigFixture!
    override func setUpWithError() throws { fx = try CloudConfigFixture() }
    override func tearDown() { fx.remove() }

    func testCurrentDirectoryBeatsUserDirectoryBeatsSystemDirectory() throws {
        try fx.write(fx.etc + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "from-etc"))
        XCTAssertEqual(try fx.load(cloud: "c").username, "from-etc")
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "from-home"))
        XCTAssertEqual(try fx.load(cloud: "c").username, "from-home")
        try fx.write(fx.cwd + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "from-cwd"))
        let config = try fx.load(cloud: "c")
        XCTAssertEqual(config.username, "from-cwd")
        XCTAssertEqual(config.sourceFile, fx.cwd + "/clouds.yaml")
    }

    func testFirstFileFoundWinsEvenIfItLacksTheCloud() throws {
        try fx.write(fx.cwd + "/clouds.yaml", "clouds:\n" + passwordCloud("other"))
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c"))
        XCTAssertEqual(fx.error(cloud: "c")?.kind, .cloudNotFound)
    }

    func testYmlSpellingIsFoundAndYamlWinsInTheSameDirectory() throws {
        try fx.write(fx.userDir + "/clouds.yml", "clouds:\n" + passwordCloud("c", user: "yml"))
        XCTAssertEqual(try fx.load(cloud: "c").username, "yml")
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "yaml"))
        XCTAssertEqual(try fx.load(cloud: "c").username, "yaml")
    }

    func testXDGConfigHomeIsSearchedBeforeDotConfig() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "dotconfig"))
        try fx.write(fx.root + "/xdg/openstack/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "xdg"))
        XCTAssertEqual(try fx.load(cloud: "c", env: ["XDG_CONFIG_HOME": fx.root + "/xdg"]).username, "xdg")
    }

    func testClientConfigFileOverrideGoesFirstAndFallsBackWhenMissing() throws {
        try fx.write(fx.cwd + "/clouds.yaml", "clouds:\n" + passwordCloud("c", user: "cwd"))
        let custom = try fx.write(fx.root + "/custom.yaml", "clouds:\n" + passwordCloud("c", user: "custom"))
        XCTAssertEqual(try fx.load(cloud: "c", env: ["OS_CLIENT_CONFIG_FILE": custom]).username, "custom")
        // openstacksdk only inserts the path at the front of the search list.
        let missing = fx.root + "/nope.yaml"
        XCTAssertEqual(try fx.load(cloud: "c", env: ["OS_CLIENT_CONFIG_FILE": missing]).username, "cwd")
    }

    func testJSONCloudsFileIsRead() throws {
        try fx.write(fx.userDir + "/clouds.json", """
            {"clouds": {"j": {"auth": {"auth_url": "https://k/v3", "username": "u", "password": "p"}}}}
            """)
        XCTAssertEqual(try fx.load(cloud: "j").authURL, "https://k/v3")
    }

    func testSecureYamlIsDeepMergedIntoTheCloud() throws {
        try fx.write(fx.userDir + "/clouds.yaml", """
            clouds:
              prod:
                region_name: RegionOne
                auth:
                  auth_url: https://keystone.prod:5000/v3
                  username: alice
                  project_name: ops
            """)
        try fx.write(fx.userDir + "/secure.yaml", """
            clouds:
              prod:
                auth:
                  password: from-secure
            """)
        let config = try fx.load(cloud: "prod")
        XCTAssertEqual(config.password, "from-secure")
        XCTAssertEqual(config.username, "alice")
        XCTAssertEqual(config.projectName, "ops")
        XCTAssertEqual(config.regionName, "RegionOne")
        XCTAssertEqual(config.sourceFile, fx.userDir + "/clouds.yaml")
    }

    func testSecureYamlBeatsCloudsYamlForTheSameKey() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", password: "old"))
        try fx.write(fx.etc + "/secure.yaml", "clouds:\n  c:\n    auth:\n      password: new\n    region_name: R2\n")
        let config = try fx.load(cloud: "c")
        XCTAssertEqual(config.password, "new")
        XCTAssertEqual(config.regionName, "R2")
    }

    func testSecureFileOverrideVariable() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", password: "old"))
        let secure = try fx.write(fx.root + "/s.yaml", "clouds:\n  c:\n    auth:\n      password: override\n")
        XCTAssertEqual(try fx.load(cloud: "c", env: ["OS_CLIENT_SECURE_FILE": secure]).password, "override")
    }

    func testCloudOnlyInSecureYamlIsFound() throws {
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("a"))
        try fx.write(fx.userDir + "/secure.yaml", "clouds:\n" + passwordCloud("b", user: "bob"))
        XCTAssertEqual(try fx.load(cloud: "b").username, "bob")
    }

    func testTildeInCacertIsTheGivenHome() throws {
        try fx.write(fx.home + "/ca.pem", "PEM")
        try fx.write(fx.userDir + "/clouds.yaml", "clouds:\n" + passwordCloud("c", extra: "    cacert: ~/ca.pem"))
        XCTAssertEqual(try fx.load(cloud: "c").cacert, fx.home + "/ca.pem")
    }
}

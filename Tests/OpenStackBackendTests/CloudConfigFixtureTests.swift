import Foundation
import XCTest
@testable import OpenStackBackend

/// A throw-away home, working directory and /etc/openstack for one test, so nothing reads the
/// real ~/.config/openstack.
struct CloudConfigFixture {
    let root: String
    var home: String { root + "/home" }
    var cwd: String { root + "/work" }
    var etc: String { root + "/etc/openstack" }
    var userDir: String { home + "/.config/openstack" }

    init() throws {
        root = NSTemporaryDirectory() + "stacktop-cloudconfig-" + UUID().uuidString
        for dir in [root + "/home/.config/openstack", root + "/work", root + "/etc/openstack"] {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
    }

    @discardableResult
    func write(_ path: String, _ text: String) throws -> String {
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func load(cloud: String? = nil, flags: ConfigFlags = ConfigFlags(), env: [String: String] = [:],
              compatibility: ConfigCompatibility = .openstackCLI) throws -> CloudConfig {
        try CloudConfigLoader.load(cloud: cloud, flags: flags, environment: env, homeDirectory: home,
                                   currentDirectory: cwd, systemDirectory: etc, compatibility: compatibility)
    }

    func error(cloud: String? = nil, flags: ConfigFlags = ConfigFlags(), env: [String: String] = [:],
               file: StaticString = #filePath, line: UInt = #line) -> CloudConfigError? {
        do {
            let config = try load(cloud: cloud, flags: flags, env: env)
            XCTFail("expected an error, got \(config)", file: file, line: line)
        } catch let error as CloudConfigError {
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
        }
        return nil
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// A cloud with every password-auth field, for tests that only vary one thing.
func passwordCloud(_ name: String, url: String = "https://keystone.example:5000/v3", user: String = "alice",
                   password: String = "s3cret", extra: String = "") -> String {
    // Ends with a newline so that clouds can be concatenated under one `clouds:`.
    """
      \(name):
        auth:
          auth_url: \(url)
          username: \(user)
          password: \(password)
          project_name: demo
    \(extra)

    """
}

final class CloudConfigFixtureTests: XCTestCase {
    func testFixtureKeepsEachTestInItsOwnDirectory() throws {
        let a = try CloudConfigFixture(), b = try CloudConfigFixture()
        defer { a.remove(); b.remove() }
        XCTAssertNotEqual(a.root, b.root)
        XCTAssertFalse(a.home.hasPrefix(NSHomeDirectory() + "/.config"))
    }
}

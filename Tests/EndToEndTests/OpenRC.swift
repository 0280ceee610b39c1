import Foundation
import XCTest
import SystemTestSupport

/// The environment of `. openrc && stacktop`: this process's, with every OS_* variable replaced by a
/// password login to `authURL` as `user` in the project of the same name, and a private state directory.
enum OpenRC {
    static func environment(authURL: String, user: String, password: String, stateDirectory: String,
                            region: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        for key in environment.keys where key.hasPrefix("OS_") { environment[key] = nil }
        environment["OS_AUTH_URL"] = authURL
        environment["OS_USERNAME"] = user
        environment["OS_PASSWORD"] = password
        environment["OS_PROJECT_NAME"] = user
        environment["OS_USER_DOMAIN_NAME"] = "Default"
        environment["OS_PROJECT_DOMAIN_NAME"] = "Default"
        if let region { environment["OS_REGION_NAME"] = region }
        environment["XDG_STATE_HOME"] = stateDirectory
        return environment
    }
}

extension OpenRC {
    /// Skips unless STACKTOP_E2E=1 and STACKTOP_OPENSTACK_PEER=1 (the peer running); as `TmuxHarness.require`,
    /// fails when the release binary is missing.
    static func requirePeer() throws {
        try TmuxHarness.require()
        guard ProcessInfo.processInfo.environment["STACKTOP_OPENSTACK_PEER"] == "1" else {
            throw XCTSkip("set STACKTOP_OPENSTACK_PEER=1 with the OpenStack peer running (start-peer.sh)")
        }
    }

    /// The peer's `openstack` CLI as its demo user, with its state in `stateDirectory`.
    static func peerCLI(_ arguments: [String], stateDirectory: String) throws -> ChildProcess.Result {
        let environment = OpenRC.environment(authURL: "http://127.0.0.1:5000/v3", user: "demo", password: "demopass",
                                             stateDirectory: stateDirectory, region: "RegionOne")
        return try ChildProcess.run(["/tmp/ospeer/venv/bin/openstack"] + arguments, environment: environment, timeout: 180)
    }

    /// A server with no network on the peer (the fake driver builds it at once), waited for.
    static func createPeerServer(_ name: String, stateDirectory: String) throws -> ChildProcess.Result {
        try peerCLI(["server", "create", "--flavor", "m1.tiny", "--image", "fake-image", "--nic", "none", "--wait", name],
                    stateDirectory: stateDirectory)
    }

    /// Waited for: a server still being deleted counts against the quota the peer's quota suite sets to 0.
    static func deletePeerServer(_ name: String, stateDirectory: String) {
        _ = try? peerCLI(["server", "delete", "--wait", name], stateDirectory: stateDirectory)
    }
}

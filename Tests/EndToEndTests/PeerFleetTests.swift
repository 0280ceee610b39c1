import Foundation
import XCTest
import SystemTestSupport

/// Issue 16's check on the release binary: config.yaml names two libvirt test-driver hosts and clouds.yaml the
/// real OpenStack peer; `stacktop --fleet` shows the instances of all three in one table with a Context column.
/// Runs with STACKTOP_E2E=1 and STACKTOP_OPENSTACK_PEER=1 (the peer running, start-peer.sh).
final class PeerFleetTests: XCTestCase {
    private var root = ""
    private var server = ""

    override func setUpWithError() throws {
        try OpenRC.requirePeer()
        root = try makeTemporaryDirectory(self)
        server = "e2e-fleet-\(UUID().uuidString.prefix(6).lowercased())"
        let created = try OpenRC.createPeerServer(server, stateDirectory: root)
        XCTAssertEqual(created.status, 0, created.output)
    }

    override func tearDown() {
        if !server.isEmpty { OpenRC.deletePeerServer(server, stateDirectory: root) }
    }

    func testTwoHostsAndTheCloudInOneTable() throws {
        for (host, guest) in [("a", "alpha-vm"), ("b", "bravo-vm")] {
            try TestDriverNode.write("\(root)/lab-\(host).xml", guests: [(guest, nil)])
        }
        for directory in ["/config/stacktop", "/home/.config/openstack"] {
            try FileManager.default.createDirectory(atPath: root + directory, withIntermediateDirectories: true)
        }
        try "hosts:\n  lab-a: test://\(root)/lab-a.xml\n  lab-b: test://\(root)/lab-b.xml\n"
            .write(toFile: root + "/config/stacktop/config.yaml", atomically: true, encoding: .utf8)
        try """
            clouds:
              peer:
                auth:
                  auth_url: http://127.0.0.1:5000/v3
                  username: demo
                  password: demopass
                  project_name: demo
                  user_domain_name: Default
                  project_domain_name: Default
                region_name: RegionOne
            """.write(toFile: root + "/home/.config/openstack/clouds.yaml", atomically: true, encoding: .utf8)
        let environment = "env -u OS_CLOUD -u OS_AUTH_URL -u LIBVIRT_DEFAULT_URI HOME=\(root)/home XDG_CONFIG_HOME=\(root)/config"
        let tmux = try TmuxHarness(width: 160, height: 40, command: "\(environment) \(TmuxHarness.binary.path) --fleet")
        try tmux.send("2")
        tmux.waitFor(text: "fleet of 3: 3 up", timeout: 60)
        tmux.waitForRow("lab-a", "alpha-vm", "Running")
        tmux.waitForRow("lab-b", "bravo-vm", "Running")
        var screen = tmux.waitForRow("peer", server, "Running", timeout: 60)
        XCTAssertTrue(screen.contains("│ Context "), screen)
        // `@peer` keeps the cloud's rows.
        try tmux.filter("@peer")
        screen = tmux.waitFor(text: "filter: @peer")
        XCTAssertTrue(screen.contains(server), screen)
        XCTAssertFalse(screen.contains("alpha-vm") || screen.contains("bravo-vm"), screen)
        try tmux.send("Escape", "q")
        XCTAssertEqual(tmux.waitForExit(), "EXIT=0")
    }
}

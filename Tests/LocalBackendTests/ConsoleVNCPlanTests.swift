import LocalBackend
import StacktopServices
import XCTest

/// Launch a viewer, or explain: every environment permutation, with PATH faked.
final class ConsoleVNCPlanTests: XCTestCase {
    private let loopback = GraphicsDisplay(type: "vnc", endpoint: .tcp(host: "127.0.0.1", port: 5900))
    private let ssh = "192.0.2.50 51234 198.51.100.7 22"

    private func plan(_ environment: [String: String], installed: Set<String> = ["vncviewer", "xtightvncviewer"],
                      display: GraphicsDisplay? = nil, showPassword: Bool = false) -> VNCPlan {
        VNCPlan.decide(display: display ?? loopback, instanceName: "web-01", environment: environment,
                       showPassword: showPassword,
                       findExecutable: { installed.contains($0) ? "/usr/bin/\($0)" : nil })
    }

    func testDesktopLaunchesTheFirstViewerFound() {
        guard case .launch(let executable, let arguments, let lines) = plan(["DISPLAY": ":0"]) else {
            return XCTFail("a desktop with a viewer installed launches it")
        }
        XCTAssertEqual(executable, "/usr/bin/vncviewer")
        XCTAssertEqual(arguments, ["127.0.0.1::5900"])
        XCTAssertEqual(lines.last, "Started vncviewer for it; close the viewer's window when done.")
    }

    func testRemoteViewerComesFirstAndTakesAURI() {
        let chosen = plan(["WAYLAND_DISPLAY": "wayland-0"], installed: ["remote-viewer", "vncviewer"])
        guard case .launch(let executable, let arguments, _) = chosen else { return XCTFail("\(chosen)") }
        XCTAssertEqual(executable, "/usr/bin/remote-viewer")
        XCTAssertEqual(arguments, ["vnc://127.0.0.1:5900"])
    }

    func testEnvironmentViewerWins() {
        let chosen = plan(["DISPLAY": ":0", "STACKTOP_VNC_VIEWER": "/opt/tiger/vncviewer"])
        guard case .launch(let executable, _, _) = chosen else { return XCTFail("\(chosen)") }
        XCTAssertEqual(executable, "/opt/tiger/vncviewer")
        guard case .explain(let lines) = plan(["DISPLAY": ":0", "STACKTOP_VNC_VIEWER": "myviewer"]) else {
            return XCTFail("a viewer that is not in PATH cannot start")
        }
        XCTAssertEqual(lines.last, "STACKTOP_VNC_VIEWER is myviewer, which is not in PATH; fix it or unset it.")
    }

    func testDesktopWithoutViewerExplains() {
        XCTAssertEqual(plan(["DISPLAY": ":0"], installed: []), .explain(lines: [
            "The VNC display of web-01 is vnc://127.0.0.1:0 (port 5900).",
            "No VNC viewer in PATH (remote-viewer, vncviewer, xtightvncviewer):",
            "install virt-viewer, or set STACKTOP_VNC_VIEWER to your viewer.",
        ]))
    }

    func testSSHWithoutDisplayGivesTheTunnel() {
        XCTAssertEqual(plan(["SSH_CONNECTION": ssh, "USER": "alice", "DISPLAY": ""]), .explain(lines: [
            "The VNC display of web-01 is vnc://127.0.0.1:0 (port 5900).",
            "You are on SSH without a display. On your own machine run:",
            "  ssh -L 5900:127.0.0.1:5900 alice@198.51.100.7",
            "then open vnc://localhost:5900 in a VNC viewer there.",
        ]))
    }

    func testSSHWithDisplayForwardingLaunches() {
        guard case .launch = plan(["SSH_CONNECTION": ssh, "DISPLAY": "localhost:10.0"]) else {
            return XCTFail("X forwarding over SSH is a display")
        }
    }

    func testTunnelVariants() {
        let other = VNCPlan.sshTunnel(display: GraphicsDisplay(type: "vnc", endpoint: .tcp(host: "::1", port: 5903)),
                                      sshConnection: "2001:db8::9 40000 2001:db8::1 2222", user: nil)
        // Brackets are shell globs: the forward is quoted, so the line pastes as exactly one ssh command.
        XCTAssertEqual(other?.command, "ssh -p 2222 -L '5903:[::1]:5903' 2001:db8::1")
        XCTAssertEqual(other?.address, "vnc://localhost:5903")
        let socket = VNCPlan.sshTunnel(display: GraphicsDisplay(type: "vnc", endpoint: .socket(path: "/run/web.vnc")),
                                       sshConnection: ssh, user: "bob")
        XCTAssertEqual(socket?.command, "ssh -L 5900:/run/web.vnc bob@198.51.100.7")
        XCTAssertNil(VNCPlan.sshTunnel(display: loopback, sshConnection: "garbage", user: "bob"))
        // A socket path or user from outside cannot become a second command.
        let hostile = VNCPlan.sshTunnel(display: GraphicsDisplay(type: "vnc", endpoint: .socket(path: "/x'; touch pwned; echo '")),
                                        sshConnection: ssh, user: "b$(id)")
        XCTAssertEqual(hostile?.command, "ssh -L '5900:/x'\\''; touch pwned; echo '\\''' 'b$(id)@198.51.100.7'")
    }

    func testNeitherDisplayNorSSH() {
        guard case .explain(let lines) = plan([:]) else { return XCTFail("nothing to launch") }
        XCTAssertEqual(lines.count, 3)
        XCTAssertTrue(lines[1].hasPrefix("No display here"))
    }

    func testPasswordOnlyWhenAsked() {
        let locked = GraphicsDisplay(type: "vnc", endpoint: .tcp(host: "127.0.0.1", port: 5900), password: "s3cret")
        guard case .explain(let hidden) = plan([:], display: locked),
              case .explain(let shown) = plan([:], display: locked, showPassword: true) else { return XCTFail() }
        XCTAssertFalse(hidden.joined().contains("s3cret"))
        XCTAssertEqual(hidden[1], "It has a password: `stacktop vnc web-01 --show-password` shows it.")
        XCTAssertEqual(shown[1], "Its password is s3cret.")
    }
}

/// A cloud's web console (Nova's noVNC URL) goes to a browser, never to a VNC viewer.
final class WebConsolePlanTests: XCTestCase {
    private let display = GraphicsDisplay(type: "novnc", endpoint: .url("https://cloud.example:6080/vnc_auto.html?token=abc"))

    func testADesktopOpensTheURLAndSSHPrintsIt() {
        let desktop = VNCPlan.decide(display: display, instanceName: "web-01", environment: ["DISPLAY": ":0"],
                                     showPassword: false, findExecutable: { $0 == "xdg-open" ? "/usr/bin/xdg-open" : nil })
        XCTAssertEqual(desktop, .launch(executable: "/usr/bin/xdg-open",
                                        arguments: ["https://cloud.example:6080/vnc_auto.html?token=abc"],
                                        lines: ["The console of web-01 is a web console:",
                                                "  https://cloud.example:6080/vnc_auto.html?token=abc",
                                                "Opened it in your browser."]))
        let ssh = VNCPlan.decide(display: display, instanceName: "web-01",
                                 environment: ["SSH_CONNECTION": "1.2.3.4 5 6.7.8.9 22"], showPassword: false,
                                 findExecutable: { _ in "/usr/bin/x" })
        guard case .explain(let lines) = ssh else { return XCTFail("\(ssh)") }
        XCTAssertEqual(lines.last, "Open it in a browser on your own machine; the link holds a short-lived token.")
        XCTAssertFalse(lines.joined().contains("ssh -L"), "a web console needs no tunnel")
        XCTAssertEqual(display.uri, "https://cloud.example:6080/vnc_auto.html?token=abc")
    }
}

import Foundation
import StacktopServices

/// What the console screens are drawn from: DashboardTests draws these, and LocalBackendTests checks that
/// the real serial-log reader and VNC plan give exactly these, so the screens show what a host would.
public enum ConsoleFixture {
    /// A serial log as a guest writes it: kernel lines, a banner, a prompt (nothing the reader drops).
    public static let guestLog: String = {
        var lines = (0..<60).map { String(format: "[%8.6f] ", Double($0) * 0.0731) + "serial8250: ttyS0 probe step \($0)" }
        lines += ["*** web-01 READY ***", "", "web-01 login: root", "web-01# uname -r", "6.1.0-27-cloud-amd64", "web-01# "]
        return lines.joined(separator: "\n")
    }()

    /// A VNC display on the host's loopback, asked for over SSH without a desktop.
    public static let display = GraphicsDisplay(type: "vnc", endpoint: .tcp(host: "127.0.0.1", port: 5900))
    public static let sshEnvironment = ["SSH_CONNECTION": "192.0.2.50 51234 198.51.100.7 22", "USER": "alice"]
    /// The instance `V` opens on the demo's Instances panel: its first row.
    public static let vncInstance = "backup-agent"

    /// What the VNC plan says for `display` of `vncInstance` in `sshEnvironment`.
    public static let vncLinesOverSSH = [
        "The VNC display of backup-agent is vnc://127.0.0.1:0 (port 5900).",
        "You are on SSH without a display. On your own machine run:",
        "  ssh -L 5900:127.0.0.1:5900 alice@198.51.100.7",
        "then open vnc://localhost:5900 in a VNC viewer there.",
    ]
}

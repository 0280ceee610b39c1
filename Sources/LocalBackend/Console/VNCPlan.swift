import StacktopServices

/// What to do about a guest's display, decided from the environment alone (no side effects), so
/// every permutation can be tested. Lives here, not in the executable, so tests can reach it.
public enum VNCPlan: Equatable, Sendable {
    /// A desktop is here: start `executable` with `arguments`, detached.
    case launch(executable: String, arguments: [String], lines: [String])
    /// Nothing to start: show these lines (SSH tunnel instructions, or the address and why).
    case explain(lines: [String])

    public static let viewers = ["remote-viewer", "vncviewer", "xtightvncviewer"]

    /// `findExecutable` resolves a command name in PATH (nil when absent).
    public static func decide(display: GraphicsDisplay, instanceName: String, environment: [String: String],
                       showPassword: Bool, findExecutable: (String) -> String?) -> VNCPlan {
        let set = { (name: String) in environment[name].map { !$0.isEmpty } == true }
        if case .url(let url) = display.endpoint {
            return webConsole(url: url, instanceName: instanceName, desktop: set("DISPLAY") || set("WAYLAND_DISPLAY"),
                              findExecutable: findExecutable)
        }
        // Short lines: they are shown as they are in an 80-column pane.
        var lines = ["The \(display.type.uppercased()) display of \(instanceName) is \(display.uri)"
                     + (display.tcpPort.map { " (port \($0))." } ?? ".")]
        if display.password != nil {
            lines.append(showPassword ? "Its password is \(display.password!)."
                         : "It has a password: `stacktop vnc \(instanceName) --show-password` shows it.")
        }
        if set("DISPLAY") || set("WAYLAND_DISPLAY") {
            let wanted = environment["STACKTOP_VNC_VIEWER"].flatMap { $0.isEmpty ? nil : $0 }
            let candidates = wanted.map { [$0] } ?? viewers
            for name in candidates {
                guard let path = name.contains("/") ? name : findExecutable(name) else { continue }
                lines.append("Started \(name) for it; close the viewer's window when done.")
                return .launch(executable: path, arguments: viewerArguments(for: name, display: display), lines: lines)
            }
            if let wanted {
                lines.append("STACKTOP_VNC_VIEWER is \(wanted), which is not in PATH; fix it or unset it.")
            } else {
                lines.append("No VNC viewer in PATH (remote-viewer, vncviewer, xtightvncviewer):")
                lines.append("install virt-viewer, or set STACKTOP_VNC_VIEWER to your viewer.")
            }
            return .explain(lines: lines)
        }
        if let ssh = environment["SSH_CONNECTION"], let tunnel = sshTunnel(display: display, sshConnection: ssh,
                                                                          user: environment["USER"]) {
            lines.append("You are on SSH without a display. On your own machine run:")
            lines.append("  " + tunnel.command)
            lines.append("then open \(tunnel.address) in a VNC viewer there.")
            return .explain(lines: lines)
        }
        lines.append("No display here (DISPLAY and WAYLAND_DISPLAY are unset) and no SSH session")
        lines.append("to tunnel through: point a VNC viewer on this host at the address above.")
        return .explain(lines: lines)
    }

    /// A cloud's web console: a browser opens it (xdg-open on a desktop); anywhere else, the URL to copy.
    static func webConsole(url: String, instanceName: String, desktop: Bool,
                           findExecutable: (String) -> String?) -> VNCPlan {
        var lines = ["The console of \(instanceName) is a web console:", "  \(url)"]
        if desktop, let opener = findExecutable("xdg-open") {
            lines.append("Opened it in your browser.")
            return .launch(executable: opener, arguments: [url], lines: lines)
        }
        lines.append("Open it in a browser on your own machine; the link holds a short-lived token.")
        return .explain(lines: lines)
    }

    /// The ssh -L line for the operator's own machine, and the address to open there.
    public static func sshTunnel(display: GraphicsDisplay, sshConnection: String, user: String?) -> (command: String, address: String)? {
        let fields = sshConnection.split(separator: " ")
        guard fields.count >= 4 else { return nil }
        let server = String(fields[2])
        let sshPort = String(fields[3])
        // Every word comes from outside (the environment, the domain's XML): quoted for the shell it is pasted in.
        let login = ShellQuote.quote((user.map { $0.isEmpty ? "" : $0 + "@" } ?? "") + server)
        let portOption = sshPort == "22" ? "" : "-p \(ShellQuote.quote(sshPort)) "
        switch display.endpoint {
        case .tcp(let host, let port):
            let target = host == "localhost" ? "127.0.0.1" : host.contains(":") ? "[\(host)]" : host
            return ("ssh \(portOption)-L \(ShellQuote.quote("\(port):\(target):\(port)")) \(login)", "vnc://localhost:\(port)")
        case .socket(let path):
            return ("ssh \(portOption)-L \(ShellQuote.quote("5900:" + path)) \(login)", "vnc://localhost:5900")
        case .url:
            return nil
        }
    }

    public static func viewerArguments(for name: String, display: GraphicsDisplay) -> [String] {
        let base = name.split(separator: "/").last.map(String.init) ?? name
        switch display.endpoint {
        case .tcp(let host, let port):
            if base == "remote-viewer" {
                return ["\(display.type)://\(host.contains(":") ? "[\(host)]" : host):\(port)"]
            }
            return ["\(host)::\(port)"]  // TigerVNC and TightVNC: host::port is a port, host:N a display.
        case .socket(let path):
            return base == "remote-viewer" ? ["\(display.type)+unix://\(path)"] : [path]
        case .url(let url):
            return [url]
        }
    }
}

extension GraphicsDisplay {
    public var tcpPort: Int? {
        if case .tcp(_, let port) = endpoint { return port }
        return nil
    }
}

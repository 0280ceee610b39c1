import StacktopServices

/// Finds a domain's display from its live XML the way `virsh domdisplay` does: the first VNC (else
/// SPICE) graphics element with a port, or a UNIX socket; a wildcard listen address means "this host".
public enum GraphicsDisplayResolver {
    /// `hostName` replaces a wildcard listen address (0.0.0.0, ::): the URI's host for a remote
    /// connection, else the local name. Throws a `BackendError` saying why there is no display.
    public static func display(domainXML: String, instanceName: String, hostName: String,
                               isRunning: Bool = true) throws -> GraphicsDisplay {
        let root: XMLTree.Element
        do {
            root = try XMLTree.parse(domainXML)
        } catch {
            throw BackendError.failed(what: "Reading the definition of \(instanceName)", reason: error.description)
        }
        let all = root.child("devices")?.children(named: "graphics") ?? []
        let graphics = all.filter { $0[attribute: "type"] == "vnc" } + all.filter { $0[attribute: "type"] == "spice" }
        guard let element = graphics.first else {
            let other = all.first?[attribute: "type"].map { " (it has \($0) graphics, which stacktop cannot open)" } ?? ""
            throw BackendError.unavailable(feature: "VNC display", reason: "\(instanceName) has no VNC display\(other); add "
                + "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/> to its definition (virsh edit "
                + "\(instanceName)) and restart it.")
        }
        let type = element[attribute: "type"] ?? "vnc"
        let password = element[attribute: "passwd"]
        let listens = element.children(named: "listen")
        if let socket = element[attribute: "socket"]
            ?? listens.first(where: { $0[attribute: "type"] == "socket" })?[attribute: "socket"] {
            return GraphicsDisplay(type: type, endpoint: .socket(path: socket), password: password)
        }
        // A port of -1 (autoport) in the live XML: libvirt fills it in when the guest starts.
        guard let port = element[attribute: "port"].flatMap(Int.init), port > 0 else {
            guard isRunning else {
                throw BackendError.wrongState(name: instanceName, state: "not running", action: nil,
                                              needs: .so("its VNC display has no port yet"), advice: "start it first")
            }
            throw BackendError.unavailable(feature: "VNC display", reason: "libvirt reports no port for the VNC display of "
                + "\(instanceName) (a test-driver guest, as in the demo, has none); connect to a QEMU host to use it.")
        }
        let address = listens.first(where: { $0[attribute: "type"] == "address" })?[attribute: "address"]
            ?? element[attribute: "listen"]
        return GraphicsDisplay(type: type, endpoint: .tcp(host: host(for: address, hostName: hostName), port: port),
                               password: password)
    }

    /// What a client on the hypervisor host dials for a listen address.
    static func host(for address: String?, hostName: String) -> String {
        guard let address, !address.isEmpty else { return "localhost" }
        if address == "0.0.0.0" || address == "::" || address == "[::]" { return hostName }
        return address
    }

    /// The host part of a libvirt URI (`qemu+ssh://root@kvm1/system` -> kvm1), nil for a local URI.
    public static func uriHost(_ uri: String) -> String? {
        let parts = uri.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        // "scheme:", "", "authority", "path": only a URI with "//" has an authority.
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty else { return nil }
        var rest = parts[2]
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return rest.isEmpty ? nil : String(rest)
    }
}

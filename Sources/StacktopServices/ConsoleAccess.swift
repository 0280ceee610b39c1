/// Where a guest's graphical console can be reached, the way `virsh domdisplay` says it.
public struct GraphicsDisplay: Sendable, Equatable {
    public enum Endpoint: Sendable, Equatable {
        /// A TCP listener; `host` is what a client on the hypervisor host connects to.
        case tcp(host: String, port: Int)
        /// A UNIX socket on the hypervisor host.
        case socket(path: String)
        /// A web console (Nova's noVNC): opened in a browser, not a VNC viewer.
        case url(String)
    }

    /// "vnc" or "spice".
    public var type: String
    public var endpoint: Endpoint
    /// The VNC password, if the domain sets one. Shown only when asked (`--show-password`).
    public var password: String?

    public init(type: String, endpoint: Endpoint, password: String? = nil) {
        self.type = type; self.endpoint = endpoint; self.password = password
    }

    /// `vnc://127.0.0.1:0` (display number, as virsh prints it) or `vnc+unix:///path`.
    public var uri: String {
        switch endpoint {
        case .tcp(let host, let port):
            let shown = host.contains(":") ? "[\(host)]" : host
            // virsh prints VNC as a display number (port - 5900) and SPICE as the port itself.
            let number = type == "vnc" ? port - 5900 : port
            return "\(type)://\(shown):\(number)"
        case .socket(let path):
            return "\(type)+unix://\(path)"
        case .url(let url):
            return url
        }
    }
}

/// A live serial console: guest output arrives on `outputDescriptor` (read(2) returns 0 when the
/// console ended; `endReason` then says why), keystrokes go in through `send`.
public protocol SerialConsoleSession: AnyObject, Sendable {
    var outputDescriptor: Int32 { get }
    /// Sends raw bytes to the guest. Throws `BackendError` when the console is gone.
    func send(_ bytes: [UInt8]) throws
    /// Why the output ended: nil for a plain end of stream, else a sentence (taken over, failed…).
    var endReason: String? { get }
    /// Detaches from the console. Idempotent.
    func close()
    /// Something the operator must see while attached (TLS not verified), shown beside the banner; nil if none.
    var notice: String? { get }
    /// When the console ended because it failed (a busy port, a broken connection), the whole sentence
    /// that says so; reported instead of a plain end of stream. Nil otherwise.
    var failure: String? { get }
}

extension SerialConsoleSession {
    public var notice: String? { nil }
    public var failure: String? { nil }
}

/// The console side of a backend: the serial log, the graphical display and the serial console.
/// Reading the log and finding the display change nothing; attaching does (keystrokes reach the guest).
public protocol ConsoleAccess: Sendable {
    /// The last `maxBytes` of the guest's serial output. Throws a `BackendError` whose message says
    /// why there is none (no log configured, not readable from here…).
    func consoleLog(instanceID: String, maxBytes: Int) async throws -> String
    /// The guest's graphical display. Throws when it has none or is not running.
    func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay
    /// Attaches to the guest's serial console in place (libvirt's stream, Nova's serial proxy); `force` takes
    /// it over from another session where the backend can.
    func openSerialConsole(instanceID: String, force: Bool) async throws -> any SerialConsoleSession
}

/// Another session holds the serial console. The dashboard offers F to take it over; the CLI says `--force`.
public struct ConsoleBusy: Error, Sendable, Equatable, CustomStringConvertible {
    public var instanceName: String
    public init(instanceName: String) { self.instanceName = instanceName }
    public var description: String {
        "The serial console of \(instanceName) is in use by another session; add --force to take it over."
    }
    public var dashboardMessage: String {
        "The serial console of \(instanceName) is in use by another session; press F to take it over."
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices

/// One open libvirt connection.
///
/// `@unchecked Sendable` is safe because libvirt connections are thread-safe (libvirt locks
/// internally and the thread-local error state is read right after each call on the same thread),
/// and the only stored state is immutable after `init`.
public final class LibvirtConnection: @unchecked Sendable {
    public let uri: String
    /// Whether it was opened read-only; a reconnect opens the same way.
    public let readOnly: Bool
    /// The underlying `virConnectPtr`, valid while this object lives. Exposed for the mutating side
    /// of the backend (start, stop, ...), which calls the libvirt C API directly.
    public let handle: OpaquePointer
    /// How volume bytes move on this host: by libvirt, or not at all on the test driver (the demo).
    public let dataMover: VolumeDataMover
    /// libvirt's test driver runs inside this process, so nothing but this process changes its domains, and
    /// what it reports per domain (vCPUs, memory, made-up lease addresses, a managed save) changes only with
    /// a domain's definition or state, which come with events, or by an action of ours, after which
    /// everything is read again. So those are read with the definition and kept with it (`DomainReadCache`),
    /// where other drivers are asked on every read. (It gives no vCPUs or memory in bulk, and no lease lists.)
    let keepsRuntimeWithDefinition: Bool

    /// Opens `uri`; `readOnly` opens a read-only connection (enough for everything this type reads).
    /// Throws `BackendError.unreachable` with libvirt's reason.
    /// - Parameter promptless: an ssh transport gets `no_tty=1`, so ssh never asks for a password or a host key
    ///   on the terminal (a fleet opens many hosts at once over a screen it owns); it fails instead, and says so.
    ///   `uri` stays as given (it names the host in the cache and on screen).
    public init(uri: String, readOnly: Bool, promptless: Bool = false) throws {
        LibvirtRuntime.prepared
        // Lifecycle events need libvirt's event loop registered before the connection opens.
        LibvirtEventLoop.running
        try Self.checkTestDriverFile(uri)
        let target = promptless ? Self.withoutPrompts(uri) : uri
        let opened = readOnly ? virConnectOpenReadOnly(target) : virConnectOpen(target)
        guard let opened else {
            throw BackendError.unreachable(endpoint: uri, reason: LibvirtRuntime.lastErrorMessage())
        }
        // Without keepalive a hung libvirtd blocks every call for ever; with it the client closes the
        // connection after about 5 × (3 + 1) s of silence and the waiting call fails. Drivers without
        // keepalive (the test driver) refuse it, which changes nothing.
        _ = virConnectSetKeepAlive(opened, 5, 3)
        self.uri = uri
        self.readOnly = readOnly
        self.handle = opened
        let mover = VolumeDataMover.chosen(for: opened)
        dataMover = mover
        keepsRuntimeWithDefinition = mover == .sizesOnly
        // The test driver parses its whole node file into a document tree and frees it once the domains are
        // made: 60-70 MB at 10,000 domains, left inside this thread's malloc arena, where the other threads'
        // allocations never reuse it. Handing it back keeps the process's peak near the open's own peak.
        if keepsRuntimeWithDefinition { LibvirtRuntime.returnFreedMemory() }
    }

    public convenience init(uri: String) throws {
        try self.init(uri: uri, readOnly: false)
    }

    /// `qemu+ssh://host/system` → `qemu+ssh://host/system?no_tty=1`; other transports, and a URI that already
    /// says, unchanged.
    static func withoutPrompts(_ uri: String) -> String {
        guard let scheme = uri.split(separator: ":", maxSplits: 1).first,
              scheme.hasSuffix("+ssh") || scheme.hasSuffix("+libssh") || scheme.hasSuffix("+libssh2"),
              !uri.contains("no_tty=") else { return uri }
        return uri + (uri.contains("?") ? "&" : "?") + "no_tty=1"
    }

    /// libxml2 prints "I/O warning" to stderr (onto the screen) when the test driver's file is
    /// missing, so a test-driver file is checked before libvirt sees it.
    private static func checkTestDriverFile(_ uri: String) throws {
        guard uri.hasPrefix("test:///"), uri != "test:///default" else { return }
        var path = String(uri.dropFirst("test://".count))
        if let query = path.firstIndex(of: "?") { path = String(path[..<query]) }
        guard access(path, R_OK) != 0 else { return }
        let reason = String(cString: strerror(errno))
        throw BackendError.unreachable(endpoint: uri, reason: "the test driver file \(path) cannot be read (\(reason))")
    }

    deinit {
        virConnectClose(handle)
    }

    /// False once a remote connection has closed (libvirtd stopped, socket gone, keepalive timed out):
    /// nothing on it will ever work again, so it must be replaced. Local drivers are always alive.
    public var isAlive: Bool {
        virConnectIsAlive(handle) == 1
    }

    /// The host name of the hypervisor, or nil when libvirt cannot tell.
    public func hostname() -> String? {
        LibvirtRuntime.consume(virConnectGetHostname(handle))
    }

    /// The domain's XML definition as libvirt formats it (`virsh dumpxml`).
    public func domainXML(uuid: String) throws -> String {
        guard let domain = virDomainLookupByUUIDString(handle, uuid) else {
            let code = LibvirtRuntime.lastErrorCode()
            if code == Int32(VIR_ERR_NO_DOMAIN.rawValue) || code == Int32(VIR_ERR_INVALID_ARG.rawValue) {
                throw BackendError.notFound(kind: "instance", name: uuid)
            }
            throw BackendError.failed(what: "Looking up instance \(uuid)", reason: LibvirtRuntime.lastErrorMessage())
        }
        defer { virDomainFree(domain) }
        guard let xml = LibvirtRuntime.consume(virDomainGetXMLDesc(domain, 0)) else {
            throw BackendError.failed(what: "Reading the definition of instance \(uuid)",
                                      reason: LibvirtRuntime.lastErrorMessage())
        }
        return xml
    }
}

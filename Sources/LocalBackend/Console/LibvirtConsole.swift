#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopServices
import Synchronization

/// A guest's serial console through `virDomainOpenConsole` on a non-blocking stream.
///
/// Guest output is read in a stream callback on libvirt's event loop thread (the one lifecycle
/// events use) and forwarded into a socket pair, so the caller waits on a plain descriptor with
/// poll(2) next to stdin. `@unchecked Sendable` is safe because the stream pointer is immutable,
/// libvirt streams lock internally, and the only mutable state sits behind a `Mutex`.
public final class LibvirtConsole: SerialConsoleSession, @unchecked Sendable {
    public let outputDescriptor: Int32
    private let stream: OpaquePointer
    private let pump: StreamPump
    private let closed = Mutex(false)

    /// Opens the console of the domain with `uuid`. Throws `ConsoleBusy` when another session holds
    /// it (unless `force`), else a `BackendError` with the sentence to show.
    public init(connection: LibvirtConnection, uuid: String, force: Bool) throws {
        guard let domain = virDomainLookupByUUIDString(connection.handle, uuid) else {
            throw BackendError.notFound(kind: "server", name: uuid)
        }
        defer { virDomainFree(domain) }
        let name = virDomainGetName(domain).map { String(cString: $0) } ?? uuid
        try Self.checkRunning(domain, name: name)
        if let xml = LibvirtRuntime.consume(virDomainGetXMLDesc(domain, 0)), !Self.hasConsoleDevice(domainXML: xml) {
            throw ConsoleErrors.noDevice(name: name)
        }
        guard let stream = virStreamNew(connection.handle, UInt32(VIR_STREAM_NONBLOCK.rawValue)) else {
            throw BackendError.failed(what: "Opening a stream for the console of \(name)",
                                      reason: LibvirtRuntime.lastErrorMessage())
        }
        let flags = force ? VIR_DOMAIN_CONSOLE_FORCE.rawValue : VIR_DOMAIN_CONSOLE_SAFE.rawValue
        guard virDomainOpenConsole(domain, nil, stream, UInt32(flags)) == 0 else {
            let error = ConsoleErrors.openFailed(name: name, code: LibvirtRuntime.lastErrorCode(),
                                                 message: LibvirtRuntime.lastErrorMessage())
            virStreamFree(stream)
            throw error
        }
        var pair: [Int32] = [-1, -1]
        guard socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &pair) == 0 else {
            let reason = String(cString: strerror(errno))
            virStreamAbort(stream); virStreamFree(stream)
            throw BackendError.failed(what: "Opening the console of \(name)", reason: reason)
        }
        let pump = StreamPump(writeDescriptor: pair[1])
        let opaque = Unmanaged.passRetained(pump).toOpaque()
        let events = Int32(VIR_STREAM_EVENT_READABLE.rawValue | VIR_STREAM_EVENT_ERROR.rawValue
                           | VIR_STREAM_EVENT_HANGUP.rawValue)
        guard virStreamEventAddCallback(stream, events, StreamPump.callback, opaque, StreamPump.release) == 0 else {
            let reason = LibvirtRuntime.lastErrorMessage()
            Unmanaged<StreamPump>.fromOpaque(opaque).release()
            Glibc.close(pair[0])
            virStreamAbort(stream); virStreamFree(stream)
            throw BackendError.failed(what: "Watching the console of \(name)", reason: reason)
        }
        self.stream = stream
        self.pump = pump
        self.outputDescriptor = pair[0]
    }

    deinit { close() }

    public var endReason: String? { pump.failure }

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        var waits = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBufferPointer { buffer in
                buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                    virStreamSend(stream, $0 + offset, buffer.count - offset)
                }
            }
            if sent == -2 {
                // The stream's queue is full (a paste faster than the guest reads): wait a little, up to ~2 s.
                waits += 1
                guard waits < 2000 else { throw BackendError.failed(what: "Typing into the console", reason: "the guest stopped reading") }
                usleep(1000)
                continue
            }
            guard sent > 0 else {
                throw BackendError.failed(what: "Typing into the console", reason: LibvirtRuntime.lastErrorMessage())
            }
            offset += Int(sent)
        }
    }

    public func close() {
        let already = closed.withLock { value -> Bool in defer { value = true }; return value }
        guard !already else { return }
        // Our end first: a callback blocked writing into the pair fails at once instead of holding the stream.
        Glibc.close(outputDescriptor)
        virStreamEventRemoveCallback(stream)
        virStreamAbort(stream)
        virStreamFree(stream)
    }

    static func checkRunning(_ domain: OpaquePointer, name: String) throws {
        var state: Int32 = 0, reason: Int32 = 0
        guard virDomainGetState(domain, &state, &reason, 0) == 0 else { return }
        let value = UInt32(state)
        if value == VIR_DOMAIN_RUNNING.rawValue || value == VIR_DOMAIN_PAUSED.rawValue
            || value == VIR_DOMAIN_BLOCKED.rawValue { return }
        throw ConsoleErrors.notRunning(name: name, state: LibvirtStates.instanceState(value).rawValue)
    }

    /// A console needs a `<console>` or a pty-like `<serial>` device.
    public static func hasConsoleDevice(domainXML: String) -> Bool {
        guard let root = try? XMLTree.parse(domainXML), let devices = root.child("devices") else { return true }
        return !devices.children(named: "console").isEmpty || !devices.children(named: "serial").isEmpty
    }
}

/// What the stream callback owns: the writing end of the pair, and why the stream ended.
private final class StreamPump: Sendable {
    private let writeDescriptor: Int32
    private let state = Mutex<(ended: Bool, failure: String?)>((false, nil))

    init(writeDescriptor: Int32) { self.writeDescriptor = writeDescriptor }

    deinit { Glibc.close(writeDescriptor) }

    var failure: String? { state.withLock { $0.failure } }

    /// Runs on libvirt's event loop thread.
    static let callback: virStreamEventCallback = { stream, events, opaque in
        guard let stream, let opaque else { return }
        Unmanaged<StreamPump>.fromOpaque(opaque).takeUnretainedValue().service(stream, events: events)
    }

    static let release: virFreeCallback = { opaque in
        guard let opaque else { return }
        Unmanaged<StreamPump>.fromOpaque(opaque).release()
    }

    private func service(_ stream: OpaquePointer, events: Int32) {
        var buffer = [CChar](repeating: 0, count: 16384)
        while true {
            let got = virStreamRecv(stream, &buffer, buffer.count)
            if got == -2 { break }
            if got == 0 { return end(stream, failure: nil) }
            if got < 0 { return end(stream, failure: LibvirtRuntime.lastErrorMessage()) }
            if !forward(buffer, count: Int(got)) { return end(stream, failure: nil) }
        }
        if events & Int32(VIR_STREAM_EVENT_ERROR.rawValue | VIR_STREAM_EVENT_HANGUP.rawValue) != 0 {
            end(stream, failure: nil)
        }
    }

    /// Blocking send: the reader drains continuously, and a closed reader fails it (MSG_NOSIGNAL: no SIGPIPE).
    private func forward(_ buffer: [CChar], count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let sent = buffer.withUnsafeBytes { Glibc.send(writeDescriptor, $0.baseAddress! + offset, count - offset, Int32(MSG_NOSIGNAL)) }
            if sent < 0 && errno == EINTR { continue }
            if sent <= 0 { return false }
            offset += sent
        }
        return true
    }

    private func end(_ stream: OpaquePointer, failure: String?) {
        let first = state.withLock { value -> Bool in
            defer { value.ended = true; if value.failure == nil { value.failure = failure } }
            return !value.ended
        }
        guard first else { return }
        virStreamEventRemoveCallback(stream)
        // The reader sees end of file; the pair itself closes when libvirt releases this object.
        shutdown(writeDescriptor, Int32(SHUT_WR))
    }
}

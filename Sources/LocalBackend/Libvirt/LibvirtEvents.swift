#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices
import Synchronization

/// libvirt's default event loop, registered once per process and run on a dedicated thread.
enum LibvirtEventLoop {
    /// libvirt only delivers events (and remote keepalives) if an event implementation was
    /// registered before the connection opened, and something keeps running it.
    static let running: Void = {
        LibvirtRuntime.prepared
        guard virEventRegisterDefaultImpl() == 0 else { return }
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { _ in
            while true {
                // A failing iteration must not turn into a busy loop.
                if virEventRunDefaultImpl() < 0 { usleep(50_000) }
            }
        }, nil)
        if started == 0 { pthread_detach(thread) }
    }()
}

/// A registered event handler. `cancel()` deregisters it; dropping the last reference does too.
public final class EventSubscription: Sendable {
    private struct Registration {
        let connection: LibvirtConnection
        let context: EventContext
        let lifecycleID: Int32
        let closeCallbackRegistered: Bool
    }

    private let registration: Mutex<Registration?>

    fileprivate init(connection: LibvirtConnection, context: EventContext, lifecycleID: Int32,
                     closeCallbackRegistered: Bool) {
        registration = Mutex(Registration(connection: connection, context: context, lifecycleID: lifecycleID,
                                          closeCallbackRegistered: closeCallbackRegistered))
    }

    public var isActive: Bool { registration.withLock { $0 != nil } }

    /// Stops delivery. Safe to call more than once and from inside the handler.
    public func cancel() {
        guard let taken = registration.withLock({ state -> Registration? in
            defer { state = nil }
            return state
        }) else { return }
        // Deregistering also drops the reference the registration holds on the connection, so a dead
        // connection is really closed.
        virConnectDomainEventDeregisterAny(taken.connection.handle, taken.lifecycleID)
        // Once the close callback has run libvirt has already dropped it; unregistering from inside it
        // (a handler that cancels on `.connectionLost`) would deadlock on libvirt's close-callback lock.
        if taken.closeCallbackRegistered, !taken.context.closed.withLock({ $0 }) {
            virConnectUnregisterCloseCallback(taken.connection.handle, LifecycleCallbacks.connectionClosed)
        }
    }

    deinit { cancel() }
}

/// What a C callback needs, passed through libvirt's `opaque` pointer.
private final class EventContext: Sendable {
    let uri: String
    let handler: @Sendable (BackendEvent) -> Void
    /// Set when libvirt reported the connection closed.
    let closed = Mutex(false)

    init(uri: String, handler: @escaping @Sendable (BackendEvent) -> Void) {
        self.uri = uri; self.handler = handler
    }
}

private enum LifecycleCallbacks {
    /// One function for both register and unregister: libvirt matches the close callback by pointer.
    static let connectionClosed: virConnectCloseFunc = { _, reason, opaque in
        guard let opaque, reason != Int32(VIR_CONNECT_CLOSE_REASON_CLIENT.rawValue) else { return }
        let context = Unmanaged<EventContext>.fromOpaque(opaque).takeUnretainedValue()
        context.closed.withLock { $0 = true }
        let why = switch UInt32(reason) {
        case VIR_CONNECT_CLOSE_REASON_EOF.rawValue: "the server closed the connection"
        case VIR_CONNECT_CLOSE_REASON_KEEPALIVE.rawValue: "the server stopped answering keepalives"
        default: "the connection failed"
        }
        context.handler(.connectionLost(message: LibvirtSession.lost(uri: context.uri, reason: why).message))
    }

    static let release: virFreeCallback = { opaque in
        guard let opaque else { return }
        Unmanaged<EventContext>.fromOpaque(opaque).release()
    }

    static func event(domain: OpaquePointer, type: Int32) -> BackendEvent {
        let type = UInt32(type)
        if type == VIR_DOMAIN_EVENT_DEFINED.rawValue || type == VIR_DOMAIN_EVENT_UNDEFINED.rawValue {
            return .instancesChanged
        }
        let name = virDomainGetName(domain).map { String(cString: $0) } ?? ""
        var state: Int32 = 0
        var reason: Int32 = 0
        let instanceState = virDomainGetState(domain, &state, &reason, 0) == 0
            ? LibvirtStates.instanceState(UInt32(state))
            : stateImplied(byEvent: type)
        return .instanceStateChanged(id: LibvirtStates.uuid(of: domain) ?? "", name: name, state: instanceState)
    }

    /// Used when the domain can no longer be asked (it may already be gone).
    static func stateImplied(byEvent type: UInt32) -> InstanceState {
        switch type {
        case VIR_DOMAIN_EVENT_STARTED.rawValue, VIR_DOMAIN_EVENT_RESUMED.rawValue: .running
        case VIR_DOMAIN_EVENT_SUSPENDED.rawValue: .paused
        case VIR_DOMAIN_EVENT_STOPPED.rawValue: .shutoff
        case VIR_DOMAIN_EVENT_SHUTDOWN.rawValue: .shutdown
        case VIR_DOMAIN_EVENT_PMSUSPENDED.rawValue: .suspended
        case VIR_DOMAIN_EVENT_CRASHED.rawValue: .crashed
        default: .unknown
        }
    }
}

extension LibvirtConnection {
    /// Starts delivering lifecycle events (define/undefine/start/stop/suspend/resume/crash) to
    /// `handler` from libvirt's event loop thread, plus `.connectionLost` if a remote connection
    /// drops. Keep the returned token: `cancel()` or releasing it deregisters.
    public func subscribeToLifecycleEvents(
        _ handler: @escaping @Sendable (BackendEvent) -> Void
    ) throws -> EventSubscription {
        let context = EventContext(uri: uri, handler: handler)
        let lifecycleCallback: virConnectDomainEventCallback = { _, domain, event, _, opaque in
            guard let domain, let opaque else { return 0 }
            let context = Unmanaged<EventContext>.fromOpaque(opaque).takeUnretainedValue()
            context.handler(LifecycleCallbacks.event(domain: domain, type: event))
            return 0
        }
        let lifecycleOpaque = Unmanaged.passRetained(context).toOpaque()
        let lifecycleID = virConnectDomainEventRegisterAny(
            handle, nil, Int32(VIR_DOMAIN_EVENT_ID_LIFECYCLE.rawValue),
            stacktop_lifecycle_callback_cast(lifecycleCallback), lifecycleOpaque, LifecycleCallbacks.release)
        guard lifecycleID >= 0 else {
            // libvirt does not call the free callback when registration fails.
            Unmanaged<EventContext>.fromOpaque(lifecycleOpaque).release()
            throw BackendError.failed(what: "Subscribing to lifecycle events of \(uri)",
                                      reason: LibvirtRuntime.lastErrorMessage())
        }
        // Only one close callback fits a connection; a second subscription simply goes without.
        let closeOpaque = Unmanaged.passRetained(context).toOpaque()
        let closeRegistered = virConnectRegisterCloseCallback(
            handle, LifecycleCallbacks.connectionClosed, closeOpaque, LifecycleCallbacks.release) == 0
        if !closeRegistered { Unmanaged<EventContext>.fromOpaque(closeOpaque).release() }
        return EventSubscription(connection: self, context: context, lifecycleID: lifecycleID,
                                 closeCallbackRegistered: closeRegistered)
    }
}

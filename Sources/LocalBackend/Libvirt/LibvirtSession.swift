import StacktopModel
import StacktopServices
import Synchronization

/// The backend's current libvirt connection, replaced by a fresh one once it has died (libvirtd
/// restarted), what the previous snapshot read of its domains (`DomainReadCache`, one per connection:
/// a fresh connection starts with an empty one) and the host CPU counters of the previous snapshot.
/// A class, so every copy of the backend value shares one connection.
///
/// No retry timing lives here: each call that finds the connection dead makes one attempt to open a
/// new one, and the caller decides how often to call. A stopped libvirtd fails that attempt at once
/// (its socket refuses or is gone).
final class LibvirtSession: Sendable {
    private struct State {
        var connection: LibvirtConnection
        var lastCPUTimes: NodeCPUTimes?
        var reads: DomainReadCache?
        /// A distant host's storage and networks from the last read (`KeptStorage`).
        var storage: KeptStorage?
    }

    let uri: String
    private let state: Mutex<State>
    private let open: @Sendable () throws -> LibvirtConnection
    private let isAlive: @Sendable (LibvirtConnection) -> Bool

    /// `open` and `isAlive` are replaceable so tests can kill a test-driver connection, which never dies.
    init(connection: LibvirtConnection, open: (@Sendable () throws -> LibvirtConnection)? = nil,
         isAlive: @escaping @Sendable (LibvirtConnection) -> Bool = { $0.isAlive }) {
        let uri = connection.uri, readOnly = connection.readOnly
        self.uri = uri
        self.open = open ?? { try LibvirtConnection(uri: uri, readOnly: readOnly) }
        self.isAlive = isAlive
        state = Mutex(State(connection: connection))
    }

    /// The connection in use now, alive or not; never blocks on libvirt.
    var current: LibvirtConnection { state.withLock { $0.connection } }

    /// The current connection if it is alive, else a freshly opened one that replaces it.
    /// Opening happens outside the lock so a slow daemon never blocks readers of `current`.
    func live() throws -> LibvirtConnection {
        let held = current
        if isAlive(held) { return held }
        let fresh: LibvirtConnection
        do {
            fresh = try open()
        } catch {
            throw Self.lost(uri: uri, reason: Self.reason(error))
        }
        let (connection, replaced) = state.withLock { state -> (LibvirtConnection, DomainReadCache?) in
            // Two callers may reconnect at once; the first one in wins and the other connection closes.
            if state.connection !== held, isAlive(state.connection) { return (state.connection, nil) }
            state.connection = fresh
            // Counters read before the gap would average the load over the whole outage.
            state.lastCPUTimes = nil
            state.storage = nil
            // What was read on the old connection says nothing certain about now; its events stopped.
            defer { state.reads = nil }
            return (fresh, state.reads)
        }
        // Let go here, after the lock: dropping it deregisters its events, a call to libvirt.
        withExtendedLifetime(replaced) {}
        return connection
    }

    /// The read cache of `connection`, made and registered for events on first use. A connection that was
    /// replaced meanwhile gets a one-off cache that re-reads everything.
    func readCache(for connection: LibvirtConnection) -> DomainReadCache {
        if let cache = state.withLock({ $0.reads }), cache.connection === connection { return cache }
        let made = DomainReadCache(connection: connection, watch: state.withLock { $0.connection === connection })
        return state.withLock { state in
            guard state.connection === connection else { return made }
            if let existing = state.reads, existing.connection === connection { return existing }
            state.reads = made
            return made
        }
    }

    /// After an action: the next snapshot re-reads every domain instead of waiting for the action's events.
    func invalidateReads() {
        let reads = state.withLock { state in
            state.storage = nil
            return state.reads
        }
        reads?.invalidate()
    }

    /// The storage and networks a read asked for by `request` may take from the previous read of `connection`.
    func keptStorage(for request: ReadRequest?, connection: LibvirtConnection) -> KeptStorage? {
        guard connection.isDistant else { return nil }
        return state.withLock { state in
            guard state.connection === connection, let kept = state.storage, kept.serves(request, now: .now) else { return nil }
            return kept
        }
    }

    /// Keeps what a distant host's read found, for the reads after it.
    func keep(_ inventory: HostInventory, readAt: ContinuousClock.Instant, of connection: LibvirtConnection) {
        guard connection.isDistant else { return }
        state.withLock { state in
            guard state.connection === connection else { return }
            state.storage = KeptStorage(pools: inventory.pools, volumes: inventory.poolVolumes,
                                        networks: inventory.networks, readAt: readAt)
        }
    }

    /// Runs `body` on a live connection. A failure that left the connection dead becomes the
    /// "cannot be reached" sentence; the next call then reconnects.
    func run<T>(_ body: (LibvirtConnection) throws -> T) throws -> T {
        let connection = try live()
        do {
            return try body(connection)
        } catch where !isAlive(connection) {
            throw Self.lost(uri: uri, reason: Self.reason(error))
        }
    }

    /// The host's CPU load since the previous call's counters, remembering `now` for the next call.
    func cpuUtilization(now: NodeCPUTimes?) -> Double? {
        state.withLock { state in
            defer { state.lastCPUTimes = now }
            guard let now, let before = state.lastCPUTimes else { return nil }
            return now.utilization(since: before)
        }
    }

    /// The one sentence for "libvirtd went away", used by snapshots, actions and the event stream alike.
    static func lost(uri: String, reason: String) -> BackendError {
        .failed(what: "Reaching the libvirt daemon at \(uri)",
                reason: "\(reason); stacktop reconnects by itself once libvirtd runs again")
    }

    /// libvirt's own words from an error, without the sentence a `BackendError` wraps them in.
    private static func reason(_ error: any Error) -> String {
        switch error as? BackendError {
        case .failed(_, let reason)?, .unreachable(_, let reason)?: reason
        default: "\(error)"
        }
    }
}

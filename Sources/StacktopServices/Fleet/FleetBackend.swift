import FoundationEssentials
import Synchronization
import StacktopModel

/// One context of a fleet, as the executable hands it over: how to open it, and what the store last saw of it.
public struct FleetMemberSource: Sendable {
    public var context: StacktopContext
    /// Opens the context's backend, already wrapped (audit, read-only when the context says so). May block
    /// (an ssh URI): it runs off the event loop, under the open deadline.
    public var open: @Sendable () throws -> FleetMemberBackend
    /// The store's last snapshot of it: drawn at once, marked cached, until its first live read.
    public var cached: CloudSnapshot?
    /// Its open and reads wait on the network (a cloud, a distant libvirt host): they get a thread of their own
    /// (`DedicatedThreadExecutor`). A host nearby (libvirt on this machine, the test driver inside this
    /// process) works the CPU instead and shares the global executor's threads, one per core: given a thread
    /// each, eight such hosts would share the cores evenly and all finish late, where two at a time bring the
    /// first rows at once.
    public var waitsOnNetwork: Bool

    public init(context: StacktopContext, cached: CloudSnapshot?, waitsOnNetwork: Bool = true,
                open: @escaping @Sendable () throws -> FleetMemberBackend) {
        self.context = context; self.cached = cached; self.waitsOnNetwork = waitsOnNetwork; self.open = open
    }
}

/// An opened context: its backend, its consoles, and where its snapshots are cached.
public struct FleetMemberBackend: Sendable {
    public var backend: any CloudBackend
    public var consoles: (any ConsoleAccess)?
    public var cache: (any SnapshotCache)?
    public var endpoint: String
    /// Seconds a read of this context may take, when it needs longer than the fleet's (a cloud's whole read).
    public var readSeconds: Double?

    public init(backend: any CloudBackend, consoles: (any ConsoleAccess)?, cache: (any SnapshotCache)?,
                readSeconds: Double? = nil) {
        self.backend = backend; self.consoles = consoles; self.cache = cache; self.readSeconds = readSeconds
        self.endpoint = backend.description.endpoint
    }
}

/// Every context of a fleet as one backend: each opened and read on its own (in parallel, each under its own
/// deadline and back-off), their snapshots merged into one (`CloudSnapshot.merging`), actions sent to the
/// backend of each target's context. A context that fails keeps its last good data, marked stale; one that
/// never answered is down; neither blanks the others.
public final class FleetBackend: CloudReader, CloudMutator, Sendable {
    public let description: BackendDescription
    let sources: [FleetMemberSource]
    let state: Mutex<[MemberState]>
    /// Seconds an open (a connection, a login) may take before the context counts as down this round.
    let openSeconds: Double
    /// Seconds one context's read may take before it counts as stale this round.
    let readSeconds: Double
    /// One thread per context that waits on the network, for its open and reads, which block (see
    /// `DedicatedThreadExecutor`); nil for the others, and where the system gave no thread: those run on the
    /// global executor.
    let threads: [DedicatedThreadExecutor?]

    struct MemberState {
        var opened: FleetMemberBackend?
        var lastGood: CloudSnapshot?
        var health: FleetHealth
        var failures = 0
        var retryAt: Date?
        /// An open or read still running past its deadline: not started again until it ends.
        var busy = false
        /// The snapshot last written to the cache, so an idle context is not written again.
        var saved: CloudSnapshot?
        /// A read of it has been started once (the first round's rows arrive context by context).
        var tried = false
    }

    public init(sources: [FleetMemberSource], openSeconds: Double = 10, readSeconds: Double = 20) {
        self.sources = sources
        self.openSeconds = openSeconds; self.readSeconds = readSeconds
        threads = sources.map { $0.waitsOnNetwork ? DedicatedThreadExecutor() : nil }
        let names = sources.map(\.context.name)
        description = BackendDescription(kind: .fleet, endpoint: "fleet " + names.joined(separator: ","))
        state = Mutex(sources.map { source in
            MemberState(lastGood: source.cached, health: source.cached == nil ? .down(reason: "Not read yet.") : .cached,
                        saved: source.cached)
        })
    }

    public var contextNames: [String] { sources.map(\.context.name) }

    /// What the store holds for every context, merged: the fleet's first frame.
    public func cachedSnapshot() -> CloudSnapshot? {
        let members = state.withLock { states in
            zip(sources, states).compactMap { source, member in
                member.lastGood.map { FleetMember(context: source.context.name, snapshot: $0, health: .cached,
                                                  readOnly: source.context.readOnly) }
            }
        }
        guard !members.isEmpty else { return nil }
        return .merging(allMembers(filling: members))
    }

    // MARK: Reading

    public func snapshot() async throws -> CloudSnapshot { try await snapshot(ReadRequest(), partial: { _ in }) }

    /// Until every context has been read live once, each context's instances reach the dashboard as they
    /// arrive (its own pieces too: a large cloud's names first), so a slow context never holds back the rows
    /// of the others; after that a read hands over the whole merged snapshot only (no table is rebuilt eight
    /// times per refresh).
    public func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        let progress = FleetProgress(instances: state.withLock { $0.map { $0.lastGood?.instances } },
                                     contexts: contextNames, report: partial)
        let progressive = state.withLock { $0.contains { !$0.tried } }
        let members = await withTaskGroup(of: (Int, FleetMember).self) { group in
            for index in sources.indices {
                var pieces: (@Sendable (PartialSnapshot) -> Void)?
                if progressive { pieces = { @Sendable piece in progress.piece(piece.instances, of: index) } }
                let forwarded = pieces
                group.addTask {
                    let member = await self.read(index, request, partial: forwarded)
                    if progressive { progress.finished(member.snapshot.instances, of: index) }
                    return (index, member)
                }
            }
            var members = [FleetMember?](repeating: nil, count: sources.count)
            for await (index, member) in group { members[index] = member }
            return members.compactMap { $0 }
        }
        return .merging(members)
    }

    /// Every context in order, those without a member given as empty and down.
    private func allMembers(filling members: [FleetMember]) -> [FleetMember] {
        sources.map { source in
            members.first { $0.context == source.context.name }
                ?? FleetMember(context: source.context.name, snapshot: CloudSnapshot(takenAt: Date(timeIntervalSince1970: 0)),
                               health: .down(reason: "Not read yet."), readOnly: source.context.readOnly)
        }
    }

    /// One context's part of this read: opened first if it is not (unless it waits out a back-off).
    private func read(_ index: Int, _ request: ReadRequest,
                      partial: (@Sendable (PartialSnapshot) -> Void)? = nil) async -> FleetMember {
        let source = sources[index]
        let now = Date()
        let (opened, skip) = state.withLock { states -> (FleetMemberBackend?, Bool) in
            let member = states[index]
            if member.busy { return (nil, true) }
            if member.opened == nil, let retryAt = member.retryAt, retryAt > now { return (nil, true) }
            states[index].busy = true
            states[index].tried = true
            return (member.opened, false)
        }
        if skip { return current(index) }
        let seconds = (opened == nil ? openSeconds : 0) + max(readSeconds, opened?.readSeconds ?? 0)
        // The work records its own result and clears `busy` when it ends, even after its deadline passed: a
        // slow read (a cloud of a thousand servers) still lands for the next refresh, and a hung open or read
        // is never started a second time beside the first.
        do {
            try await FleetDeadline.run(seconds: seconds, on: threads[index]) {
                defer { self.state.withLock { $0[index].busy = false } }
                let backend: FleetMemberBackend
                if let opened {
                    backend = opened
                } else {
                    backend = try source.open()
                    self.state.withLock { $0[index].opened = backend }
                }
                self.record(try await backend.backend.snapshot(request, partial: partial ?? { _ in }), of: index, from: backend)
            }
            return current(index)
        } catch {
            let neverOpened = state.withLock { $0[index].opened == nil }
            return failed(index, reason: error is FleetDeadline.Expired
                ? neverOpened
                    ? "\(source.context.name) did not open within \(Self.seconds(seconds)); stacktop tries again on its own."
                    : "\(source.context.name) did not answer within \(Self.seconds(seconds)); its last data is shown."
                : ErrorText.sentence(error))
        }
    }

    /// A context's good read: its data, its health, and its cache when the data changed since the last save.
    private func record(_ snapshot: CloudSnapshot, of index: Int, from backend: FleetMemberBackend) {
        let toSave: CloudSnapshot? = state.withLock { states in
            states[index].lastGood = snapshot
            states[index].health = .up
            states[index].failures = 0
            states[index].retryAt = nil
            guard states[index].saved.map({ !$0.hasSameData(as: snapshot) }) ?? true else { return nil }
            states[index].saved = snapshot
            return snapshot
        }
        if let toSave, let cache = backend.cache {
            // Off the read: every context shares one store, and eight saves at once wait on its write lock.
            let endpoint = backend.endpoint
            Task.detached(priority: .utility) { try? cache.saveSnapshot(toSave, for: endpoint) }
        }
    }

    private func failed(_ index: Int, reason: String) -> FleetMember {
        state.withLock { states in
            states[index].failures += 1
            // 2, 4, 8 … 60 s between attempts to open a context that is down.
            let wait = min(60, 2 * Double(1 << min(states[index].failures - 1, 5)))
            states[index].retryAt = Date().addingTimeInterval(wait)
            states[index].health = states[index].lastGood == nil ? .down(reason: reason) : .stale(reason: reason)
        }
        return current(index)
    }

    private func current(_ index: Int) -> FleetMember {
        let source = sources[index]
        return state.withLock { states in
            let member = states[index]
            return FleetMember(context: source.context.name,
                               snapshot: member.lastGood ?? CloudSnapshot(takenAt: Date(timeIntervalSince1970: 0)),
                               health: member.health, readOnly: source.context.readOnly)
        }
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
    }

    // MARK: Everything else goes to one context

    /// The opened backend of the context a qualified id or name names, and its local part.
    func member(of qualified: String) throws -> (backend: FleetMemberBackend, local: String, context: String) {
        guard let (local, context) = FleetID.split(qualified, among: contextNames) else {
            throw BackendError.refused(reason: "\"\(ErrorText.visible(qualified))\" names no context of this fleet; "
                                       + "name it as NAME@CONTEXT (\(contextNames.joined(separator: ", "))).")
        }
        let index = sources.firstIndex { $0.context.name == context }!
        guard let opened = state.withLock({ $0[index].opened }) else {
            let reason = state.withLock { $0[index].health.reason } ?? "it has not been opened yet."
            throw BackendError.unreachable(endpoint: context, reason: reason)
        }
        return (opened, local, context)
    }

    public func rawDefinition(instanceID: String) async throws -> String {
        let (backend, local, _) = try member(of: instanceID)
        return try await backend.backend.rawDefinition(instanceID: local)
    }

    /// Lifecycle events of every context, ids qualified: each context's from a quarter of a second after it
    /// opened (contexts open during the fleet's first read, after the dashboard subscribed; what changes
    /// before that shows on the next read). A context whose events end (its
    /// connection went) is not resubscribed here: its next read says whether it is stale.
    public func events() -> AsyncStream<BackendEvent> {
        AsyncStream { continuation in
            let task = Task {
                await withTaskGroup(of: Void.self) { group in
                    for (index, source) in sources.enumerated() {
                        let context = source.context.name
                        group.addTask {
                            var backend = self.state.withLock { $0[index].opened?.backend }
                            while backend == nil, !Task.isCancelled {
                                try? await Task.sleep(for: .milliseconds(250))
                                backend = self.state.withLock { $0[index].opened?.backend }
                            }
                            guard let backend else { return }
                            for await event in backend.events() {
                                switch event {
                                case .instanceStateChanged(let id, let name, let state):
                                    continuation.yield(.instanceStateChanged(id: FleetID.qualified(id, context: context),
                                                                             name: name, state: state))
                                case .instancesChanged, .connectionLost:
                                    continuation.yield(.instancesChanged)
                                }
                            }
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// What any open context can do; a context that cannot refuses its own part when asked.
    public var capabilities: Capabilities {
        let all = state.withLock { $0.compactMap { $0.opened?.backend.capabilities } }
        guard let first = all.first else { return .none }
        return all.dropFirst().reduce(first) { union, next in
            Capabilities(supported: union.supported.union(next.supported),
                         unsupportedKinds: union.unsupportedKinds.filter { next.unsupportedKinds[$0.key] != nil })
        }
    }
}

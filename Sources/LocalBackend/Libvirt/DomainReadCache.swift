import CLibvirt
import StacktopModel
import Synchronization

/// A domain's UUID as libvirt's 16 raw bytes: read without formatting, hashed cheaply.
struct DomainKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    /// nil when libvirt cannot tell (the domain object is unusable).
    init?(_ domain: OpaquePointer) {
        var bytes = (UInt64(0), UInt64(0))
        let read = withUnsafeMutableBytes(of: &bytes) { buffer in
            virDomainGetUUID(domain, buffer.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard read == 0 else { return nil }
        high = bytes.0; low = bytes.1
    }
}

/// What one libvirt connection remembers of each domain between two inventories, so a refresh re-reads
/// a domain's XML only when its definition may have changed.
///
/// A domain is read in full (its XML, plus what the driver cannot give in bulk) when it was not seen
/// before, when an event said it changed (any lifecycle event, a device added or removed, a disk's
/// source changed, a block job ended), when its state differs from the state it was read in, when
/// `invalidate()` was called (after every action of ours: the events it causes arrive a moment later,
/// and the refresh that follows the action must already show it), and on every `fullReadInterval`th read.
/// Without event registration every read is a full read. Belongs to one connection: a reconnect makes a
/// new, empty one (see `LibvirtSession`).
final class DomainReadCache: Sendable {
    /// One domain as it was last read in full, with what later reads filled in.
    struct Entry {
        var key: DomainKey
        /// The formatted UUID (the instance id), made once.
        var id: String
        var name: String
        /// The raw `virDomainState` the domain was in when read.
        var state: Int32
        /// The definition's disks with the capacities of the last read, and its interfaces with the addresses
        /// of the last read: the instance made of the entry shares these arrays, and a read that finds the same
        /// values leaves them (and so the instance) as they are.
        var disks: [InstanceDisk]
        var interfaces: [InstanceInterface]
        var graphics: [GraphicsConsole]
        /// The pool and volume each disk names (`<source pool= volume=>`); empty when no disk names one.
        var volumeNames: [DomainDefinition.VolumeName]
        /// Capacities of disks that no pool volume describes, by disk index, asked once (`virDomainGetBlockInfo`).
        var blockCapacities: [Int: UInt64?] = [:]
        /// What the driver gives only per domain, where it is kept with the definition
        /// (`LibvirtConnection.keepsRuntimeWithDefinition`).
        var kept: KeptRuntime?
        /// Where the instance the previous read made of it sits in that read's list, and the figures it was
        /// made with: while those and the arrays above stay the same the instance is not made again, so an
        /// unchanged instance keeps its storage from read to read (and compares equal by pointers).
        var made: (position: Int, scalars: Scalars)?
        /// The number of the last read that listed it.
        var seen = 0
    }

    /// What an instance shows besides the entry's own lists.
    struct Scalars: Equatable {
        var state: InstanceState
        var vcpus: Int
        var memoryMiB: Int
        var cpuTime: UInt64?
        var powerState: PowerState?
        var usage: InstanceUsage?
    }

    /// vCPUs, memory, addresses and the managed save of a driver whose runtime facts follow from the
    /// definition and state (`LibvirtConnection.keepsRuntimeWithDefinition`).
    struct KeptRuntime {
        var vcpus: Int
        var memoryKiB: UInt64
        /// nil for a guest that is not running.
        var addresses: [[String]]?
        var managedSave: Bool
    }

    /// What the previous read left. Entries sit in an array and are changed in place by index (an entry is
    /// a few hundred bytes; going through a dictionary's value would copy it on every look).
    struct Table {
        private(set) var entries: [Entry] = []
        private var slots: [DomainKey: Int] = [:]
        /// The previous read's list, returned again (the same storage) when nothing in it changed.
        private(set) var instances: [Instance] = []
        /// How many definitions were read, over all reads (for tests).
        private(set) var definitionsRead = 0

        func slot(of key: DomainKey) -> Int? { slots[key] }

        subscript(slot: Int) -> Entry {
            get { entries[slot] }
            _modify { yield &entries[slot] }
        }

        /// Room for `count` entries, so a first read of thousands does not grow the array step by step.
        mutating func reserve(_ count: Int) { entries.reserveCapacity(count) }

        /// Puts a freshly read entry in the domain's slot, or a new slot; returns the slot.
        mutating func store(_ entry: Entry, for key: DomainKey) -> Int {
            definitionsRead += 1
            if let slot = slots[key] {
                entries[slot] = entry
                return slot
            }
            entries.append(entry)
            slots[key] = entries.count - 1
            return entries.count - 1
        }

        /// Forgets the domains the read numbered `read` did not list, and says whether slots changed (so this
        /// comes after the listing and before any slot is used again).
        mutating func sweep(keeping read: Int, listed: Int) -> Bool {
            guard entries.count != listed else { return false }
            entries.removeAll { $0.seen != read }
            slots = [:]
            for (slot, entry) in entries.enumerated() { slots[entry.key] = slot }
            return true
        }

        /// `made` itself, or the previous list when it is equal, so an unchanged list keeps its storage.
        mutating func settle(_ made: [Instance]) -> [Instance] {
            if made == instances { return instances }
            instances = made
            return made
        }
    }

    /// What one read must re-read.
    struct Plan {
        /// Numbers reads from 1, so an entry's `seen` says which read listed it last.
        var number: Int
        var everything: Bool
        var marked: Set<DomainKey>

        func mustReread(_ key: DomainKey) -> Bool { everything || marked.contains(key) }
    }

    /// Every `fullReadInterval`th read re-reads every domain, a safety net for a change no event told of.
    static let fullReadInterval = 30

    let connection: LibvirtConnection
    private let marks: DirtyDomains
    private let registrations: [Int32]

    private struct State {
        var table = Table()
        var reads = 0
        var fullReads = 0
    }

    /// Held for a whole read: two reads at once would each take half of the marks.
    private let state = Mutex(State())

    /// Whether events reach this cache; without them every read is a full one.
    var isWatching: Bool { !registrations.isEmpty }

    /// How many reads there were, how many of them re-read everything, and how many definitions they read
    /// (for tests).
    var counts: (reads: Int, full: Int, definitions: Int) {
        state.withLock { ($0.reads, $0.fullReads, $0.table.definitionsRead) }
    }

    /// Whether an event or `invalidate()` marked `domain` (or everything) for the next read (for tests).
    func isMarked(_ domain: OpaquePointer) -> Bool { marks.isMarked(domain) }

    /// `watch` registers for the events that mark domains changed; a cache that does not watch (or whose
    /// registration fails) re-reads everything every time, which is also what a one-off read wants.
    init(connection: LibvirtConnection, watch: Bool) {
        self.connection = connection
        let marks = DirtyDomains()
        self.marks = marks
        registrations = watch ? DirtyDomains.register(marks, on: connection.handle) : []
    }

    deinit {
        for id in registrations { virConnectDomainEventDeregisterAny(connection.handle, id) }
    }

    /// Marks every domain for a full read on the next inventory.
    func invalidate() { marks.markAll() }

    /// Runs one read: `body` gets the plan and what the previous read left, and leaves what this one read.
    /// Marks are taken before `body` lists anything, so a change that happens during the read marks its
    /// domain for the next one.
    func read<T>(_ body: (Plan, inout Table) throws -> T) rethrows -> T {
        try state.withLock { state in
            state.reads += 1
            let taken = marks.take()
            let plan = Plan(number: state.reads,
                            everything: !isWatching || taken.all || state.reads % Self.fullReadInterval == 1,
                            marked: taken.keys)
            if plan.everything { state.fullReads += 1 }
            do {
                return try body(plan, &state.table)
            } catch {
                // Marks taken by a read that failed would be lost: the next read is a full one.
                marks.markAll()
                throw error
            }
        }
    }
}

/// Domains marked changed by libvirt's event thread, taken by the next read.
private final class DirtyDomains: Sendable {
    private struct Marks {
        var keys: Set<DomainKey> = []
        var all = false
    }

    private let marks = Mutex(Marks())

    func mark(_ domain: OpaquePointer?) {
        guard let domain else { return markAll() }
        guard let key = DomainKey(domain) else { return markAll() }
        _ = marks.withLock { $0.keys.insert(key) }
    }

    func markAll() { marks.withLock { $0.all = true } }

    func isMarked(_ domain: OpaquePointer) -> Bool {
        let key = DomainKey(domain)
        return marks.withLock { $0.all || key.map($0.keys.contains) == true }
    }

    func take() -> (keys: Set<DomainKey>, all: Bool) {
        marks.withLock { marks in
            defer { marks = Marks() }
            return (marks.keys, marks.all)
        }
    }

    // MARK: Registration

    private static func marks(_ opaque: UnsafeMutableRawPointer?) -> DirtyDomains? {
        opaque.map { Unmanaged<DirtyDomains>.fromOpaque($0).takeUnretainedValue() }
    }

    private static let lifecycle: virConnectDomainEventCallback = { _, domain, _, _, opaque in
        marks(opaque)?.mark(domain)
        return 0
    }

    /// Device added and device removed share this signature.
    private static let device: virConnectDomainEventDeviceAddedCallback = { _, domain, _, opaque in
        marks(opaque)?.mark(domain)
    }

    private static let diskChange: virConnectDomainEventDiskChangeCallback = { _, domain, _, _, _, _, opaque in
        marks(opaque)?.mark(domain)
    }

    private static let blockJob: virConnectDomainEventBlockJobCallback = { _, domain, _, _, _, opaque in
        marks(opaque)?.mark(domain)
    }

    private static let release: virFreeCallback = { opaque in
        if let opaque { Unmanaged<DirtyDomains>.fromOpaque(opaque).release() }
    }

    /// Registers every event that can change what a domain's XML says; all or nothing. Returns the
    /// callback ids, or none when libvirt refused one (the caller then re-reads everything every time).
    static func register(_ marks: DirtyDomains, on handle: OpaquePointer) -> [Int32] {
        // Every libvirt domain callback starts (connection, domain, ...) and ends with the opaque pointer;
        // libvirt calls each through the type its event id names, so the generic type is only for passing.
        let callbacks: [(virDomainEventID, virConnectDomainEventGenericCallback)] = [
            (VIR_DOMAIN_EVENT_ID_LIFECYCLE, unsafeBitCast(lifecycle, to: virConnectDomainEventGenericCallback.self)),
            (VIR_DOMAIN_EVENT_ID_DEVICE_ADDED, unsafeBitCast(device, to: virConnectDomainEventGenericCallback.self)),
            (VIR_DOMAIN_EVENT_ID_DEVICE_REMOVED, unsafeBitCast(device, to: virConnectDomainEventGenericCallback.self)),
            (VIR_DOMAIN_EVENT_ID_DISK_CHANGE, unsafeBitCast(diskChange, to: virConnectDomainEventGenericCallback.self)),
            (VIR_DOMAIN_EVENT_ID_BLOCK_JOB_2, unsafeBitCast(blockJob, to: virConnectDomainEventGenericCallback.self)),
        ]
        var ids: [Int32] = []
        for (event, callback) in callbacks {
            let opaque = Unmanaged.passRetained(marks).toOpaque()
            let id = virConnectDomainEventRegisterAny(handle, nil, Int32(event.rawValue), callback, opaque, release)
            guard id >= 0 else {
                // libvirt does not call the free callback when registration fails.
                Unmanaged<DirtyDomains>.fromOpaque(opaque).release()
                for registered in ids { virConnectDomainEventDeregisterAny(handle, registered) }
                return []
            }
            ids.append(id)
        }
        return ids
    }
}

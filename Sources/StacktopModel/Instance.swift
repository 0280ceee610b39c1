/// A virtual machine: a libvirt domain on the local backend, a Nova server on the remote one.
public struct Instance: Sendable, Equatable, Codable, Identifiable {
    public var id: String
    public var name: String
    public var state: InstanceState
    public var vcpus: Int
    public var memoryMiB: Int
    public var disks: [InstanceDisk]
    public var interfaces: [InstanceInterface]
    public var graphics: [GraphicsConsole]
    /// Name of the image the root disk was made from, when known.
    public var image: String?
    /// Name of the flavor, when known (the store records it at launch; otherwise matched by size).
    public var flavor: String?
    /// Name of the owning project, when known.
    public var project: String?
    public var createdAt: Date?
    /// Total CPU time used, in nanoseconds (stats refresh).
    public var cpuTimeNanoseconds: UInt64?
    public var hostname: String?
    public var keypair: String?
    public var securityGroups: [String]
    public var locked: Bool
    /// Nova's `OS-EXT-AZ:availability_zone`; nil on a libvirt host (shown "-").
    public var availabilityZone: String?
    /// Nova's `OS-EXT-STS:task_state` ("powering-off", "rebooting"...); nil when no task runs, and always on libvirt.
    public var taskState: String?
    /// What the hypervisor says the guest is doing (Nova's `OS-EXT-STS:power_state`, libvirt's domain state).
    public var powerState: PowerState?
    /// Running totals from the hypervisor's statistics (libvirt's bulk statistics); the dashboard turns two
    /// reads into rates. nil where the backend gives none (OpenStack, the test driver, a guest not running).
    public var usage: InstanceUsage?
    /// CPU %, memory in use and byte rates between the two latest reads, which the dashboard works out
    /// (`InstanceRates.between`); nil until it has them.
    public var rates: InstanceRates?

    public init(id: String, name: String, state: InstanceState, vcpus: Int, memoryMiB: Int,
                disks: [InstanceDisk] = [], interfaces: [InstanceInterface] = [],
                graphics: [GraphicsConsole] = [], image: String? = nil, flavor: String? = nil,
                project: String? = nil, createdAt: Date? = nil, cpuTimeNanoseconds: UInt64? = nil,
                hostname: String? = nil, keypair: String? = nil, securityGroups: [String] = [],
                locked: Bool = false, availabilityZone: String? = nil, taskState: String? = nil,
                powerState: PowerState? = nil, usage: InstanceUsage? = nil) {
        self.id = id; self.name = name; self.state = state; self.vcpus = vcpus
        self.memoryMiB = memoryMiB; self.disks = disks; self.interfaces = interfaces
        self.graphics = graphics; self.image = image; self.flavor = flavor; self.project = project
        self.createdAt = createdAt; self.cpuTimeNanoseconds = cpuTimeNanoseconds
        self.hostname = hostname; self.keypair = keypair; self.securityGroups = securityGroups
        self.locked = locked; self.availabilityZone = availabilityZone; self.taskState = taskState
        self.powerState = powerState; self.usage = usage
    }

    /// The instance's own disks in GiB, what the Disk column shows: the root disk the flavor gives
    /// (Nova), or the domain's disks (libvirt). Attached block-storage volumes are not counted; they
    /// have their own size in the Volumes panel.
    public var diskGiB: Double {
        disks.filter { $0.device == .disk && $0.volumeID == nil }
            .reduce(0) { $0 + Double($1.capacityBytes ?? 0) } / 1_073_741_824
    }

    /// Every address known on any interface, in interface order.
    public var addresses: [String] { interfaces.flatMap(\.addresses) }
}

/// The power state as Nova numbers it (`OS-EXT-STS:power_state`), named as the `openstack` CLI prints it.
public enum PowerState: Int, Sendable, Codable, CaseIterable {
    case noState = 0, running = 1, paused = 3, shutdown = 4, crashed = 6, suspended = 7

    /// "Running", "Shutdown", ... ("NOSTATE" for 0), as `openstack server list` shows them.
    public var label: String {
        switch self {
        case .noState: "NOSTATE"
        case .running: "Running"
        case .paused: "Paused"
        case .shutdown: "Shutdown"
        case .crashed: "Crashed"
        case .suspended: "Suspended"
        }
    }

    /// Nova's number; a number Nova does not define is no state rather than a guess.
    public init(nova number: Int) { self = PowerState(rawValue: number) ?? .noState }
}

/// Running totals of what a guest has used since it started, as one statistics read gives them. Every
/// field is nil where the hypervisor does not report it.
public struct InstanceUsage: Sendable, Equatable, Codable {
    /// Guest memory in use, in KiB (libvirt's `balloon.rss`, or `balloon.current - balloon.unused`).
    public var memoryUsedKiB: UInt64?
    /// Sums over the guest's disks and interfaces (`block.N.rd.bytes` ..., `net.N.rx.bytes` ...).
    public var diskReadBytes: UInt64?
    public var diskWriteBytes: UInt64?
    public var networkReceivedBytes: UInt64?
    public var networkSentBytes: UInt64?

    public init(memoryUsedKiB: UInt64? = nil, diskReadBytes: UInt64? = nil, diskWriteBytes: UInt64? = nil,
                networkReceivedBytes: UInt64? = nil, networkSentBytes: UInt64? = nil) {
        self.memoryUsedKiB = memoryUsedKiB; self.diskReadBytes = diskReadBytes; self.diskWriteBytes = diskWriteBytes
        self.networkReceivedBytes = networkReceivedBytes; self.networkSentBytes = networkSentBytes
    }
}

/// The life-cycle state of an instance, named as Horizon and Nova name them.
public enum InstanceState: String, Sendable, Codable, CaseIterable, Comparable {
    case running, paused, shutdown, shutoff, crashed, suspended, building, error, unknown
    /// Known by id and name only: its details are still on their way (a large cloud's first read).
    case loading

    /// The label Horizon shows ("Active", "Shutoff", ...).
    public var label: String {
        switch self {
        case .running: "Running"
        case .paused: "Paused"
        case .shutdown: "Shutting down"
        case .shutoff: "Shut off"
        case .crashed: "Crashed"
        case .suspended: "Suspended"
        case .building: "Building"
        case .error: "Error"
        case .unknown: "Unknown"
        case .loading: "Loading…"
        }
    }

    public static func < (lhs: InstanceState, rhs: InstanceState) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

public struct InstanceDisk: Sendable, Equatable, Codable {
    public enum Device: String, Sendable, Codable { case disk, cdrom, floppy, lun }
    /// Guest device name, e.g. "vda".
    public var target: String
    /// Host path or volume the disk reads from, if any.
    public var source: String?
    public var device: Device
    /// Image format from the driver element, e.g. "qcow2".
    public var format: String?
    public var capacityBytes: UInt64?
    public var bus: String?
    public var readOnly: Bool
    /// Set for an attached block-storage volume (a Cinder volume on Nova): its id; `source` is then
    /// the volume's name and `target` its device.
    public var volumeID: String?
    /// Whether deleting the instance deletes this disk (Nova's `delete_on_termination`): true only for
    /// what was made for the instance (its root disk, its cloud-init seed); nil when the backend cannot tell.
    public var deleteOnTermination: Bool?

    public init(target: String, source: String? = nil, device: Device = .disk, format: String? = nil,
                capacityBytes: UInt64? = nil, bus: String? = nil, readOnly: Bool = false, volumeID: String? = nil,
                deleteOnTermination: Bool? = nil) {
        self.target = target; self.source = source; self.device = device; self.format = format
        self.capacityBytes = capacityBytes; self.bus = bus; self.readOnly = readOnly; self.volumeID = volumeID
        self.deleteOnTermination = deleteOnTermination
    }
}

public struct InstanceInterface: Sendable, Equatable, Codable {
    public var mac: String
    /// Network (or bridge) name the interface is plugged into.
    public var network: String?
    /// "network", "bridge", "user", ...
    public var type: String
    public var model: String?
    public var addresses: [String]
    public var targetDevice: String?

    public init(mac: String, network: String? = nil, type: String = "network", model: String? = nil,
                addresses: [String] = [], targetDevice: String? = nil) {
        self.mac = mac; self.network = network; self.type = type; self.model = model
        self.addresses = addresses; self.targetDevice = targetDevice
    }
}

/// A graphical console a guest offers (VNC or SPICE).
public struct GraphicsConsole: Sendable, Equatable, Codable {
    public var type: String
    public var listen: String?
    /// -1 while an autoport console is not allocated yet.
    public var port: Int
    public var autoport: Bool

    public init(type: String, listen: String? = nil, port: Int = -1, autoport: Bool = false) {
        self.type = type; self.listen = listen; self.port = port; self.autoport = autoport
    }
}

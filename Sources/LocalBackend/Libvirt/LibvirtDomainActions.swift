#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopServices

/// Where a domain is in its life, as the action rules need it (finer than `InstanceState`: a
/// managed save is a shut-off domain that `start` resumes).
enum DomainRunState: Sendable, Equatable {
    case running, paused, shuttingDown, shutOff, saved, crashed, guestSuspended, unknown

    /// Completes "web-01 is …".
    var phrase: String {
        switch self {
        case .running: "running"
        case .paused: "paused"
        case .shuttingDown: "shutting down"
        case .shutOff: "shut off"
        case .saved: "suspended"
        case .crashed: "crashed"
        case .guestSuspended: "suspended by its guest OS"
        case .unknown: "in a state libvirt does not name"
        }
    }
}

/// One domain's identity and state, read right before an action decides anything.
struct DomainStatus: Sendable, Equatable {
    var uuid: String
    var name: String
    var state: DomainRunState
    /// libvirt's own "is it running at all" (a crashed domain may still be active).
    var active: Bool
}

/// The libvirt calls an instance action can make, one per variant.
enum DomainCall: Sendable, Equatable {
    case create, shutdown, destroy, reboot, reset, suspend, resume, managedSave, undefine
    case rename(to: String)

    /// "Shutting down web-01 failed: …".
    func gerund(_ name: String) -> String {
        switch self {
        case .create: "Starting \(name)"
        case .shutdown: "Shutting down \(name)"
        case .destroy: "Powering off \(name)"
        case .reboot: "Rebooting \(name)"
        case .reset: "Resetting \(name)"
        case .suspend: "Pausing \(name)"
        case .resume: "Unpausing \(name)"
        case .managedSave: "Suspending \(name)"
        case .undefine: "Removing the definition of \(name)"
        case .rename(let newName): "Renaming \(name) to \(newName)"
        }
    }
}

extension LibvirtConnection {
    /// Reads the domain named `target`, or whose UUID is `target`.
    func domainStatus(_ target: String) throws -> DomainStatus {
        try withDomain(target) { domain in
            var state: Int32 = 0
            var reason: Int32 = 0
            guard virDomainGetState(domain, &state, &reason, 0) == 0,
                  let uuid = LibvirtStates.uuid(of: domain), let name = virDomainGetName(domain) else {
                throw libvirtFailure("Reading the state of \(target)")
            }
            let active = virDomainIsActive(domain) == 1
            let saved = !active && virDomainHasManagedSaveImage(domain, 0) == 1
            return DomainStatus(uuid: uuid, name: String(cString: name),
                                state: saved ? .saved : Self.runState(UInt32(state)), active: active)
        }
    }

    /// Makes one libvirt call on the domain with UUID `uuid`; `name` is for the error sentence.
    func call(_ call: DomainCall, uuid: String, name: String) throws {
        try withDomain(uuid) { domain in
            let result: Int32 = switch call {
            case .create: virDomainCreate(domain)
            case .shutdown: virDomainShutdown(domain)
            case .destroy: virDomainDestroy(domain)
            case .reboot: virDomainReboot(domain, 0)
            case .reset: virDomainReset(domain, 0)
            case .suspend: virDomainSuspend(domain)
            case .resume: virDomainResume(domain)
            case .managedSave: virDomainManagedSave(domain, 0)
            case .undefine: Self.undefine(domain)
            case .rename(let newName): virDomainRename(domain, newName, 0)
            }
            if result != 0 { throw libvirtFailure(call.gerund(name)) }
        }
    }

    /// True when some domain other than `uuid` is called `name`.
    func domainNameTaken(_ name: String, except uuid: String) -> Bool {
        guard let domain = virDomainLookupByName(handle, name) else { return false }
        defer { virDomainFree(domain) }
        return LibvirtStates.uuid(of: domain) != uuid
    }

    /// Deletes the pool volume `name` in `pool`, leaving the pool's other volumes alone.
    func deleteVolume(pool poolName: String, name: String) throws {
        let what = "Deleting volume \(name) in storage pool \(poolName)"
        guard let pool = virStoragePoolLookupByName(handle, poolName) else { throw libvirtFailure(what) }
        defer { virStoragePoolFree(pool) }
        guard let volume = virStorageVolLookupByName(pool, name) else { throw libvirtFailure(what) }
        defer { virStorageVolFree(volume) }
        if virStorageVolDelete(volume, 0) != 0 { throw libvirtFailure(what) }
    }

    /// Managed save, snapshot metadata and NVRAM would otherwise make undefine fail or be left
    /// behind; drivers without NVRAM (the test driver) reject that flag, so it is dropped for them.
    private static func undefine(_ domain: OpaquePointer) -> Int32 {
        let base = VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue | VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA.rawValue
        if virDomainUndefineFlags(domain, base | VIR_DOMAIN_UNDEFINE_NVRAM.rawValue) == 0 { return 0 }
        guard LibvirtRuntime.lastErrorCode() == Int32(VIR_ERR_INVALID_ARG.rawValue) else { return -1 }
        return virDomainUndefineFlags(domain, base)
    }

    private static func runState(_ state: UInt32) -> DomainRunState {
        switch state {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: .running
        case VIR_DOMAIN_PAUSED.rawValue: .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue: .shuttingDown
        case VIR_DOMAIN_SHUTOFF.rawValue: .shutOff
        case VIR_DOMAIN_CRASHED.rawValue: .crashed
        case VIR_DOMAIN_PMSUSPENDED.rawValue: .guestSuspended
        default: .unknown
        }
    }

    /// Looks `target` up as a UUID first (when it looks like one), then as a name, so a domain
    /// whose name happens to look like a UUID is still found.
    private func withDomain<T>(_ target: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        var domain: OpaquePointer? = nil
        if Self.looksLikeUUID(target) { domain = virDomainLookupByUUIDString(handle, target) }
        if domain == nil { domain = virDomainLookupByName(handle, target) }
        guard let domain else {
            if LibvirtRuntime.lastErrorCode() == Int32(VIR_ERR_NO_DOMAIN.rawValue) {
                throw BackendError.notFound(kind: "server", name: target)
            }
            throw libvirtFailure("Looking up instance \(target)")
        }
        defer { virDomainFree(domain) }
        return try body(domain)
    }

    private static func looksLikeUUID(_ text: String) -> Bool {
        let hex = text.filter { $0 != "-" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
    }

    /// The calling thread's last libvirt error as a sentence, with what to do for the errors
    /// users can act on. Must be called right after the failing call, on the same thread.
    func libvirtFailure(_ what: String) -> BackendError {
        let message = LibvirtRuntime.lastErrorMessage()
        let code = LibvirtRuntime.lastErrorCode()
        let advice: String = switch code {
        case Int32(VIR_ERR_OPERATION_INVALID.rawValue):
            "; its state changed meanwhile, so refresh the list and try again"
        case Int32(VIR_ERR_NO_SUPPORT.rawValue) where uri.hasPrefix("test:"):
            // The demo: say that a real host can, rather than "use another action".
            "; libvirt's test driver, which runs the demo, cannot do this, so it needs a real host (--connect qemu:///system)"
        case Int32(VIR_ERR_NO_SUPPORT.rawValue), Int32(VIR_ERR_OPERATION_UNSUPPORTED.rawValue):
            "; this hypervisor cannot do it, so use another action"
        case Int32(VIR_ERR_OPERATION_DENIED.rawValue), Int32(VIR_ERR_AUTH_FAILED.rawValue):
            "; connect with a user allowed to manage \(uri)"
        case Int32(VIR_ERR_NO_DOMAIN.rawValue), Int32(VIR_ERR_NO_STORAGE_VOL.rawValue),
             Int32(VIR_ERR_NO_STORAGE_POOL.rawValue):
            "; it is gone, so refresh the list"
        default:
            "; check the libvirt log of \(uri) for details"
        }
        return .failed(what: what, reason: message + advice)
    }
}

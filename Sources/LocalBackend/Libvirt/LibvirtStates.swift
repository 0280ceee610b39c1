import CLibvirt
import StacktopModel

enum LibvirtStates {
    /// Maps `virDomainState` to the state names Horizon uses.
    static func instanceState(_ state: UInt32) -> InstanceState {
        switch state {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: .running
        case VIR_DOMAIN_PAUSED.rawValue: .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue: .shutdown
        case VIR_DOMAIN_SHUTOFF.rawValue: .shutoff
        case VIR_DOMAIN_CRASHED.rawValue: .crashed
        case VIR_DOMAIN_PMSUSPENDED.rawValue: .suspended
        default: .unknown
        }
    }

    /// Nova's power state for a domain state, as Nova's libvirt driver maps them (blocked is running,
    /// shut off is shutdown, suspended to memory is suspended).
    static func powerState(_ state: UInt32) -> PowerState {
        switch state {
        case VIR_DOMAIN_RUNNING.rawValue, VIR_DOMAIN_BLOCKED.rawValue: .running
        case VIR_DOMAIN_PAUSED.rawValue: .paused
        case VIR_DOMAIN_SHUTDOWN.rawValue, VIR_DOMAIN_SHUTOFF.rawValue: .shutdown
        case VIR_DOMAIN_CRASHED.rawValue: .crashed
        case VIR_DOMAIN_PMSUSPENDED.rawValue: .suspended
        default: .noState
        }
    }

    static func uuid(of domain: OpaquePointer) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(VIR_UUID_STRING_BUFLEN)) { buffer in
            virDomainGetUUIDString(domain, buffer.baseAddress) == 0 ? String(cString: buffer.baseAddress!) : nil
        }
    }
}

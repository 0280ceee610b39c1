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

    static func uuid(of domain: OpaquePointer) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(VIR_UUID_STRING_BUFLEN)) { buffer in
            virDomainGetUUIDString(domain, buffer.baseAddress) == 0 ? String(cString: buffer.baseAddress!) : nil
        }
    }
}

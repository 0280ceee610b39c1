#if canImport(Glibc)
import Glibc
#endif
import CLibvirt
import StacktopServices

/// Hot-plug and redefinition: devices change live where the guest runs and in the saved definition always.
extension LibvirtConnection {
    private func withDomain<T>(uuid: String, _ body: (OpaquePointer) throws -> T) throws -> T {
        guard let domain = virDomainLookupByUUIDString(handle, uuid) else { throw BackendError.notFound(kind: "instance", name: uuid) }
        defer { virDomainFree(domain) }
        return try body(domain)
    }

    private static func deviceFlags(_ domain: OpaquePointer) -> UInt32 {
        let config = UInt32(VIR_DOMAIN_AFFECT_CONFIG.rawValue)
        return virDomainIsActive(domain) == 1 ? config | UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue) : config
    }

    func attachDevice(uuid: String, xml: String, what: String) throws {
        try withDomain(uuid: uuid) { domain in
            guard virDomainAttachDeviceFlags(domain, xml, Self.deviceFlags(domain)) == 0 else { throw libvirtFailure(what) }
        }
    }

    func detachDevice(uuid: String, xml: String, what: String) throws {
        try withDomain(uuid: uuid) { domain in
            guard virDomainDetachDeviceFlags(domain, xml, Self.deviceFlags(domain)) == 0 else { throw libvirtFailure(what) }
        }
    }

    /// The persistent definition (what a redefinition edits), not the live one.
    func inactiveDomainXML(uuid: String) throws -> String {
        try withDomain(uuid: uuid) { domain in
            guard let xml = LibvirtRuntime.consume(virDomainGetXMLDesc(domain, UInt32(VIR_DOMAIN_XML_INACTIVE.rawValue))) else {
                throw libvirtFailure("Reading the definition of \(uuid)")
            }
            return xml
        }
    }

    /// Copies a volume (flattening any backing chain) into a new volume of `poolName`; returns its path.
    func copyVolume(sourcePath: String, poolName: String, name: String, capacityBytes: UInt64) throws -> String {
        try createVolume(poolName: poolName, xml: VolumeXML.qcow2(name: name, capacityBytes: capacityBytes),
                         cloneFrom: sourcePath)
    }

    func networkFilterExists(_ name: String) -> Bool {
        guard let filter = virNWFilterLookupByName(handle, name) else { return false }
        virNWFilterFree(filter)
        return true
    }
}

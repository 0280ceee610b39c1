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

    /// Whether the domain runs (or is paused): only then does a device have a live side to unplug.
    func isActive(uuid: String) throws -> Bool {
        try withDomain(uuid: uuid) { virDomainIsActive($0) == 1 }
    }

    /// The `<devices>` of the running guest (`live`) or of the saved definition; nil if there is none.
    func devices(uuid: String, live: Bool) throws -> XMLTree.Element? {
        try withDomain(uuid: uuid) { domain in
            let flags = live ? UInt32(0) : UInt32(VIR_DOMAIN_XML_INACTIVE.rawValue)
            return try parseLibvirtXML(virDomainGetXMLDesc(domain, flags), what: "instance \(uuid)")?.child("devices")
        }
    }

    /// Asks the running guest to let the device go. This only asks: the guest must answer (PCI unplug through
    /// ACPI), and the device stays until it does, so callers wait for it to leave the live definition.
    /// With the device's alias the request returns at once; without one libvirt itself waits up to 5 s.
    func requestLiveDetach(uuid: String, alias: String?, xml: String, what: String) throws {
        try withDomain(uuid: uuid) { domain in
            let live = UInt32(VIR_DOMAIN_AFFECT_LIVE.rawValue)
            let result = if let alias { virDomainDetachDeviceAlias(domain, alias, live) }
                         else { virDomainDetachDeviceFlags(domain, xml, live) }
            guard result == 0 else { throw libvirtFailure(what) }
        }
    }

    /// Takes the device out of the saved definition only: a running guest keeps it until it is shut off.
    func detachFromDefinition(uuid: String, xml: String, what: String) throws {
        try withDomain(uuid: uuid) { domain in
            guard virDomainDetachDeviceFlags(domain, xml, UInt32(VIR_DOMAIN_AFFECT_CONFIG.rawValue)) == 0 else {
                throw libvirtFailure(what)
            }
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

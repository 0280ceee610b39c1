#if canImport(Glibc)
import Glibc
#endif
import CLibvirt
import StacktopServices

/// Defining, starting and removing domains from XML, for launches and for undoing a failed one.
extension LibvirtConnection {
    /// Defines the domain and returns its UUID.
    func defineDomain(xml: String, name: String) throws -> String {
        guard let domain = virDomainDefineXML(handle, xml) else { throw libvirtFailure("Defining \(name)") }
        defer { virDomainFree(domain) }
        guard let uuid = LibvirtStates.uuid(of: domain) else { throw libvirtFailure("Reading the UUID of \(name)") }
        return uuid
    }

    /// Removes a domain stacktop just defined (stopping it first if it started): the undo of a launch.
    func removeDomain(uuid: String) {
        guard let domain = virDomainLookupByUUIDString(handle, uuid) else { return }
        defer { virDomainFree(domain) }
        if virDomainIsActive(domain) == 1 { _ = virDomainDestroy(domain) }
        if virDomainUndefineFlags(domain, UInt32(VIR_DOMAIN_UNDEFINE_MANAGED_SAVE.rawValue)) != 0 {
            _ = virDomainUndefine(domain)
        }
    }

    /// The hypervisor type new domains get: the test driver's own, else plain QEMU (TCG). KVM is asked
    /// for explicitly (`--virt-type kvm`): on nested machines libvirt offers it even where it fails.
    var defaultDomainType: String { uri.hasPrefix("test:") ? "test" : "qemu" }

    /// Whether this host has network filters (the test driver has none).
    var supportsNetworkFilters: Bool { virConnectNumOfNWFilters(handle) >= 0 }

    /// Defines or redefines a filter. libvirt refuses a redefinition under another UUID, and XML without
    /// one gets a fresh UUID, so an existing filter's UUID is carried into the new XML.
    func defineNetworkFilter(xml: String, name: String) throws {
        var xml = xml
        if let existing = virNWFilterLookupByName(handle, name) {
            let uuid = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(VIR_UUID_STRING_BUFLEN)) { buffer in
                virNWFilterGetUUIDString(existing, buffer.baseAddress) == 0 ? String(cString: buffer.baseAddress!) : nil
            }
            virNWFilterFree(existing)
            // The first `>` closes the <filter> element: names are stacktop-generated and hold none.
            if let uuid, !xml.contains("<uuid>"), let openTag = xml.range(of: ">") {
                xml.insert(contentsOf: "\n  <uuid>\(uuid)</uuid>", at: openTag.upperBound)
            }
        }
        guard let filter = virNWFilterDefineXML(handle, xml) else { throw libvirtFailure("Defining the network filter \(name)") }
        virNWFilterFree(filter)
    }

    func removeNetworkFilter(name: String) {
        guard let filter = virNWFilterLookupByName(handle, name) else { return }
        _ = virNWFilterUndefine(filter)
        virNWFilterFree(filter)
    }

    func refreshPool(named name: String) {
        guard let pool = virStoragePoolLookupByName(handle, name) else { return }
        _ = virStoragePoolRefresh(pool, 0)
        virStoragePoolFree(pool)
    }
}

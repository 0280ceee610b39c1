#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopServices

/// libvirt's test driver keeps its host in memory and reads it from a node file (`test:///path.xml`) when a
/// connection opens; nothing writes it back. This writes the current host in that file's format, so the
/// next open finds it as this one left it (the demo keeps its changes).
///
/// The format, as the test driver reads it (and `DemoNodeBuilder` writes it): `<node>` holds `<cpu>` and
/// `<memory>` (KiB), then each `<domain>` (its persistent XML, plus `<test:runstate>N</test:runstate>` with
/// the `virDomainState`, `<test:hasmanagedsave/>` and `<test:transient/>` in the namespace
/// `http://libvirt.org/schemas/domain/test/1.0`), each `<network>`, and each `<pool>` with its volumes
/// as `<volume>` children. On reading, every network and pool comes back active and autostart is not
/// kept; domain snapshots, host interfaces and node devices are not written (stacktop makes none).
extension LibvirtConnection {
    public static let testDriverNamespace = "http://libvirt.org/schemas/domain/test/1.0"

    /// The whole host as a test-driver node file.
    public func testDriverNodeXML() throws -> String {
        var out = "<node xmlns:test='\(Self.testDriverNamespace)'>\n"
        var info = virNodeInfo()
        if virNodeGetInfo(handle, &info) == 0 {
            let model = withUnsafeBytes(of: info.model) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            out += "  <cpu><mhz>\(info.mhz)</mhz><model>\(XMLText.escape(model))</model><nodes>\(info.nodes)</nodes>"
                + "<sockets>\(info.sockets)</sockets><cores>\(info.cores)</cores><threads>\(info.threads)</threads>"
                + "<active>\(info.cpus)</active></cpu>\n  <memory>\(info.memory)</memory>\n"
        }
        out += try domainsXML()
        out += try networksXML()
        out += try poolsXML()
        return out + "</node>\n"
    }

    private func domainsXML() throws -> String {
        let flags = UInt32(VIR_DOMAIN_XML_INACTIVE.rawValue | VIR_DOMAIN_XML_SECURE.rawValue)
        return try listedXML("domains", one: "a domain", list: { virConnectListAllDomains(handle, &$0, 0) },
                             free: virDomainFree, describe: { virDomainGetXMLDesc($0, flags) }) { domain, xml in
            var state: Int32 = 0, reason: Int32 = 0
            guard virDomainGetState(domain, &state, &reason, 0) == 0 else {
                throw failure("Reading a domain to save the test driver's host")
            }
            var extra = "<test:runstate>\(state)</test:runstate>"
            if virDomainHasManagedSaveImage(domain, 0) == 1 { extra += "<test:hasmanagedsave/>" }
            if virDomainIsPersistent(domain) == 0 { extra += "<test:transient/>" }
            return try Self.inserting(extra, before: "</domain>", in: xml)
        }
    }

    private func networksXML() throws -> String {
        try listedXML("networks", one: "a network", list: { virConnectListAllNetworks(handle, &$0, 0) },
                      free: virNetworkFree, describe: { virNetworkGetXMLDesc($0, 0) }) { _, xml in Self.lineEnded(xml) }
    }

    private func poolsXML() throws -> String {
        try listedXML("storage pools", one: "a storage pool", list: { virConnectListAllStoragePools(handle, &$0, 0) },
                      free: virStoragePoolFree, describe: { virStoragePoolGetXMLDesc($0, 0) }) { pool, xml in
            var volumes = ""
            if virStoragePoolIsActive(pool) == 1 {
                volumes = try listedXML("volumes of a storage pool", one: "a volume",
                                        list: { virStoragePoolListAllVolumes(pool, &$0, 0) }, free: virStorageVolFree,
                                        describe: { virStorageVolGetXMLDesc($0, 0) }) { _, xml in Self.lineEnded(xml) }
            }
            return try Self.inserting(volumes, before: "</pool>", in: xml)
        }
    }

    /// What a `virConnectListAll…`-style call lists, each object's XML (`describe`) made into its part of the node
    /// file by `entry`; a list or an XML libvirt will not give fails the save, naming the `noun` or the `one`.
    private func listedXML(_ noun: String, one: String, list listAll: (inout UnsafeMutablePointer<OpaquePointer?>?) -> Int32,
                           free: (OpaquePointer) -> Int32, describe: (OpaquePointer) -> UnsafeMutablePointer<CChar>?,
                           _ entry: (OpaquePointer, String) throws -> String) throws -> String {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = listAll(&list)
        guard count >= 0 else { throw listFailure(noun) }
        return try consumeList(list, count: count, free: free) { object -> String? in
            guard let xml = LibvirtRuntime.consume(describe(object)) else {
                throw failure("Reading \(one) to save the test driver's host")
            }
            return try entry(object, xml)
        }.joined()
    }

    private func failure(_ what: String) -> BackendError {
        BackendError.failed(what: what, reason: LibvirtRuntime.lastErrorMessage())
    }

    /// `text` put just before the last `closing` tag of `xml`.
    private static func inserting(_ text: String, before closing: String, in xml: String) throws -> String {
        guard let end = xml.range(of: closing, options: .backwards) else {
            throw BackendError.failed(what: "Saving the test driver's host", reason: "libvirt's XML has no \(closing)")
        }
        var edited = xml
        edited.insert(contentsOf: text, at: end.lowerBound)
        return lineEnded(edited)
    }

    /// Not re-indented: text inside (a domain's description) must come back byte for byte.
    private static func lineEnded(_ xml: String) -> String {
        xml.hasSuffix("\n") ? xml : xml + "\n"
    }
}

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
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(handle, &list, 0)
        guard count >= 0 else { throw listFailure("domains") }
        let flags = UInt32(VIR_DOMAIN_XML_INACTIVE.rawValue | VIR_DOMAIN_XML_SECURE.rawValue)
        return try consumeList(list, count: count, free: virDomainFree) { domain -> String? in
            var state: Int32 = 0, reason: Int32 = 0
            guard virDomainGetState(domain, &state, &reason, 0) == 0,
                  let xml = LibvirtRuntime.consume(virDomainGetXMLDesc(domain, flags)) else {
                throw failure("Reading a domain to save the test driver's host")
            }
            var extra = "<test:runstate>\(state)</test:runstate>"
            if virDomainHasManagedSaveImage(domain, 0) == 1 { extra += "<test:hasmanagedsave/>" }
            if virDomainIsPersistent(domain) == 0 { extra += "<test:transient/>" }
            return try Self.inserting(extra, before: "</domain>", in: xml)
        }.joined()
    }

    private func networksXML() throws -> String {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllNetworks(handle, &list, 0)
        guard count >= 0 else { throw listFailure("networks") }
        return try consumeList(list, count: count, free: virNetworkFree) { network -> String? in
            guard let xml = LibvirtRuntime.consume(virNetworkGetXMLDesc(network, 0))
            else { throw failure("Reading a network to save the test driver's host") }
            return Self.lineEnded(xml)
        }.joined()
    }

    private func poolsXML() throws -> String {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllStoragePools(handle, &list, 0)
        guard count >= 0 else { throw listFailure("storage pools") }
        return try consumeList(list, count: count, free: virStoragePoolFree) { pool -> String? in
            guard let xml = LibvirtRuntime.consume(virStoragePoolGetXMLDesc(pool, 0))
            else { throw failure("Reading a storage pool to save the test driver's host") }
            var volumes = ""
            if virStoragePoolIsActive(pool) == 1 {
                var volumeList: UnsafeMutablePointer<OpaquePointer?>?
                let volumeCount = virStoragePoolListAllVolumes(pool, &volumeList, 0)
                guard volumeCount >= 0 else { throw listFailure("volumes of a storage pool") }
                volumes = try consumeList(volumeList, count: volumeCount, free: virStorageVolFree) { volume -> String? in
                    guard let xml = LibvirtRuntime.consume(virStorageVolGetXMLDesc(volume, 0)) else {
                        throw failure("Reading a volume to save the test driver's host")
                    }
                    return Self.lineEnded(xml)
                }.joined()
            }
            return try Self.inserting(volumes, before: "</pool>", in: xml)
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

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StacktopModel

/// The parts of a libvirt network's XML that stacktop shows.
struct NetworkDefinition: Equatable {
    var bridge: String?
    var forwardMode: String
    var subnets: [Subnet]

    init(xml root: XMLTree.Element) {
        bridge = root.child("bridge")?[attribute: "name"]
        // libvirt's default forward mode is NAT; no <forward> at all means an isolated network.
        forwardMode = root.child("forward").map { $0[attribute: "mode"] ?? "nat" } ?? "isolated"
        subnets = root.children(named: "ip").compactMap { ip in
            guard let address = ip[attribute: "address"] else { return nil }
            let prefix = ip[attribute: "prefix"].flatMap { Int($0) }
            guard let cidr = Self.cidr(address: address, netmask: ip[attribute: "netmask"], prefix: prefix)
            else { return nil }
            let range = ip.child("dhcp")?.child("range")
            return Subnet(cidr: cidr, gateway: address, dhcpStart: range?[attribute: "start"],
                          dhcpEnd: range?[attribute: "end"])
        }
    }

    /// The network an address belongs to, e.g. 192.168.122.1 + 255.255.255.0 -> 192.168.122.0/24.
    /// IPv6 needs a prefix; IPv4 takes a netmask or a prefix (24 when neither is given, as libvirt
    /// assumes for class C).
    static func cidr(address: String, netmask: String?, prefix: Int?) -> String? {
        if var bytes = parse(address, family: AF_INET, count: 4) {
            let bits: Int
            if let prefix { bits = prefix }
            else if let netmask, let mask = parse(netmask, family: AF_INET, count: 4) { bits = prefixLength(mask) }
            else { bits = 24 }
            guard (0...32).contains(bits) else { return nil }
            applyPrefix(bits, to: &bytes)
            return format(bytes, family: AF_INET).map { "\($0)/\(bits)" }
        }
        if var bytes = parse(address, family: AF_INET6, count: 16) {
            let bits = prefix ?? 64
            guard (0...128).contains(bits) else { return nil }
            applyPrefix(bits, to: &bytes)
            return format(bytes, family: AF_INET6).map { "\($0)/\(bits)" }
        }
        return nil
    }

    private static func parse(_ text: String, family: Int32, count: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBytes { inet_pton(family, text, $0.baseAddress) } == 1
        return ok ? bytes : nil
    }

    private static func format(_ bytes: [UInt8], family: Int32) -> String? {
        var output = [CChar](repeating: 0, count: 64)
        let ok = bytes.withUnsafeBytes { input in
            output.withUnsafeMutableBufferPointer { inet_ntop(family, input.baseAddress, $0.baseAddress, 64) != nil }
        }
        guard ok else { return nil }
        return String(decoding: output.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Leading one bits of a netmask (a non-contiguous mask counts up to its first zero).
    private static func prefixLength(_ mask: [UInt8]) -> Int {
        var bits = 0
        for byte in mask {
            if byte == 0xFF { bits += 8; continue }
            bits += byte.leadingZeroBitCount == 0 ? (~byte).leadingZeroBitCount : 0
            break
        }
        return bits
    }

    private static func applyPrefix(_ bits: Int, to bytes: inout [UInt8]) {
        for index in bytes.indices {
            let keep = max(0, min(8, bits - index * 8))
            bytes[index] &= keep == 0 ? 0 : ~UInt8(0) << (8 - keep)
        }
    }
}

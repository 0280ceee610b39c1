import Foundation
#if canImport(Glibc)
import Glibc
#endif
import StacktopServices

/// libvirt XML for the volumes and networks stacktop creates.
enum VolumeXML {
    static func qcow2(name: String, capacityBytes: UInt64) -> String {
        """
        <volume><name>\(XMLText.escape(name))</name><capacity unit='bytes'>\(capacityBytes)</capacity>\
        <target><format type='qcow2'/></target></volume>
        """
    }

    /// A volume exactly as large as the file streamed into it.
    static func forUpload(name: String, format: String, sizeBytes: UInt64) -> String {
        """
        <volume><name>\(XMLText.escape(name))</name><capacity unit='bytes'>\(sizeBytes)</capacity>\
        <allocation unit='bytes'>\(sizeBytes)</allocation><target><format type='\(format)'/></target></volume>
        """
    }
}

/// Text and attribute values in the XML sent to libvirt (and in the bench's generated node files).
public enum XMLText {
    public static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "'", with: "&apos;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

/// A local image file opened for upload, with its format read from its first bytes.
struct ImageFile {
    let descriptor: Int32
    let size: UInt64
    /// "qcow2" when it starts with QEMU's magic, else "raw".
    let format: String

    static func open(_ path: String) throws -> ImageFile {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else {
            throw BackendError.invalidOption(.file,
                                             reason: "Could not open \(path): \(String(cString: strerror(errno))); check the path.")
        }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 else {
            Glibc.close(fd)
            throw BackendError.invalidOption(.file,
                                             reason: "\(path) is not a non-empty regular file; upload a qcow2 or raw disk image.")
        }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = pread(fd, &magic, 4, 0)
        let isQcow2 = count == 4 && magic == [0x51, 0x46, 0x49, 0xFB]  // "QFI\xfb"
        return ImageFile(descriptor: fd, size: UInt64(info.st_size), format: isQcow2 ? "qcow2" : "raw")
    }

    func close() { Glibc.close(descriptor) }
}

/// A NAT or isolated network with one IPv4 subnet, checked before libvirt sees it.
struct NetworkPlan {
    let name: String
    let mode: String
    let cidr: String
    let xml: String

    init(name: String, request: ActionRequest, bridgesInUse: Set<String>) throws {
        self.name = name
        mode = request[.mode] ?? "nat"
        guard mode == "nat" || mode == "isolated" else {
            throw BackendError.invalidOption(.mode, reason: "--mode is nat or isolated, not \"\(mode)\".")
        }
        let cidr = request.cidr(.cidr) ?? "10.20.0.0/24"
        guard let network = IPv4Network(cidr), network.prefix <= 30 else {
            throw BackendError.invalidOption(.cidr,
                                             reason: "--cidr must be an IPv4 network of at least 4 addresses, e.g. 10.20.0.0/24, "
                                                + "not \"\(cidr)\".")
        }
        self.cidr = cidr
        let gateway = try request[.gateway].map { text in
            guard let address = IPv4Network.address(text), network.contains(address) else {
                throw BackendError.invalidOption(.gateway, reason: "--gateway \(text) is not inside \(cidr).")
            }
            return address
        } ?? network.base + 1
        var dhcp = ""
        if let range = request.addressRange(.dhcp) {
            guard let start = IPv4Network.address(range.start), let end = IPv4Network.address(range.end), start <= end,
                  network.contains(start), network.contains(end), !(start...end).contains(gateway) else {
                throw BackendError.invalidOption(.dhcp, reason: "--dhcp is START-END inside \(cidr), not covering the gateway, "
                                           + "not \"\(range.start)-\(range.end)\".")
            }
            dhcp = "<dhcp><range start='\(IPv4Network.text(start))' end='\(IPv4Network.text(end))'/></dhcp>"
        }
        var bridge = "virbr-st0"
        var index = 0
        while bridgesInUse.contains(bridge) { index += 1; bridge = "virbr-st\(index)" }
        let forward = mode == "nat" ? "<forward mode='nat'/>" : ""
        xml = """
            <network><name>\(XMLText.escape(name))</name>\(forward)<bridge name='\(bridge)' stp='on' delay='0'/>\
            <ip address='\(IPv4Network.text(gateway))' netmask='\(IPv4Network.text(network.mask))'>\(dhcp)</ip></network>
            """
    }
}

struct IPv4Network {
    let base: UInt32
    let prefix: Int
    var mask: UInt32 { prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix)) }

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let prefix = Int(parts[1]), (0...32).contains(prefix),
              let address = Self.address(String(parts[0])) else { return nil }
        self.prefix = prefix
        base = address & (prefix == 0 ? 0 : UInt32.max << (32 - UInt32(prefix)))
    }

    func contains(_ address: UInt32) -> Bool { address & mask == base && address != base && address != base | ~mask }

    static func address(_ text: String) -> UInt32? {
        let octets = text.split(separator: ".", omittingEmptySubsequences: false).map { UInt32($0) }
        guard octets.count == 4, octets.allSatisfy({ ($0 ?? 256) <= 255 }) else { return nil }
        return octets.reduce(0) { $0 << 8 | $1! }
    }

    static func text(_ address: UInt32) -> String {
        [24, 16, 8, 0].map { String(address >> UInt32($0) & 0xff) }.joined(separator: ".")
    }
}

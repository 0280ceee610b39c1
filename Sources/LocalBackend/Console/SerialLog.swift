#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StacktopServices

/// The serial log of a domain: the `<log file=…/>` of its serial (or console) device, read from its tail.
public enum SerialLog {
    /// The log file the domain's serial device writes to, if it has one.
    public static func path(domainXML: String) -> String? {
        guard let root = try? XMLTree.parse(domainXML), let devices = root.child("devices") else { return nil }
        for name in ["serial", "console"] {
            for device in devices.children(named: name) {
                if let file = device.child("log")?[attribute: "file"], !file.isEmpty { return file }
            }
        }
        return nil
    }

    /// The last `maxBytes` of the file at `path`, starting after the first line break when cut
    /// (a half line would be noise), decoded leniently (guests print anything).
    public static func tail(path: String, maxBytes: Int, instanceName: String) throws -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            throw BackendError.failed(what: "Reading the serial log \(path) of \(instanceName)",
                                      reason: reason + "; stacktop must run on the libvirt host as a user who may read it")
        }
        defer { close(fd) }
        let size = Int(lseek(fd, 0, SEEK_END))
        let start = max(0, size - maxBytes)
        var bytes = [UInt8](repeating: 0, count: size - start)
        var filled = 0
        while filled < bytes.count {
            let got = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, $0.count - filled, off_t(start + filled)) }
            if got < 0 && errno == EINTR { continue }
            if got <= 0 { break }
            filled += got
        }
        var slice = bytes[..<filled]
        if start > 0, let newline = slice.firstIndex(of: 10) { slice = slice[(newline + 1)...] }
        return String(decoding: printable(slice), as: UTF8.self)
    }

    /// Guest output as lines of text: CR LF becomes LF (Swift sees "\r\n" as one Character, not a
    /// line break), and terminal escape sequences and other control bytes, which would be drawn as
    /// garbage in a pane, are dropped. Tabs stay.
    static func printable(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x1b:
                // CSI (ESC [ … final byte 0x40-0x7e) or a two-byte escape.
                guard index < bytes.endIndex else { break }
                if bytes[index] == UInt8(ascii: "[") {
                    index += 1
                    while index < bytes.endIndex, !(0x40...0x7e).contains(bytes[index]) { index += 1 }
                }
                index = min(bytes.endIndex, index + 1)
            case 10, 9: out.append(byte)
            case 0..<0x20, 0x7f: break
            default: out.append(byte)
            }
        }
        return out
    }
}

extension SerialLog {
    /// The domain's name from its XML, for sentences.
    static func name(domainXML: String) -> String? {
        (try? XMLTree.parse(domainXML))?.child("name")?.trimmedText
    }
}

import CLibvirt

/// How a volume's bytes get where they go; chosen once per connection.
///
/// On a real host libvirt's storage driver moves them: a clone copies (`virStorageVolCreateXMLFrom`), an
/// upload streams (`virStorageVolUpload`), an extend grows the file (`virStorageVolResize`). libvirt's test
/// driver, which is the demo cloud, has neither upload nor resize, and looks a clone's source up in the
/// *target* pool, so a clone from another pool fails "Storage volume not found". On it, `.sizesOnly` makes
/// each volume the size a host would make it and keeps no bytes:
/// - a clone is created with `virStorageVolCreateXML` at the larger of the asked and the source's capacity
///   (as the storage driver does), with the source's allocation;
/// - an upload reads the whole file, so progress and read errors are real, and sends the bytes nowhere;
/// - an extend re-creates the (empty) volume under the same name and path with the larger capacity.
/// Everything up to the byte transfer (checks, XML, pool lookups, quota, progress, rollback) is shared.
public enum VolumeDataMover: Sendable, Equatable {
    /// libvirt's storage driver moves the bytes (every real host).
    case libvirt
    /// The test driver: sizes are right, no bytes move (the demo).
    case sizesOnly

    /// The test driver reports its type as "TEST"; everything else moves real bytes.
    static func chosen(for connection: OpaquePointer) -> VolumeDataMover {
        guard let type = virConnectGetType(connection) else { return .libvirt }
        return String(cString: type).uppercased() == "TEST" ? .sizesOnly : .libvirt
    }
}

/// Capacity and allocation inside a volume's XML, read and rewritten for the size-only data mover.
enum VolumeSizeXML {
    /// The `<capacity>` in bytes, or nil when the XML has none (or one this cannot read).
    static func capacity(in xml: String) -> UInt64? {
        guard let root = try? XMLTree.parse(xml), let element = root.child("capacity"),
              let number = UInt64(element.trimmedText) else { return nil }
        guard let scale = unitScale(element[attribute: "unit"] ?? "bytes") else { return nil }
        return number.multipliedReportingOverflow(by: scale).overflow ? nil : number * scale
    }

    /// The XML with its `<capacity>` and `<allocation>` replaced by these (in bytes), right after `<name>`.
    static func setting(capacity: UInt64, allocation: UInt64, in xml: String) -> String {
        var text = removingElement("capacity", from: xml)
        text = removingElement("allocation", from: text)
        let sizes = "<capacity unit='bytes'>\(capacity)</capacity><allocation unit='bytes'>\(allocation)</allocation>"
        guard let nameEnd = text.range(of: "</name>") else { return text }
        text.insert(contentsOf: sizes, at: nameEnd.upperBound)
        return text
    }

    /// Removes the first `<name …>…</name>` or `<name …/>` at the volume's top level (libvirt writes
    /// capacity and allocation once, before any nested element of the same name could appear).
    private static func removingElement(_ name: String, from xml: String) -> String {
        guard let start = xml.range(of: "<\(name)>") ?? xml.range(of: "<\(name) ") ?? xml.range(of: "<\(name)/")
        else { return xml }
        guard let tagEnd = xml[start.lowerBound...].firstIndex(of: ">") else { return xml }
        let end: String.Index
        if xml[xml.index(before: tagEnd)] == "/" {
            end = xml.index(after: tagEnd)
        } else if let close = xml[tagEnd...].range(of: "</\(name)>") {
            end = close.upperBound
        } else {
            return xml
        }
        var text = xml
        text.removeSubrange(start.lowerBound..<end)
        return text
    }

    private static func unitScale(_ unit: String) -> UInt64? {
        switch unit {
        case "b", "B", "bytes": 1
        case "KB": 1000
        case "k", "K", "KiB": 1 << 10
        case "MB": 1_000_000
        case "M", "MiB": 1 << 20
        case "GB": 1_000_000_000
        case "G", "GiB": 1 << 30
        case "TB": 1_000_000_000_000
        case "T", "TiB": 1 << 40
        default: nil
        }
    }
}

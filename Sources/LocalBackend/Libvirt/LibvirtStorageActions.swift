#if canImport(Glibc)
import Glibc
#endif
import CLibvirt
import StacktopServices

/// Storage volumes and networks changed through libvirt. Every failure becomes a sentence that names
/// what failed, with libvirt's own reason.
extension LibvirtConnection {
    private func failure(_ what: String) -> BackendError {
        BackendError.failed(what: what, reason: LibvirtRuntime.lastErrorMessage())
    }

    private func pool(named name: String) throws -> OpaquePointer {
        guard let pool = virStoragePoolLookupByName(handle, name) else {
            throw BackendError.notFound(kind: "pool", name: name)
        }
        return pool
    }

    /// Creates a volume from its XML in `poolName`; `cloneFrom` (a volume path) copies that volume.
    /// Returns the new volume's path. On the test driver the copy moves no bytes (see `VolumeDataMover`).
    func createVolume(poolName: String, xml: String, cloneFrom sourcePath: String? = nil) throws -> String {
        let pool = try pool(named: poolName)
        defer { virStoragePoolFree(pool) }
        var source: OpaquePointer?
        if let sourcePath {
            source = virStorageVolLookupByPath(handle, sourcePath)
            guard source != nil else { throw failure("Finding the source volume \(sourcePath)") }
        }
        defer { if let source { virStorageVolFree(source) } }
        let created: OpaquePointer?
        switch (source, dataMover) {
        case (nil, _): created = virStorageVolCreateXML(pool, xml, 0)
        case (let source?, .libvirt): created = virStorageVolCreateXMLFrom(pool, xml, source, 0)
        case (let source?, .sizesOnly): created = virStorageVolCreateXML(pool, try cloneXML(xml, sizedLike: source), 0)
        }
        guard let created else { throw failure("Creating a volume in pool \(poolName)") }
        defer { virStorageVolFree(created) }
        guard let path = LibvirtRuntime.consume(virStorageVolGetPath(created)) else {
            throw failure("Reading the new volume's path")
        }
        return path
    }

    /// A clone's XML for the size-only mover: the larger of the asked and the source's capacity (as libvirt's
    /// storage driver makes a copy), and the source's allocation.
    private func cloneXML(_ xml: String, sizedLike source: OpaquePointer) throws -> String {
        var info = virStorageVolInfo()
        guard virStorageVolGetInfo(source, &info) == 0 else { throw failure("Reading the source volume's size") }
        let capacity = max(VolumeSizeXML.capacity(in: xml) ?? 0, UInt64(info.capacity))
        return VolumeSizeXML.setting(capacity: capacity, allocation: min(UInt64(info.allocation), capacity), in: xml)
    }

    func deleteVolume(path: String) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        guard virStorageVolDelete(volume, 0) == 0 else { throw failure("Deleting the volume \(path)") }
    }

    func resizeVolume(path: String, capacityBytes: UInt64) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        switch dataMover {
        case .libvirt:
            guard virStorageVolResize(volume, capacityBytes, 0) == 0 else { throw failure("Extending the volume \(path)") }
        case .sizesOnly:
            try recreate(volume, path: path, capacityBytes: capacityBytes)
        }
    }

    /// The size-only extend: the same volume (name, format, backing file, so the same path) made again with
    /// the new capacity. If making it again fails, the old definition is put back.
    private func recreate(_ volume: OpaquePointer, path: String, capacityBytes: UInt64) throws {
        guard let pool = virStoragePoolLookupByVolume(volume) else { throw failure("Finding the pool of \(path)") }
        defer { virStoragePoolFree(pool) }
        var info = virStorageVolInfo()
        guard virStorageVolGetInfo(volume, &info) == 0,
              let old = LibvirtRuntime.consume(virStorageVolGetXMLDesc(volume, 0)) else {
            throw failure("Reading the volume \(path)")
        }
        let grown = VolumeSizeXML.setting(capacity: capacityBytes, allocation: UInt64(info.allocation), in: old)
        guard virStorageVolDelete(volume, 0) == 0 else { throw failure("Extending the volume \(path)") }
        if let made = virStorageVolCreateXML(pool, grown, 0) {
            virStorageVolFree(made)
            return
        }
        let error = failure("Extending the volume \(path)")
        if let restored = virStorageVolCreateXML(pool, old, 0) { virStorageVolFree(restored) }
        throw error
    }

    /// Streams a local file into a new volume, calling `progress` with the bytes sent so far. On the test
    /// driver the file is read to its end the same way but its bytes go nowhere (see `VolumeDataMover`).
    func upload(file descriptor: Int32, size: UInt64, toVolumePath path: String,
                progress: (UInt64) -> Void) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        var stream: OpaquePointer?
        if dataMover == .libvirt {
            guard let opened = virStreamNew(handle, 0) else { throw failure("Opening an upload stream") }
            stream = opened
            guard virStorageVolUpload(volume, opened, 0, size, 0) == 0 else { throw failure("Starting the upload to \(path)") }
        }
        defer { if let stream { virStreamFree(stream) } }
        var buffer = [CChar](repeating: 0, count: 1 << 20)
        var sent: UInt64 = 0
        while sent < size {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            if count < 0 {
                let reason = String(cString: strerror(errno))
                if let stream { virStreamAbort(stream) }
                throw BackendError.failed(what: "Reading the file to upload to \(path)", reason: reason)
            }
            guard count > 0 else { break }
            var offset = 0
            while let stream, offset < count {
                let written = buffer.withUnsafeBufferPointer { virStreamSend(stream, $0.baseAddress! + offset, count - offset) }
                guard written >= 0 else {
                    virStreamAbort(stream)
                    throw failure("Uploading to \(path)")
                }
                offset += Int(written)
            }
            sent += UInt64(count)
            progress(sent)
        }
        guard sent == size else {
            if let stream { virStreamAbort(stream) }
            throw BackendError.failed(what: "Uploading to \(path)", reason: "the file ended after \(sent) of \(size) bytes")
        }
        if let stream, virStreamFinish(stream) != 0 { throw failure("Finishing the upload to \(path)") }
    }

    // MARK: networks

    /// Defines, starts and marks autostart a network from its XML.
    func createNetwork(xml: String) throws {
        guard let network = virNetworkDefineXML(handle, xml) else { throw failure("Defining the network") }
        defer { virNetworkFree(network) }
        guard virNetworkCreate(network) == 0 else {
            let error = failure("Starting the network")
            virNetworkUndefine(network)
            throw error
        }
        _ = virNetworkSetAutostart(network, 1)
    }

    func deleteNetwork(name: String) throws {
        guard let network = virNetworkLookupByName(handle, name) else { throw BackendError.notFound(kind: "network", name: name) }
        defer { virNetworkFree(network) }
        if virNetworkIsActive(network) == 1, virNetworkDestroy(network) != 0 { throw failure("Stopping the network \(name)") }
        guard virNetworkUndefine(network) == 0 else { throw failure("Removing the network \(name)") }
    }
}

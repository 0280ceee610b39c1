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
    /// Returns the new volume's path.
    func createVolume(poolName: String, xml: String, cloneFrom sourcePath: String? = nil) throws -> String {
        let pool = try pool(named: poolName)
        defer { virStoragePoolFree(pool) }
        var source: OpaquePointer?
        if let sourcePath {
            source = virStorageVolLookupByPath(handle, sourcePath)
            guard source != nil else { throw failure("Finding the source volume \(sourcePath)") }
        }
        defer { if let source { virStorageVolFree(source) } }
        let created = source.map { virStorageVolCreateXMLFrom(pool, xml, $0, 0) } ?? virStorageVolCreateXML(pool, xml, 0)
        guard let created else { throw failure("Creating a volume in pool \(poolName)") }
        defer { virStorageVolFree(created) }
        guard let path = LibvirtRuntime.consume(virStorageVolGetPath(created)) else {
            throw failure("Reading the new volume's path")
        }
        return path
    }

    func deleteVolume(path: String) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        guard virStorageVolDelete(volume, 0) == 0 else { throw failure("Deleting the volume \(path)") }
    }

    func resizeVolume(path: String, capacityBytes: UInt64) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        guard virStorageVolResize(volume, capacityBytes, 0) == 0 else { throw failure("Extending the volume \(path)") }
    }

    /// Streams a local file into a new volume, calling `progress` with the bytes sent so far.
    func upload(file descriptor: Int32, size: UInt64, toVolumePath path: String,
                progress: (UInt64) -> Void) throws {
        guard let volume = virStorageVolLookupByPath(handle, path) else { throw failure("Finding the volume \(path)") }
        defer { virStorageVolFree(volume) }
        guard let stream = virStreamNew(handle, 0) else { throw failure("Opening an upload stream") }
        defer { virStreamFree(stream) }
        guard virStorageVolUpload(volume, stream, 0, size, 0) == 0 else { throw failure("Starting the upload to \(path)") }
        var buffer = [CChar](repeating: 0, count: 1 << 20)
        var sent: UInt64 = 0
        while sent < size {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            while offset < count {
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
            virStreamAbort(stream)
            throw BackendError.failed(what: "Uploading to \(path)", reason: "the file ended after \(sent) of \(size) bytes")
        }
        guard virStreamFinish(stream) == 0 else { throw failure("Finishing the upload to \(path)") }
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

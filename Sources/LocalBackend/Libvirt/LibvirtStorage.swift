#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices

extension LibvirtConnection {
    /// Every storage pool, and the volumes of the active ones (inactive pools cannot list volumes).
    func storage() throws -> (pools: [StoragePool], volumes: [PoolVolume]) {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllStoragePools(handle, &list, 0)
        guard count >= 0 else { throw listFailure("storage pools") }
        let pools = try consumeList(list, count: count, free: virStoragePoolFree,
                                    width: callWidth) { pool -> (pool: StoragePool, volumes: [PoolVolume])? in
            guard let read = try storagePool(pool) else { return nil }
            return (read, read.active ? try poolVolumes(pool, poolName: read.name) : [])
        }
        return (pools.map(\.pool), pools.flatMap(\.volumes))
    }

    private func storagePool(_ pool: OpaquePointer) throws -> StoragePool? {
        guard let namePointer = virStoragePoolGetName(pool) else { return nil }
        let name = String(cString: namePointer)
        var info = virStoragePoolInfo()
        guard virStoragePoolGetInfo(pool, &info) == 0 else { return nil }
        let uuid = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(VIR_UUID_STRING_BUFLEN)) { buffer in
            virStoragePoolGetUUIDString(pool, buffer.baseAddress) == 0 ? String(cString: buffer.baseAddress!) : name
        }
        let root = try parseLibvirtXML(virStoragePoolGetXMLDesc(pool, 0), what: "storage pool \(name)")
        return StoragePool(id: uuid, name: name, type: root?[attribute: "type"] ?? "unknown",
                           path: root?.first("target", "path")?.trimmedText,
                           active: virStoragePoolIsActive(pool) == 1,
                           capacityBytes: UInt64(info.capacity), allocationBytes: UInt64(info.allocation),
                           availableBytes: UInt64(info.available))
    }

    private func poolVolumes(_ pool: OpaquePointer, poolName: String) throws -> [PoolVolume] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virStoragePoolListAllVolumes(pool, &list, 0)
        guard count >= 0 else { throw listFailure("volumes in storage pool \(poolName)") }
        return try consumeList(list, count: count, free: virStorageVolFree, width: callWidth) { volume -> PoolVolume? in
            guard let namePointer = virStorageVolGetName(volume),
                  let path = LibvirtRuntime.consume(virStorageVolGetPath(volume)) else { return nil }
            let name = String(cString: namePointer)
            var info = virStorageVolInfo()
            guard virStorageVolGetInfo(volume, &info) == 0 else { return nil }
            let root = try parseLibvirtXML(virStorageVolGetXMLDesc(volume, 0),
                                           what: "volume \(name) in pool \(poolName)")
            return PoolVolume(pool: poolName, name: name, path: path,
                              key: virStorageVolGetKey(volume).map { String(cString: $0) } ?? path,
                              capacityBytes: UInt64(info.capacity), allocationBytes: UInt64(info.allocation),
                              format: root?.first("target", "format")?[attribute: "type"])
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel
import StacktopServices

extension LibvirtConnection {
    /// Reads every domain, storage pool, pool volume and network in one pass, using libvirt's
    /// "ListAll" calls. Objects that vanish while being read are left out rather than failing the pass.
    public func inventory() throws -> HostInventory {
        try inventory(cache: DomainReadCache(connection: self, watch: false))
    }

    /// The same, re-reading only the domain definitions `cache` says may have changed since its last read, and
    /// taking the pools, volumes and networks from `kept` when given.
    func inventory(cache: DomainReadCache, kept: KeptStorage? = nil) throws -> HostInventory {
        let (pools, volumes) = try kept.map { ($0.pools, $0.volumes) } ?? storage()
        let networks = try kept?.networks ?? networks()
        let instances = try instances(volumes: VolumeIndex(volumes), cache: cache)
        return HostInventory(instances: instances, pools: pools, poolVolumes: volumes, networks: networks,
                             node: nodeCapacity())
    }

    /// The host's CPUs and memory and their use; nil when libvirt cannot say (the overview then shows none).
    func nodeCapacity() -> NodeCapacity? {
        var info = virNodeInfo()
        guard virNodeGetInfo(handle, &info) == 0 else { return nil }
        let type = virConnectGetType(handle).map { String(cString: $0) }
        return NodeCapacity(cpus: Int(info.cpus), memoryMiB: Int(info.memory / 1024), type: type,
                            memoryUsedMiB: nodeMemoryUsedMiB(), cpuTimes: nodeCPUTimes())
    }

    func listFailure(_ what: String) -> BackendError {
        .failed(what: "Listing the \(what) of \(uri)", reason: LibvirtRuntime.lastErrorMessage())
    }
}

/// Takes ownership of a libvirt-allocated array of object pointers, freeing each object and the array.
func consumeList<Result>(_ list: UnsafeMutablePointer<OpaquePointer?>?, count: Int32,
                         free freeObject: (OpaquePointer) -> Int32,
                         _ body: (OpaquePointer) throws -> Result?) rethrows -> [Result] {
    guard let list else { return [] }
    defer { freeList(list, count: count, free: freeObject) }
    var results: [Result] = []
    results.reserveCapacity(Int(max(count, 0)))
    for index in 0..<Int(max(count, 0)) {
        if let object = list[index], let result = try body(object) { results.append(result) }
    }
    return results
}

/// The same, `body` run for up to `width` objects at once (`ConcurrentCalls`: a distant host's calls are round
/// trips); the results in the list's order.
func consumeList<Result>(_ list: UnsafeMutablePointer<OpaquePointer?>?, count: Int32,
                         free freeObject: (OpaquePointer) -> Int32, width: Int,
                         _ body: (OpaquePointer) throws -> Result?) throws -> [Result] {
    guard let list else { return [] }
    defer { freeList(list, count: count, free: freeObject) }
    let objects = (0..<Int(max(count, 0))).compactMap { list[$0] }
    return try ConcurrentCalls.map(count: objects.count, width: width) { try body(objects[$0]) }.compactMap { $0 }
}

private func freeList(_ list: UnsafeMutablePointer<OpaquePointer?>, count: Int32, free freeObject: (OpaquePointer) -> Int32) {
    for index in 0..<Int(max(count, 0)) { if let object = list[index] { _ = freeObject(object) } }
    free(list)
}

/// Reads (and frees) a libvirt XML description without copying it into a Swift String first.
/// nil when libvirt returned none (the object vanished); `what` names the object in the error.
func parseLibvirtXML(_ cString: UnsafeMutablePointer<CChar>?,
                     what: @autoclosure () -> String) throws -> XMLTree.Element? {
    guard let cString else { return nil }
    defer { free(cString) }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(cString).assumingMemoryBound(to: UInt8.self),
                                    count: strlen(cString))
    do {
        return try XMLTree.parse(bytes)
    } catch {
        throw BackendError.failed(what: "Reading the definition of \(what())", reason: error.description)
    }
}

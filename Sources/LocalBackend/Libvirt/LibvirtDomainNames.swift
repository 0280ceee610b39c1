import CLibvirt
import StacktopModel

extension LibvirtConnection {
    /// Every domain's id and name, and nothing else: one listing, no definition read. What a cold start
    /// shows first while the whole inventory is read (as `virsh list --all` shows names).
    func domainNames() throws -> [(id: String, name: String)] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllDomains(handle, &list, 0)
        guard count >= 0 else { throw listFailure("domains") }
        return consumeList(list, count: count, free: virDomainFree) { domain in
            guard let id = LibvirtStates.uuid(of: domain), let name = virDomainGetName(domain) else { return nil }
            return (id, String(cString: name))
        }
    }
}

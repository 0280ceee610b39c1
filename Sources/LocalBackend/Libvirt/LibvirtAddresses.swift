#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt
import StacktopModel

/// DHCP lease addresses by network and MAC (lowercased), read once per network per inventory.
///
/// `virDomainInterfaceAddresses` with the lease source does the same per domain: for each interface of
/// type `network` it asks that network for the leases of the interface's MAC. Asking each network once
/// gives the same addresses in the same order for every domain at the cost of one call per network.
struct DHCPLeases {
    private var byNetwork: [String: [String: [String]]] = [:]

    /// The addresses of `interface`; only `network` interfaces have leases.
    func addresses(of interface: InstanceInterface) -> [String] {
        guard interface.type == "network", let network = interface.network else { return [] }
        return byNetwork[network]?[interface.mac.lowercased()] ?? []
    }

    init(byNetwork: [String: [String: [String]]]) { self.byNetwork = byNetwork }
}

extension LibvirtConnection {
    /// The leases of each named network; nil when the driver cannot list leases (libvirt's test driver),
    /// and addresses are then asked per domain. A network that is gone, or whose leases cannot be read,
    /// gives its interfaces no addresses, as it would per domain.
    func dhcpLeases(networks names: Set<String>) -> DHCPLeases? {
        var byNetwork: [String: [String: [String]]] = [:]
        for name in names {
            guard let network = virNetworkLookupByName(handle, name) else { continue }
            defer { virNetworkFree(network) }
            var leases: UnsafeMutablePointer<virNetworkDHCPLeasePtr?>?
            let count = virNetworkGetDHCPLeases(network, nil, &leases, 0)
            guard count >= 0 else {
                if LibvirtRuntime.lastErrorCode() == Int32(VIR_ERR_NO_SUPPORT.rawValue) { return nil }
                continue
            }
            defer {
                for index in 0..<Int(count) { virNetworkDHCPLeaseFree(leases?[index]) }
                free(leases)
            }
            var byMAC: [String: [String]] = [:]
            for index in 0..<Int(count) {
                guard let lease = leases?[index]?.pointee, let mac = lease.mac, let address = lease.ipaddr else { continue }
                byMAC[String(cString: mac).lowercased(), default: []].append(String(cString: address))
            }
            byNetwork[name] = byMAC
        }
        return DHCPLeases(byNetwork: byNetwork)
    }

    /// One domain's lease addresses per interface, in interface order (`virDomainInterfaceAddresses`);
    /// none where the guest has no lease or the driver cannot tell.
    func leaseAddresses(_ domain: OpaquePointer, interfaces: [InstanceInterface]) -> [[String]] {
        var addresses = [[String]](repeating: [], count: interfaces.count)
        guard !interfaces.isEmpty else { return addresses }
        var list: UnsafeMutablePointer<virDomainInterfacePtr?>?
        let count = virDomainInterfaceAddresses(
            domain, &list, UInt32(VIR_DOMAIN_INTERFACE_ADDRESSES_SRC_LEASE.rawValue), 0)
        guard count > 0, let list else { return addresses }
        defer {
            for index in 0..<Int(count) { virDomainInterfaceFree(list[index]) }
            free(list)
        }
        for index in 0..<Int(count) {
            guard let reported = list[index]?.pointee, let hwaddr = reported.hwaddr else { continue }
            let mac = String(cString: hwaddr).lowercased()
            guard let slot = interfaces.firstIndex(where: { $0.mac.lowercased() == mac }) else { continue }
            for addressIndex in 0..<Int(reported.naddrs) {
                if let address = reported.addrs[addressIndex].addr {
                    addresses[slot].append(String(cString: address))
                }
            }
        }
        return addresses
    }
}

import CLibvirt
import StacktopModel
import StacktopServices

extension LibvirtConnection {
    func networks() throws -> [Network] {
        var list: UnsafeMutablePointer<OpaquePointer?>?
        let count = virConnectListAllNetworks(handle, &list, 0)
        guard count >= 0 else { throw listFailure("networks") }
        return try consumeList(list, count: count, free: virNetworkFree, width: callWidth) { network -> Network? in
            guard let namePointer = virNetworkGetName(network) else { return nil }
            let name = String(cString: namePointer)
            let uuid = withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(VIR_UUID_STRING_BUFLEN)) { buffer in
                virNetworkGetUUIDString(network, buffer.baseAddress) == 0 ? String(cString: buffer.baseAddress!) : name
            }
            guard let root = try parseLibvirtXML(virNetworkGetXMLDesc(network, 0), what: "network \(name)") else {
                return nil
            }
            let definition = NetworkDefinition(xml: root)
            var autostart: Int32 = 0
            _ = virNetworkGetAutostart(network, &autostart)
            return Network(id: uuid, name: name, bridge: definition.bridge, forwardMode: definition.forwardMode,
                           active: virNetworkIsActive(network) == 1, autostart: autostart == 1,
                           subnets: definition.subnets)
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// Names for the ids a server body carries, read from other lists (flavors, Glance images, Keystone projects).
/// Any id without a name is shown as the id.
public struct NovaLookup: Sendable {
    public var flavorsByID: [String: Flavor]
    public var imageNamesByID: [String: String]
    public var projectNamesByID: [String: String]

    public init(flavorsByID: [String: Flavor] = [:], imageNamesByID: [String: String] = [:],
                projectNamesByID: [String: String] = [:]) {
        self.flavorsByID = flavorsByID; self.imageNamesByID = imageNamesByID
        self.projectNamesByID = projectNamesByID
    }
}

/// Nova (compute v2.1) responses.
public enum NovaDecoder {
    static let service = "Nova"

    /// `GET /servers/detail` (or `/servers`, which carries only ids and names) at any microversion.
    public static func servers(_ data: Data, lookup: NovaLookup = NovaLookup(),
                               path: String = "/servers/detail") throws(DecodingFailure) -> OpenStackPage<Instance> {
        let page = try WireDecoder.page(WireServer.self, key: "servers", from: data, service: service, path: path)
        return page.map { $0.instance(lookup) }
    }

    /// `GET /servers/{id}`.
    public static func server(_ data: Data, lookup: NovaLookup = NovaLookup(),
                              path: String = "/servers/{id}") throws(DecodingFailure) -> Instance {
        struct Body: Decodable { var server: WireServer }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path).server.instance(lookup)
    }

    /// The state Horizon would show. `vm_state` is the truth when present (admins, and everyone since
    /// the 2.x default policies); `status` is the fallback every user sees. A pending `powering-off` task
    /// shows as shutting down; resize, migrate, rebuild and reboot keep the guest running.
    public static func instanceState(status: String?, vmState: String?, taskState: String?,
                                     powerState: Int?) -> InstanceState {
        if taskState == "powering-off" { return .shutdown }
        if let vmState {
            switch vmState.lowercased() {
            case "active", "rescued", "resized": return powerState == 6 ? .crashed : .running
            case "building": return .building
            case "paused": return .paused
            case "suspended": return .suspended
            case "stopped", "shelved", "shelved_offloaded", "soft-delete", "deleted": return .shutoff
            case "error": return .error
            default: break
            }
        }
        switch (status ?? "").uppercased() {
        case "ACTIVE", "RESIZE", "VERIFY_RESIZE", "REVERT_RESIZE", "MIGRATING", "REBUILD", "REBOOT",
             "HARD_REBOOT", "PASSWORD", "RESCUE":
            return .running
        case "BUILD": return .building
        case "PAUSED": return .paused
        case "SUSPENDED": return .suspended
        case "SHUTOFF", "SHELVED", "SHELVED_OFFLOADED", "SOFT_DELETED", "DELETED": return .shutoff
        case "ERROR": return .error
        default: return .unknown
        }
    }
}

/// A server as Nova writes it; every field but id and name is optional because `GET /servers` and
/// restrictive policies leave most of them out.
private struct WireServer: Decodable {
    var id: String
    var name: String
    var status: String?
    var vmState: String?
    var taskState: String?
    var powerState: Int?
    var addresses: [String: [WireAddress]]?
    var flavor: WireFlavorRef?
    var image: WireImageRef?
    var keyName: String?
    var securityGroups: [WireNamed]?
    var locked: Bool?
    var created: String?
    var tenantID: String?
    var host: String?
    var hypervisorHostname: String?
    var volumes: [WireVolumeRef]?
    var availabilityZone: String?

    enum CodingKeys: String, CodingKey {
        case id, name, status, addresses, flavor, image, locked, created
        case vmState = "OS-EXT-STS:vm_state", taskState = "OS-EXT-STS:task_state"
        case powerState = "OS-EXT-STS:power_state"
        case keyName = "key_name", securityGroups = "security_groups", tenantID = "tenant_id"
        case host = "OS-EXT-SRV-ATTR:host", hypervisorHostname = "OS-EXT-SRV-ATTR:hypervisor_hostname"
        case volumes = "os-extended-volumes:volumes_attached"
        case availabilityZone = "OS-EXT-AZ:availability_zone"
    }

    struct WireAddress: Decodable {
        var addr: String
        var mac: String?
        enum CodingKeys: String, CodingKey { case addr, mac = "OS-EXT-IPS-MAC:mac_addr" }
    }

    struct WireNamed: Decodable { var name: String }
    struct WireVolumeRef: Decodable { var id: String }

    /// `{id, links}` before 2.47; `{original_name, vcpus, ram, disk, ...}` from 2.47 on. The numbers are
    /// range-checked (`FlexibleInt`): a flavor of 2^63-1 GiB reads as unknown, never as a trap below.
    struct WireFlavorRef: Decodable {
        var id: String?
        var original_name: String?
        var vcpus: FlexibleInt?
        var ram: FlexibleInt?
        var disk: FlexibleInt?
    }

    /// `{id, links}`, or "" for a server booted from a volume.
    struct WireImageRef: Decodable {
        var id: String?
        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                id = text.isEmpty ? nil : text
                return
            }
            struct Object: Decodable { var id: String? }
            id = try Object(from: decoder).id
        }
    }

    func instance(_ lookup: NovaLookup) -> Instance {
        let known = flavor?.id.flatMap { lookup.flavorsByID[$0] }
        let flavorName = flavor?.original_name ?? known?.name ?? flavor?.id
        let vcpus = flavor?.vcpus?.value ?? known?.vcpus ?? 0
        let ram = flavor?.ram?.value ?? known?.ramMiB ?? 0
        let rootGiB = flavor?.disk?.value ?? known?.diskGiB ?? 0
        let imageID = image?.id
        var disks: [InstanceDisk] = []
        if rootGiB > 0, let imageID {
            // Even a sane count of GiB (up to 2^53) can be more bytes than UInt64 holds: that disk's size
            // is unknown rather than a trap (found by the fuzz suite).
            let (bytes, overflow) = UInt64(rootGiB).multipliedReportingOverflow(by: 1_073_741_824)
            disks.append(InstanceDisk(target: "root", source: imageID, device: .disk,
                                      capacityBytes: overflow ? nil : bytes))
        }
        // Sizes of attached volumes live in Cinder; the backend fills them in when it has the volume list.
        disks += (volumes ?? []).map { InstanceDisk(target: "volume", source: $0.id, device: .disk, volumeID: $0.id) }
        var groups: [String] = []
        for group in securityGroups ?? [] where !groups.contains(group.name) { groups.append(group.name) }
        return Instance(
            id: id, name: name,
            state: NovaDecoder.instanceState(status: status, vmState: vmState, taskState: taskState,
                                             powerState: powerState),
            vcpus: vcpus, memoryMiB: ram, disks: disks, interfaces: interfaces(),
            image: imageID.map { lookup.imageNamesByID[$0] ?? $0 }, flavor: flavorName,
            project: tenantID.map { lookup.projectNamesByID[$0] ?? $0 },
            createdAt: created.flatMap(OpenStackDate.parse), hostname: host ?? hypervisorHostname,
            keypair: keyName, securityGroups: groups, locked: locked ?? false,
            availabilityZone: availabilityZone.flatMap { $0.isEmpty ? nil : $0 },
            taskState: taskState.flatMap { $0.isEmpty ? nil : $0 },
            powerState: powerState.map(PowerState.init(nova:)))
    }

    /// One interface per MAC on each network; a floating IP shares its port's MAC, so it joins that interface.
    /// Networks come sorted by name because JSON objects carry no order.
    private func interfaces() -> [InstanceInterface] {
        var result: [InstanceInterface] = []
        for network in (addresses ?? [:]).keys.sorted() {
            for address in addresses?[network] ?? [] {
                let mac = address.mac ?? ""
                if let index = result.firstIndex(where: { $0.network == network && $0.mac == mac }) {
                    result[index].addresses.append(address.addr)
                } else {
                    result.append(InstanceInterface(mac: mac, network: network, type: "network",
                                                    addresses: [address.addr]))
                }
            }
        }
        return result
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

extension NovaDecoder {
    /// `GET /flavors/detail`.
    public static func flavors(_ data: Data, path: String = "/flavors/detail") throws(DecodingFailure) -> OpenStackPage<Flavor> {
        struct WireFlavor: Decodable {
            var id: String
            var name: String
            var vcpus: Int
            var ram: Int
            var disk: Int
            var isPublic: Bool?
            enum CodingKeys: String, CodingKey {
                case id, name, vcpus, ram, disk, isPublic = "os-flavor-access:is_public"
            }
        }
        let page = try WireDecoder.page(WireFlavor.self, key: "flavors", from: data, service: service, path: path)
        // Flavors name the sizes of servers that carry only a flavor id; a size no cloud can have (2^63-1 GiB)
        // is the service's error, said here rather than multiplied into bytes later (see the fuzz suite).
        for (index, flavor) in page.items.enumerated() {
            for (key, value) in [("vcpus", flavor.vcpus), ("ram", flavor.ram), ("disk", flavor.disk)]
            where WireNumber.sane(value) == nil {
                throw DecodingFailure(service: service, path: path, key: "flavors[\(index)].\(key)",
                                      reason: "\(value) is not a number this flavor can have")
            }
        }
        return page.map {
            Flavor(id: $0.id, name: $0.name, vcpus: $0.vcpus, ramMiB: $0.ram, diskGiB: $0.disk,
                   isPublic: $0.isPublic ?? true)
        }
    }

    /// `GET /os-keypairs`: each entry is wrapped in `{"keypair": {...}}`; `type` appears from 2.2.
    public static func keypairs(_ data: Data, project: String? = nil,
                                path: String = "/os-keypairs") throws(DecodingFailure) -> OpenStackPage<Keypair> {
        struct WireKeypair: Decodable {
            var name: String
            var fingerprint: String?
            var public_key: String?
            var type: String?
            var created_at: String?
        }
        struct Entry: Decodable { var keypair: WireKeypair }
        let page = try WireDecoder.page(Entry.self, key: "keypairs", from: data, service: service, path: path)
        return page.map(\.keypair).map {
            Keypair(name: $0.name, fingerprint: $0.fingerprint ?? "", publicKey: $0.public_key ?? "",
                    type: $0.type ?? "ssh", project: project, createdAt: $0.created_at.flatMap(OpenStackDate.parse))
        }
    }

    /// `GET /limits`: absolute limits and what is in use. Keys dropped by later microversions
    /// (security groups from 2.36) are simply absent from the result.
    public static func limits(_ data: Data, project: String,
                              path: String = "/limits") throws(DecodingFailure) -> ProjectQuotas {
        try AbsoluteLimits.decode(data, service: service, path: path, project: project, keys: [
            .instances: ("maxTotalInstances", "totalInstancesUsed"),
            .cores: ("maxTotalCores", "totalCoresUsed"),
            .ramMiB: ("maxTotalRAMSize", "totalRAMUsed"),
            .keypairs: ("maxTotalKeypairs", nil),
            .securityGroups: ("maxSecurityGroups", "totalSecurityGroupsUsed"),
            .securityGroupRules: ("maxSecurityGroupRules", nil),
            .serverGroups: ("maxServerGroups", "totalServerGroupsUsed"),
            .serverGroupMembers: ("maxServerGroupMembers", nil),
            .metadataItems: ("maxServerMeta", nil),
            .injectedFiles: ("maxPersonality", nil),
            .injectedFileContentBytes: ("maxPersonalitySize", nil),
        ])
    }

    /// `GET /os-quota-sets/{project}` (limits only, used 0) or `.../detail` (with `in_use`).
    public static func quotaSet(_ data: Data, project: String,
                                path: String = "/os-quota-sets/{project}/detail") throws(DecodingFailure) -> ProjectQuotas {
        try QuotaMapping.quotaSet(data, keys: [
            .instances: "instances", .cores: "cores", .ramMiB: "ram", .keypairs: "key_pairs",
            .securityGroups: "security_groups", .securityGroupRules: "security_group_rules",
            .serverGroups: "server_groups", .serverGroupMembers: "server_group_members",
            .metadataItems: "metadata_items", .injectedFiles: "injected_files",
            .injectedFileContentBytes: "injected_file_content_bytes", .injectedFilePathBytes: "injected_file_path_bytes",
        ], service: service, path: path, project: project)
    }

    /// `POST /servers/{id}/action` with `os-getConsoleOutput`.
    public static func consoleOutput(_ data: Data,
                                     path: String = "/servers/{id}/action") throws(DecodingFailure) -> String {
        struct Body: Decodable { var output: String }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path).output
    }

    /// `POST /servers/{id}/remote-consoles` (2.6+, `remote_console`) or the older
    /// `os-getVNCConsole`/`os-getSerialConsole` actions (`console`).
    public static func remoteConsole(_ data: Data,
                                     path: String = "/servers/{id}/remote-consoles") throws(DecodingFailure) -> RemoteConsole {
        struct Wire: Decodable {
            var type: String
            var url: String
            var `protocol`: String?
        }
        struct Body: Decodable {
            var remote_console: Wire?
            var console: Wire?
        }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        guard let wire = body.remote_console ?? body.console else {
            throw DecodingFailure(service: service, path: path, key: "remote_console",
                                  reason: "the key \"remote_console\" is missing")
        }
        return RemoteConsole(protocol: wire.protocol ?? RemoteConsole.protocolOf(type: wire.type),
                             type: wire.type, url: wire.url)
    }
}

/// A console URL Nova hands out for a server.
public struct RemoteConsole: Sendable, Equatable {
    /// "vnc", "spice", "serial", "rdp", "mks".
    public var `protocol`: String
    /// "novnc", "spice-html5", "serial", ...
    public var type: String
    public var url: String

    public init(protocol: String, type: String, url: String) {
        self.protocol = `protocol`; self.type = type; self.url = url
    }

    static func protocolOf(type: String) -> String {
        switch type {
        case "novnc", "xvpvnc": "vnc"
        case "spice-html5", "spice-direct": "spice"
        default: type
        }
    }
}

/// `{"limits": {"absolute": {...}}}` as both Nova and Cinder write it.
enum AbsoluteLimits {
    static func decode(_ data: Data, service: String, path: String, project: String,
                       keys: [QuotaResource: (max: String, used: String?)]) throws(DecodingFailure) -> ProjectQuotas {
        struct Body: Decodable {
            struct Limits: Decodable { var absolute: [String: FlexibleInt] }
            var limits: Limits
        }
        let absolute = try WireDecoder.decode(Body.self, from: data, service: service, path: path).limits.absolute
        // A limit no cloud can have (1e300 cores, 2^63-1 instances) is the service's error: said, never used.
        for names in keys.values.sorted(by: { $0.max < $1.max }) {
            for key in [names.max] + (names.used.map { [$0] } ?? []) {
                if let shown = absolute[key]?.absurd {
                    throw DecodingFailure(service: service, path: path, key: "limits.absolute.\(key)",
                                          reason: "\(shown) is not a number this limit can have")
                }
            }
        }
        let usages = QuotaResource.allCases.compactMap { resource -> QuotaUsage? in
            guard let names = keys[resource], let limit = absolute[names.max]?.value else { return nil }
            let used = names.used.flatMap { absolute[$0]?.value } ?? 0
            return QuotaUsage(resource: resource, used: used, limit: limit)
        }
        return ProjectQuotas(project: project, usages: usages)
    }
}

extension QuotaMapping {
    /// `{"quota_set": {...}}` as both Nova and Cinder write it (`os-quota-sets`), as the project's quotas.
    static func quotaSet(_ data: Data, keys: [QuotaResource: String], service: String, path: String,
                         project: String) throws(DecodingFailure) -> ProjectQuotas {
        struct Body: Decodable { var quota_set: [String: WireQuotaValue] }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        return ProjectQuotas(project: project, usages: try usages(body.quota_set, keys: keys, service: service, path: path,
                                                                 container: "quota_set"))
    }
}

extension NovaDecoder {
    /// `GET /limits`' count of the project's servers (`totalInstancesUsed`), nil when it has none.
    public static func instancesInUse(_ data: Data) throws(DecodingFailure) -> Int? {
        try limits(data, project: "").usages.first { $0.resource == .instances }?.used
    }
}

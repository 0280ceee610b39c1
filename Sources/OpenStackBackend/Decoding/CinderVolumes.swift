#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// Cinder v3 responses.
public enum CinderDecoder {
    static let service = "Cinder"

    /// `GET /v3/{project}/volumes/detail`. `serverNamesByID` turns attachment server ids into names.
    public static func volumes(_ data: Data, serverNamesByID: [String: String] = [:],
                               projectNamesByID: [String: String] = [:],
                               path: String = "/volumes/detail") throws(DecodingFailure) -> OpenStackPage<Volume> {
        struct Body: Decodable {
            var volumes: [WireVolume]
            var volumes_links: [WireLink]?
        }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        var items: [Volume] = []
        for (index, wire) in body.volumes.enumerated() {
            items.append(try wire.volume(serverNamesByID, projectNamesByID, path: path, key: "volumes[\(index)]"))
        }
        return OpenStackPage(items: items, next: body.volumes_links?.next)
    }

    /// `GET /v3/{project}/volumes/{id}`.
    public static func volume(_ data: Data, serverNamesByID: [String: String] = [:],
                              projectNamesByID: [String: String] = [:],
                              path: String = "/volumes/{id}") throws(DecodingFailure) -> Volume {
        struct Body: Decodable { var volume: WireVolume }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path)
            .volume.volume(serverNamesByID, projectNamesByID, path: path, key: "volume")
    }

    /// `GET /v3/{project}/snapshots` or `/snapshots/detail`.
    public static func snapshots(_ data: Data,
                                 path: String = "/snapshots/detail") throws(DecodingFailure) -> OpenStackPage<VolumeSnapshot> {
        struct Wire: Decodable {
            var id: String
            var name: String?
            var volume_id: String
            var size: Int
            var status: String
            var created_at: String?
            var project: String?
            enum CodingKeys: String, CodingKey {
                case id, name, volume_id, size, status, created_at
                case project = "os-extended-snapshot-attributes:project_id"
            }
        }
        struct Body: Decodable {
            var snapshots: [Wire]
            var snapshots_links: [WireLink]?
        }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        let items = body.snapshots.map {
            VolumeSnapshot(id: $0.id, name: $0.name ?? "", volumeID: $0.volume_id, sizeGiB: $0.size,
                           status: $0.status, project: $0.project, createdAt: $0.created_at.flatMap(OpenStackDate.parse))
        }
        return OpenStackPage(items: items, next: body.snapshots_links?.next)
    }

    /// `GET /v3/{project}/limits`.
    public static func limits(_ data: Data, project: String,
                              path: String = "/limits") throws(DecodingFailure) -> ProjectQuotas {
        try AbsoluteLimits.decode(data, service: service, path: path, project: project, keys: [
            .volumes: ("maxTotalVolumes", "totalVolumesUsed"),
            .gigabytes: ("maxTotalVolumeGigabytes", "totalGigabytesUsed"),
            .snapshots: ("maxTotalSnapshots", "totalSnapshotsUsed"),
            .backups: ("maxTotalBackups", "totalBackupsUsed"),
            .backupGigabytes: ("maxTotalBackupGigabytes", "totalBackupGigabytesUsed"),
        ])
    }

    /// `GET /v3/{project}/os-quota-sets/{project}` with or without `?usage=True`. Per-type keys
    /// ("gigabytes___DEFAULT__") are left out: stacktop shows the project totals.
    public static func quotaSet(_ data: Data, project: String,
                                path: String = "/os-quota-sets/{project}") throws(DecodingFailure) -> ProjectQuotas {
        struct Body: Decodable { var quota_set: [String: WireQuotaValue] }
        let body = try WireDecoder.decode(Body.self, from: data, service: service, path: path)
        return ProjectQuotas(project: project, usages: try QuotaMapping.usages(body.quota_set, keys: [
            .volumes: "volumes", .gigabytes: "gigabytes", .snapshots: "snapshots", .backups: "backups",
            .backupGigabytes: "backup_gigabytes", .perVolumeGigabytes: "per_volume_gigabytes", .volumeGroups: "groups",
        ], service: service,
                                                                               path: path, container: "quota_set"))
    }
}

/// A Cinder volume snapshot (the model has no snapshot type yet).
public struct VolumeSnapshot: Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    public var volumeID: String
    public var sizeGiB: Int
    public var status: String
    /// Project id; only admins see it (`os-extended-snapshot-attributes:project_id`).
    public var project: String?
    public var createdAt: Date?

    public init(id: String, name: String, volumeID: String, sizeGiB: Int, status: String,
                project: String? = nil, createdAt: Date? = nil) {
        self.id = id; self.name = name; self.volumeID = volumeID; self.sizeGiB = sizeGiB; self.status = status
        self.project = project; self.createdAt = createdAt
    }
}

private struct WireVolume: Decodable {
    var id: String
    var name: String?
    var size: UInt64
    var status: String
    var bootable: FlexibleBool?
    var attachments: [WireAttachment]?
    var tenantID: String?
    var host: String?

    enum CodingKeys: String, CodingKey {
        case id, name, size, status, bootable, attachments
        case tenantID = "os-vol-tenant-attr:tenant_id", host = "os-vol-host-attr:host"
    }

    struct WireAttachment: Decodable {
        var server_id: String?
        var device: String?
    }

    func volume(_ serverNames: [String: String], _ projectNames: [String: String], path: String,
                key: String) throws(DecodingFailure) -> Volume {
        // A size whose bytes do not fit in UInt64 (2^34 GiB and up) is no volume a cloud can have: a sentence
        // naming the key, never a trap (found by the fuzz suite).
        let (sizeBytes, overflow) = size.multipliedReportingOverflow(by: 1_073_741_824)
        if overflow {
            throw DecodingFailure(service: CinderDecoder.service, path: path, key: "\(key).size",
                                  reason: "\(size) GiB is not a size a volume can have")
        }
        let attached = (attachments ?? []).filter { $0.server_id != nil }
        let servers = attached.compactMap(\.server_id).map { serverNames[$0] ?? $0 }
        // Horizon shows an unnamed volume by its id; so does stacktop.
        let shownName = name.flatMap { $0.isEmpty ? nil : $0 } ?? id
        // "host@backend#pool": the part after '#' is the storage pool, when an admin can see it.
        let pool = host.flatMap { $0.split(separator: "#", maxSplits: 1).dropFirst().first.map(String.init) }
        return Volume(id: id, name: shownName, sizeBytes: sizeBytes, pool: pool, status: status,
                      attachedTo: servers, project: tenantID.map { projectNames[$0] ?? $0 },
                      bootable: bootable?.value ?? false,
                      attachmentDevices: attached.isEmpty ? nil : attached.map { $0.device ?? "" })
    }
}

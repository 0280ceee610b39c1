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
        let page = try WireDecoder.page(WireVolume.self, key: "volumes", from: data, service: service, path: path)
        var items: [Volume] = []
        for (index, wire) in page.items.enumerated() {
            items.append(try wire.volume(serverNamesByID, projectNamesByID, path: path, key: "volumes[\(index)]"))
        }
        return OpenStackPage(items: items, next: page.next)
    }

    /// `GET /v3/{project}/volumes/{id}`.
    public static func volume(_ data: Data, serverNamesByID: [String: String] = [:],
                              projectNamesByID: [String: String] = [:],
                              path: String = "/volumes/{id}") throws(DecodingFailure) -> Volume {
        struct Body: Decodable { var volume: WireVolume }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path)
            .volume.volume(serverNamesByID, projectNamesByID, path: path, key: "volume")
    }

    /// `GET /v3/{project}/snapshots` or `/snapshots/detail`. Volume names are joined in later
    /// (`SnapshotAssembly`), from the volume list read beside it.
    public static func snapshots(_ data: Data, projectNamesByID: [String: String] = [:],
                                 path: String = "/snapshots/detail") throws(DecodingFailure) -> OpenStackPage<VolumeSnapshot> {
        let page = try WireDecoder.page(WireSnapshot.self, key: "snapshots", from: data, service: service, path: path)
        var items: [VolumeSnapshot] = []
        for (index, wire) in page.items.enumerated() {
            items.append(try wire.snapshot(projectNamesByID, path: path, key: "snapshots[\(index)]"))
        }
        return OpenStackPage(items: items, next: page.next)
    }

    /// `POST /v3/{project}/snapshots` and `GET /v3/{project}/snapshots/{id}`.
    public static func snapshot(_ data: Data, path: String = "/snapshots/{id}") throws(DecodingFailure) -> VolumeSnapshot {
        struct Body: Decodable { var snapshot: WireSnapshot }
        return try WireDecoder.decode(Body.self, from: data, service: service, path: path)
            .snapshot.snapshot([:], path: path, key: "snapshot")
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
        try QuotaMapping.quotaSet(data, keys: [
            .volumes: "volumes", .gigabytes: "gigabytes", .snapshots: "snapshots", .backups: "backups",
            .backupGigabytes: "backup_gigabytes", .perVolumeGigabytes: "per_volume_gigabytes", .volumeGroups: "groups",
        ], service: service, path: path, project: project)
    }
}

private struct WireVolume: Decodable {
    var id: String
    var name: String?
    var size: FlexibleInt
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
        let sizeBytes = try CinderSize.bytes(size, of: "a volume", path: path, key: key)
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

/// Cinder sizes are whole GiB, read leniently (`FlexibleInt`) so that every bad one is said with its key:
/// a negative or absurd number, text, or a size whose bytes do not fit in UInt64 (2^34 GiB and up, found by the
/// fuzz suite) is a sentence naming the key, never a trap and never "not valid JSON".
private enum CinderSize {
    static func bytes(_ size: FlexibleInt, of what: String, path: String, key: String) throws(DecodingFailure) -> UInt64 {
        func failure(_ reason: String) -> DecodingFailure {
            DecodingFailure(service: CinderDecoder.service, path: path, key: "\(key).size", reason: reason)
        }
        guard let gib = size.value, gib >= 0 else {
            let shown = size.absurd ?? size.value.map(String.init)
            throw failure(shown.map { "\($0) GiB is not a size \(what) can have" } ?? "expected a whole number of GiB")
        }
        let (bytes, overflow) = UInt64(gib).multipliedReportingOverflow(by: 1_073_741_824)
        if overflow { throw failure("\(gib) GiB is not a size \(what) can have") }
        return bytes
    }
}

/// A snapshot as Cinder writes it. The project is an admin's view (`os-extended-snapshot-attributes:project_id`);
/// others see only their own project's snapshots and no project field.
private struct WireSnapshot: Decodable {
    var id: String
    var name: String?
    var volume_id: String
    var size: FlexibleInt
    var status: String
    var description: String?
    var created_at: String?
    var project: String?

    enum CodingKeys: String, CodingKey {
        case id, name, volume_id, size, status, description, created_at
        case project = "os-extended-snapshot-attributes:project_id"
    }

    func snapshot(_ projectNames: [String: String], path: String, key: String) throws(DecodingFailure) -> VolumeSnapshot {
        let sizeBytes = try CinderSize.bytes(size, of: "a snapshot", path: path, key: key)
        // Unnamed, it shows by its id, as Horizon shows it (and as unnamed volumes show).
        let shownName = name.flatMap { $0.isEmpty ? nil : $0 } ?? id
        return VolumeSnapshot(id: id, name: shownName, volumeID: volume_id, sizeBytes: sizeBytes, status: status,
                              description: description.flatMap { $0.isEmpty ? nil : $0 },
                              project: project.map { projectNames[$0] ?? $0 },
                              createdAt: created_at.flatMap(OpenStackDate.parse))
    }
}

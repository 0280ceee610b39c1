import FoundationEssentials
import StacktopModel

// What ties libvirt objects (volumes, domains, networks) to the cloud: metadata and owners.
extension StateStore {
    public func imageMetadata() throws -> [ImageMetadata] {
        try withDatabase { db in try Self.fetchImageMetadata(db) }
    }

    public func imageMetadata(path: String) throws -> ImageMetadata? {
        try withDatabase { db in try Self.fetchImageMetadata(db, path: path).first }
    }

    public func upsertImageMetadata(_ metadata: ImageMetadata) throws {
        try upsert("image_metadata", key: "path", row: [
            "path": metadata.path, "name": metadata.name, "os": metadata.os, "min_disk_gib": metadata.minDiskGiB,
            "min_ram_mib": metadata.minRamMiB, "visibility": metadata.visibility.rawValue,
            "project": metadata.project, "created_at": metadata.createdAt,
        ])
    }

    public func deleteImageMetadata(path: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM image_metadata WHERE path = ?", path) }
    }

    public func instanceOwnerships() throws -> [InstanceOwnership] {
        try withDatabase { db in try Self.fetchInstanceOwnership(db) }
    }

    public func instanceOwnership(uuid: String) throws -> InstanceOwnership? {
        try withDatabase { db in try Self.fetchInstanceOwnership(db, uuid: uuid).first }
    }

    public func upsertInstanceOwnership(_ ownership: InstanceOwnership) throws {
        let groups = Self.encodeNames(ownership.securityGroups)
        try upsert("instance_ownership", key: "uuid", row: [
            "uuid": ownership.uuid, "project": ownership.project, "flavor": ownership.flavor,
            "image": ownership.image, "keypair": ownership.keypair, "security_groups": groups,
            "created_at": ownership.createdAt, "locked": ownership.locked,
        ])
    }

    public func deleteInstanceOwnership(uuid: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM instance_ownership WHERE uuid = ?", uuid) }
    }

    /// Volume path -> owning project.
    public func volumeOwners() throws -> [String: String] { try withDatabase(Self.fetchVolumeOwners) }

    /// Records (or, with nil, forgets) which project owns the volume at `path`.
    public func setVolumeOwner(path: String, project: String?) throws {
        try withDatabase { db in
            guard let project else {
                try db.execute("DELETE FROM volume_ownership WHERE path = ?", path)
                return
            }
            try db.upsert("volume_ownership", key: "path", row: ["path": path, "project": project])
        }
    }

    public func networkOwnerships() throws -> [NetworkOwnership] {
        try withDatabase { db in Array(try Self.fetchNetworkOwnership(db).values).sorted { $0.name < $1.name } }
    }

    public func upsertNetworkOwnership(_ ownership: NetworkOwnership) throws {
        try upsert("network_ownership", key: "name", row: [
            "name": ownership.name, "project": ownership.project, "shared": ownership.shared,
            "external": ownership.external,
        ])
    }

    static func fetchImageMetadata(_ db: SQLiteDatabase, path: String? = nil) throws(SQLiteError) -> [ImageMetadata] {
        let columns = "SELECT path, name, os, min_disk_gib, min_ram_mib, visibility, project, created_at FROM image_metadata"
        return try db.query(columns, where: "path", is: path, orderBy: "name").map { row in
            ImageMetadata(path: row.string(0), name: row.string(1), os: row.optionalString(2),
                          minDiskGiB: row.int(3), minRamMiB: row.int(4),
                          visibility: Image.Visibility(rawValue: row.string(5)) ?? .public,
                          project: row.optionalString(6), createdAt: row.optionalDate(7))
        }
    }

    static func fetchInstanceOwnership(_ db: SQLiteDatabase, uuid: String? = nil) throws(SQLiteError) -> [InstanceOwnership] {
        let columns = "SELECT uuid, project, flavor, image, keypair, security_groups, created_at, locked FROM instance_ownership"
        return try db.query(columns, where: "uuid", is: uuid, orderBy: "rowid").map { row in
            InstanceOwnership(uuid: row.string(0), project: row.optionalString(1), flavor: row.optionalString(2),
                              image: row.optionalString(3), keypair: row.optionalString(4),
                              securityGroups: decodeNames(row.bytes(5)), createdAt: row.optionalDate(6),
                              locked: row.bool(7))
        }
    }

    static func fetchVolumeOwners(_ db: SQLiteDatabase) throws(SQLiteError) -> [String: String] {
        var owners: [String: String] = [:]
        for row in try db.query("SELECT path, project FROM volume_ownership WHERE project IS NOT NULL") {
            owners[row.string(0)] = row.string(1)
        }
        return owners
    }

    static func fetchNetworkOwnership(_ db: SQLiteDatabase) throws(SQLiteError) -> [String: NetworkOwnership] {
        var result: [String: NetworkOwnership] = [:]
        for row in try db.query("SELECT name, project, shared, external FROM network_ownership") {
            result[row.string(0)] = NetworkOwnership(name: row.string(0), project: row.optionalString(1),
                                                     shared: row.bool(2), external: row.bool(3))
        }
        return result
    }

    // Group names as a JSON array: names may contain any character, so no separator is safe.
    // Encoding an array of strings cannot fail; "[]" only keeps the signature non-throwing.
    private static func encodeNames(_ names: [String]) -> String {
        (try? JSONEncoder().encode(names)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
    }

    private static func decodeNames(_ bytes: [UInt8]?) -> [String] {
        guard let bytes else { return [] }
        return (try? JSONDecoder().decode([String].self, from: Data(bytes))) ?? []
    }
}

// The disks stacktop made for an instance: the only ones deleting it may delete.
extension StateStore {
    /// Records that stacktop made the volume at `path` for the instance `uuid` (`role`: "root", "seed").
    public func recordInstanceDisk(path: String, uuid: String, role: String) throws {
        try upsert("instance_disks", key: "path", row: ["path": path, "uuid": uuid, "role": role])
    }

    /// Volume path -> role, for the disks made for `uuid`.
    public func instanceDisks(uuid: String) throws -> [String: String] {
        try withDatabase { db in
            var disks: [String: String] = [:]
            for row in try db.query("SELECT path, role FROM instance_disks WHERE uuid = ?", uuid) {
                disks[row.string(0)] = row.string(1)
            }
            return disks
        }
    }

    /// Volume path -> the UUID of the instance it was made for, for every recorded disk.
    public func instanceDiskOwners() throws -> [String: String] {
        try withDatabase(Self.fetchInstanceDiskOwners)
    }

    /// Forgets one recorded disk (deleted, or handed over as a volume).
    public func forgetInstanceDisk(path: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM instance_disks WHERE path = ?", path) }
    }

    static func fetchInstanceDiskOwners(_ db: SQLiteDatabase) throws(SQLiteError) -> [String: String] {
        var owners: [String: String] = [:]
        for row in try db.query("SELECT path, uuid FROM instance_disks") { owners[row.string(0)] = row.string(1) }
        return owners
    }
}

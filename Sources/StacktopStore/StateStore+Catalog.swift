import StacktopModel

// Projects, flavors and keypairs: the catalogue a libvirt host has no notion of.
extension StateStore {
    public func projects() throws -> [Project] { try withDatabase(Self.fetchProjects) }

    /// Inserts the project, or updates it by id (a rename follows through to everything it owns).
    public func upsertProject(_ project: Project) throws {
        try upsert("projects", key: "id", row: [
            "id": project.id, "name": project.name, "description": project.description,
            "enabled": project.enabled,
        ])
    }

    /// Deletes the project with its quotas and security groups; what it owned becomes unowned.
    public func deleteProject(named name: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM projects WHERE name = ?", name) }
    }

    public func flavors() throws -> [Flavor] { try withDatabase(Self.fetchFlavors) }

    public func upsertFlavor(_ flavor: Flavor) throws {
        try upsert("flavors", key: "id", row: [
            "id": flavor.id, "name": flavor.name, "vcpus": flavor.vcpus, "ram_mib": flavor.ramMiB,
            "disk_gib": flavor.diskGiB, "is_public": flavor.isPublic,
        ])
    }

    public func deleteFlavor(named name: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM flavors WHERE name = ?", name) }
    }

    public func keypairs() throws -> [Keypair] { try withDatabase(Self.fetchKeypairs) }

    public func upsertKeypair(_ keypair: Keypair) throws {
        try upsert("keypairs", key: "name", row: [
            "name": keypair.name, "fingerprint": keypair.fingerprint, "public_key": keypair.publicKey,
            "type": keypair.type, "project": keypair.project, "created_at": keypair.createdAt,
        ])
    }

    public func deleteKeypair(named name: String) throws {
        try withDatabase { db in try db.execute("DELETE FROM keypairs WHERE name = ?", name) }
    }

    // Insertion order, so the first project seeded is the one the Overview opens on.
    static func fetchProjects(_ db: SQLiteDatabase) throws(SQLiteError) -> [Project] {
        try db.query("SELECT id, name, description, enabled FROM projects ORDER BY rowid").map { row in
            Project(id: row.string(0), name: row.string(1), description: row.string(2), enabled: row.bool(3))
        }
    }

    static func fetchFlavors(_ db: SQLiteDatabase) throws(SQLiteError) -> [Flavor] {
        try db.query("""
            SELECT id, name, vcpus, ram_mib, disk_gib, is_public FROM flavors ORDER BY vcpus, ram_mib, disk_gib, name
            """).map { row in
            Flavor(id: row.string(0), name: row.string(1), vcpus: row.int(2), ramMiB: row.int(3),
                   diskGiB: row.int(4), isPublic: row.bool(5))
        }
    }

    static func fetchKeypairs(_ db: SQLiteDatabase) throws(SQLiteError) -> [Keypair] {
        try db.query("""
            SELECT name, fingerprint, public_key, type, project, created_at FROM keypairs ORDER BY name
            """).map { row in
            Keypair(name: row.string(0), fingerprint: row.string(1), publicKey: row.string(2), type: row.string(3),
                    project: row.optionalString(4), createdAt: row.optionalDate(5))
        }
    }
}

/// The schema, as an ordered list of steps. Step N moves a store from `user_version` N-1 to N.
/// Never edit a released step: add a new one, so stores written by older builds still upgrade.
enum StoreMigrations {
    struct Step: Sendable {
        var version: Int
        var sql: String
    }

    static var latestVersion: Int { steps.last?.version ?? 0 }

    static let steps: [Step] = [
        Step(version: 1, sql: version1),
        Step(version: 2, sql: version2),
        Step(version: 3, sql: version3),
        Step(version: 4, sql: version4),
        Step(version: 5, sql: version5),
    ]

    /// The first schema: catalogue, quotas, image metadata, instance ownership, audit log.
    static let version1 = """
        CREATE TABLE projects (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            description TEXT NOT NULL DEFAULT '',
            enabled INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE flavors (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            vcpus INTEGER NOT NULL,
            ram_mib INTEGER NOT NULL,
            disk_gib INTEGER NOT NULL,
            is_public INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE keypairs (
            name TEXT PRIMARY KEY,
            fingerprint TEXT NOT NULL,
            public_key TEXT NOT NULL,
            type TEXT NOT NULL DEFAULT 'ssh',
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
            created_at REAL
        );
        CREATE TABLE security_groups (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            description TEXT NOT NULL DEFAULT '',
            project TEXT REFERENCES projects(name) ON DELETE CASCADE ON UPDATE CASCADE,
            UNIQUE (project, name)
        );
        CREATE TABLE security_group_rules (
            id TEXT PRIMARY KEY,
            group_id TEXT NOT NULL REFERENCES security_groups(id) ON DELETE CASCADE,
            position INTEGER NOT NULL DEFAULT 0,
            direction TEXT NOT NULL CHECK (direction IN ('ingress', 'egress')),
            ethertype TEXT NOT NULL DEFAULT 'IPv4',
            protocol TEXT,
            port_min INTEGER,
            port_max INTEGER,
            remote_cidr TEXT,
            remote_group TEXT
        );
        CREATE INDEX security_group_rules_by_group ON security_group_rules (group_id, position);
        CREATE TABLE quota_defaults (
            resource TEXT PRIMARY KEY,
            hard_limit INTEGER NOT NULL
        );
        CREATE TABLE quotas (
            project TEXT NOT NULL REFERENCES projects(name) ON DELETE CASCADE ON UPDATE CASCADE,
            resource TEXT NOT NULL,
            hard_limit INTEGER NOT NULL,
            PRIMARY KEY (project, resource)
        );
        CREATE TABLE image_metadata (
            path TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            os TEXT,
            min_disk_gib INTEGER NOT NULL DEFAULT 0,
            min_ram_mib INTEGER NOT NULL DEFAULT 0,
            visibility TEXT NOT NULL DEFAULT 'public',
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
            created_at REAL
        );
        CREATE TABLE instance_ownership (
            uuid TEXT PRIMARY KEY,
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
            flavor TEXT,
            image TEXT,
            keypair TEXT,
            security_groups TEXT NOT NULL DEFAULT '[]',
            created_at REAL
        );
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            time REAL NOT NULL,
            project TEXT,
            action TEXT NOT NULL,
            target TEXT NOT NULL,
            result TEXT NOT NULL
        );
        INSERT INTO quota_defaults (resource, hard_limit) VALUES
            ('instances', 10), ('cores', 20), ('ram', 51200), ('volumes', 10), ('gigabytes', 1000),
            ('snapshots', 10), ('networks', 100), ('security_groups', 10),
            ('security_group_rules', 100), ('keypairs', 100);
        """

    /// Version 2: instance locks, the error text of failed actions, volume and network ownership,
    /// and the snapshot cache that lets the dashboard draw at once on the next start.
    static let version2 = """
        ALTER TABLE instance_ownership ADD COLUMN locked INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE audit_log ADD COLUMN error TEXT;
        CREATE TABLE volume_ownership (
            path TEXT PRIMARY KEY,
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE
        );
        CREATE TABLE network_ownership (
            name TEXT PRIMARY KEY,
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
            shared INTEGER NOT NULL DEFAULT 0,
            external INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE snapshot_cache (
            endpoint TEXT PRIMARY KEY,
            snapshot BLOB NOT NULL,
            saved_at REAL NOT NULL
        );
        """

    /// Version 3: the request ids a remote cloud gave for each audited mutation (JSON array).
    static let version3 = """
        ALTER TABLE audit_log ADD COLUMN request_ids TEXT NOT NULL DEFAULT '[]';
        """

    /// Version 4: the disks stacktop made for an instance (its root overlay, its cloud-init seed), so that
    /// deleting the instance deletes exactly those and keeps every volume made separately.
    static let version4 = """
        CREATE TABLE instance_disks (
            path TEXT PRIMARY KEY,
            uuid TEXT NOT NULL,
            role TEXT NOT NULL
        );
        CREATE INDEX instance_disks_by_uuid ON instance_disks (uuid);
        """

    /// Version 5: volume snapshots on a libvirt host (qcow2 internal snapshots tagged with `id`; on the demo,
    /// the record alone), which libvirt cannot list.
    static let version5 = """
        CREATE TABLE volume_snapshots (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            volume_path TEXT NOT NULL,
            size_bytes INTEGER NOT NULL DEFAULT 0,
            description TEXT,
            project TEXT REFERENCES projects(name) ON DELETE SET NULL ON UPDATE CASCADE,
            created_at REAL
        );
        CREATE INDEX volume_snapshots_by_volume ON volume_snapshots (volume_path);
        """
}

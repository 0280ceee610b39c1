#if canImport(Glibc)
import Glibc
#endif
import FoundationEssentials
import StacktopServices
import Synchronization

/// The local backend's own database: everything a libvirt host does not know about a cloud
/// (projects, flavors, keypairs, security groups, quotas, image metadata, ownership), plus the
/// audit log and the snapshot cache. One SQLite file in WAL mode.
///
/// A class behind a `Mutex` rather than an actor: `SnapshotCache` and the demo seed are synchronous,
/// every call is a short local SQLite operation, and one connection must not be used by two threads
/// at once. A lock gives that without forcing `await` on every caller. Other processes sharing the
/// file are handled by SQLite itself (WAL readers, `busy_timeout` for writers).
///
/// Every throwing method throws `BackendError.store(path:reason:)`.
public final class StateStore: Sendable {
    /// The schema version this build writes; stores at lower versions are upgraded on open.
    public static var schemaVersion: Int { StoreMigrations.latestVersion }

    public let path: String
    /// Opened with `init(readOnlyAt:)`: SQLite refuses every write, and no migration ran.
    public let isReadOnly: Bool
    /// A read-only open found no store at `path` and stands in with an empty one in memory.
    public let isEmptyStandIn: Bool
    private let database: Mutex<SQLiteDatabase>

    /// Opens the store at `path`, creating the file and its folders if needed, and upgrades an
    /// older schema. Refuses a file written by a newer stacktop and a file that is not a database.
    public init(path: String) throws {
        self.path = path
        isReadOnly = false
        isEmptyStandIn = false
        try Self.createParentDirectory(of: path)
        let isNew = try path == ":memory:" || StoreFiles.createPrivateFile(path)
        if !isNew { StoreFiles.tighten(path) }
        let db: SQLiteDatabase
        do {
            db = try SQLiteDatabase(path: path)
            // Long enough to wait out another stacktop's write, short enough not to look hung.
            db.setBusyTimeout(milliseconds: 3000)
            // A file that was there but holds no stacktop schema (truncated to 0 bytes, or another
            // program's database) is reported before anything is written to it, never silently made
            // into a new, empty store.
            let holdsNoStacktopData = try !isNew && (Self.isEmptyFile(path) || (Self.userVersion(db) == 0 && !Self.hasNoTables(db)))
            if holdsNoStacktopData {
                throw BackendError.store(path: path, reason: "it exists but holds no stacktop data (it may have been "
                    + "truncated or belong to another program), so move it aside to start a new store or restore it from a backup")
            }
            try Self.configure(db)
            try Self.migrate(db, path: path)
        } catch let error as SQLiteError {
            throw Self.storeError(error, path: path)
        }
        database = Mutex(db)
    }

    /// For the read-only opens (StateStore+ReadOnly.swift), which prepare the connection themselves.
    init(path: String, readOnlyDatabase db: sending SQLiteDatabase, emptyStandIn: Bool) {
        self.path = path
        isReadOnly = true
        isEmptyStandIn = emptyStandIn
        database = Mutex(db)
    }

    /// `$XDG_STATE_HOME/stacktop/state.sqlite3`, else `$HOME/.local/state/stacktop/state.sqlite3`.
    public static func defaultPath(environment: [String: String]) -> String {
        // The XDG spec says relative values are invalid and must be ignored.
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return Self.join(state, "stacktop/state.sqlite3")
        }
        if let home = environment["HOME"], !home.isEmpty {
            return Self.join(home, ".local/state/stacktop/state.sqlite3")
        }
        return "stacktop-state.sqlite3"
    }

    private static func join(_ directory: String, _ rest: String) -> String {
        directory.hasSuffix("/") ? directory + rest : directory + "/" + rest
    }

    private static func createParentDirectory(of path: String) throws {
        guard path != ":memory:", let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return }
        try StoreFiles.makeDirectory(String(path[..<slash]), forStore: path)
    }

    static func hasNoTables(_ db: SQLiteDatabase) throws(SQLiteError) -> Bool {
        try db.query("SELECT count(*) FROM sqlite_master").first?.int(0) ?? 0 == 0
    }

    static func isEmptyFile(_ path: String) -> Bool {
        var status = stat()
        return stat(path, &status) == 0 && status.st_size == 0
    }

    static func configure(_ db: SQLiteDatabase) throws(SQLiteError) {
        // journal_mode is the first statement that reads the file, so a non-database fails here.
        _ = try db.query("PRAGMA journal_mode = WAL")
        try db.executeScript("PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;")
    }

    static func migrate(_ db: SQLiteDatabase, path: String) throws {
        let found = try userVersion(db)
        let latest = StoreMigrations.latestVersion
        if found > latest {
            throw BackendError.store(path: path, reason: "it was written by a newer stacktop (schema version "
                + "\(found), this build reads up to \(latest)), so upgrade stacktop to use it")
        }
        for step in StoreMigrations.steps where step.version > found {
            try db.transaction {
                // Another process may have migrated while this one waited for the write lock.
                guard try userVersion(db) < step.version else { return }
                try db.executeScript(step.sql)
                try db.executeScript("PRAGMA user_version = \(step.version)")
            }
        }
    }

    static func userVersion(_ db: SQLiteDatabase) throws(SQLiteError) -> Int {
        try db.query("PRAGMA user_version").first?.int(0) ?? 0
    }

    static func storeError(_ error: SQLiteError, path: String) -> BackendError {
        if error.isNotADatabase {
            return .store(path: path, reason: "it is not a SQLite database or it is damaged (SQLite: \(error.message))")
        }
        return .store(path: path, reason: "SQLite reported \"\(error.message)\"")
    }

    /// Runs `body` on the connection under the lock, turning SQLite failures into `BackendError`.
    func withDatabase<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        do {
            return try database.withLock { db in try body(db) }
        } catch let error as SQLiteError {
            if isReadOnly, error.isReadOnlyRefusal {
                throw BackendError.readOnly(action: "write to the state store \(path)")
            }
            throw Self.storeError(error, path: path)
        }
    }

    /// One row written (`SQLiteDatabase.upsert`) under the lock, as `withDatabase` writes it.
    func upsert(_ table: String, key: String..., row: KeyValuePairs<String, any SQLiteBindable>) throws {
        try withDatabase { db in try db.upsert(table, keys: key, row: row) }
    }

    /// Like `withDatabase`, inside one write transaction.
    func write<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try withDatabase { db in try db.transaction { try body(db) } }
    }

    /// The `user_version` of the open file (equals `schemaVersion` once opened).
    public func storedSchemaVersion() throws -> Int {
        try withDatabase(Self.userVersion)
    }

    /// The journal mode SQLite reports ("wal" unless the file system cannot do WAL).
    public func journalMode() throws -> String {
        try withDatabase { db in try db.query("PRAGMA journal_mode").first?.string(0) ?? "" }
    }
}

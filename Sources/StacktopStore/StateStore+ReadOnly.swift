import FoundationEssentials
import StacktopServices

extension StateStore {
    /// Opens the store at `path` for reading only (`--readonly`, `--wall`): SQLite opens the file
    /// with SQLITE_OPEN_READONLY and `query_only`, so every write API throws `BackendError.readOnly`
    /// and the file's bytes never change. No folder, file, migration or journal-mode change is made.
    ///
    /// - A missing file (or an empty one, user_version 0) opens an empty store in memory
    ///   (`isEmptyStandIn`): an operator who points a wall at a host where stacktop never ran
    ///   expects to see the host, with no projects or flavors yet, rather than an error or a new file.
    /// - A store of an older schema is refused with the sentence to run stacktop once without
    ///   --readonly: reading it would fail later on missing columns, and upgrading it is a write.
    /// - A store of a newer schema is refused as in `init(path:)`.
    ///
    /// SQLite still creates the `-shm` and `-wal` companions beside a WAL file while it is read
    /// (that is how a reader shares the file safely with a writing stacktop); the database itself is
    /// not touched.
    public convenience init(readOnlyAt path: String) throws {
        let file = try StateStore.openReadOnlyFile(path: path)
        let db = try file ?? StateStore.emptyReadOnlyDatabase(path: path)
        self.init(path: path, readOnlyDatabase: db, emptyStandIn: file == nil)
    }

    /// The file opened read-only at the current schema, or nil when there is nothing to read.
    private static func openReadOnlyFile(path: String) throws -> sending SQLiteDatabase? {
        guard path != ":memory:", FileManager.default.fileExists(atPath: path) else { return nil }
        do {
            let db = try openForReading(path: path)
            let found = try userVersion(db)
            let latest = StoreMigrations.latestVersion
            if found > latest {
                throw BackendError.store(path: path, reason: "it was written by a newer stacktop (schema version "
                    + "\(found), this build reads up to \(latest)), so upgrade stacktop to use it")
            }
            if found < latest, found > 0 {
                throw BackendError.store(path: path, reason: "it was written by an older stacktop (schema version "
                    + "\(found), this build reads \(latest)) and --readonly does not upgrade it, so run stacktop once "
                    + "without --readonly to upgrade it")
            }
            return found == 0 ? nil : db
        } catch let error as SQLiteError {
            throw storeError(error, path: path)
        }
    }

    /// The connection, tried as usual first, then as an immutable file when SQLite cannot make the
    /// `-shm` it shares a WAL file through (a read-only filesystem or folder).
    private static func openForReading(path: String) throws(SQLiteError) -> sending SQLiteDatabase {
        let usual = try SQLiteDatabase(path: path, readOnly: true)
        usual.setBusyTimeout(milliseconds: 3000)
        try usual.executeScript("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")
        var failure: SQLiteError?
        do {
            _ = try userVersion(usual)   // the first statement that reads the file
            return usual
        } catch {
            failure = error
        }
        guard let failure, failure.isCannotOpen else { throw failure ?? SQLiteError(code: 1, message: "unknown") }
        let immutable = try SQLiteDatabase(path: path, readOnly: true, immutable: true)
        try immutable.executeScript("PRAGMA query_only = ON; PRAGMA foreign_keys = ON;")
        return immutable
    }

    /// The current schema in memory, then `query_only`: the stand-in refuses writes like a real file.
    private static func emptyReadOnlyDatabase(path: String) throws -> sending SQLiteDatabase {
        do {
            let db = try SQLiteDatabase(path: ":memory:")
            try db.executeScript("PRAGMA foreign_keys = ON;")
            try migrate(db, path: path)
            try db.executeScript("PRAGMA query_only = ON;")
            return db
        } catch let error as SQLiteError {
            throw storeError(error, path: path)
        }
    }
}

import CSQLite

/// An SQLite failure, carrying SQLite's own explanation (`sqlite3_errmsg`).
struct SQLiteError: Error, Sendable, Equatable, CustomStringConvertible {
    var code: Int32
    var message: String

    /// SQLITE_NOTADB / SQLITE_CORRUPT: the file is not a usable database at all.
    var isNotADatabase: Bool {
        let primary = code & 0xFF
        return primary == SQLITE_NOTADB || primary == SQLITE_CORRUPT
    }

    /// SQLITE_READONLY: a write reached a connection opened read-only (or with `query_only`).
    var isReadOnlyRefusal: Bool { code & 0xFF == SQLITE_READONLY }

    /// The file could be read but not its WAL companions (a read-only filesystem or folder).
    var isCannotOpen: Bool { code & 0xFF == SQLITE_CANTOPEN || code & 0xFF == SQLITE_READONLY }

    var description: String { message }
}

/// One open SQLite connection. Not thread-safe on purpose: `StateStore` owns it behind a mutex.
final class SQLiteDatabase {
    private let handle: OpaquePointer

    /// `readOnly` opens without SQLITE_OPEN_CREATE or write access: a missing file fails instead of
    /// being created, and SQLite itself refuses every write (SQLITE_READONLY).
    /// `immutable` (read-only only) reads the file as it is, without locks or the `-wal`/`-shm`
    /// companions: how a store on a read-only filesystem can still be read (what only the WAL holds,
    /// not yet checkpointed, is not seen).
    init(path: String, readOnly: Bool = false, immutable: Bool = false) throws(SQLiteError) {
        var db: OpaquePointer?
        var flags = (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        var name = path
        if readOnly && immutable {
            flags |= SQLITE_OPEN_URI
            name = "file:" + Self.uriEscaped(path) + "?immutable=1"
        }
        let rc = sqlite3_open_v2(name, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(rc))
            sqlite3_close_v2(db)
            throw SQLiteError(code: rc, message: message)
        }
        // Extended codes tell "not a database" apart from other I/O errors.
        sqlite3_extended_result_codes(db, 1)
        handle = db
    }

    deinit { sqlite3_close_v2(handle) }

    /// A path as the path of a `file:` URI: `%`, `?` and `#` (and anything not printable ASCII) escaped.
    static func uriEscaped(_ path: String) -> String {
        var out = ""
        for byte in path.utf8 {
            if byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "%") && byte != UInt8(ascii: "?") && byte != UInt8(ascii: "#") {
                out.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    func setBusyTimeout(milliseconds: Int32) { sqlite3_busy_timeout(handle, milliseconds) }

    func error(_ code: Int32) -> SQLiteError {
        SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }

    func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        var statement: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard rc == SQLITE_OK, let statement else { throw error(rc) }
        return SQLiteStatement(handle: statement, database: self)
    }

    /// Runs one statement with parameters and discards any rows.
    func execute(_ sql: String, _ arguments: any SQLiteBindable...) throws(SQLiteError) {
        try prepare(sql).bind(arguments).run()
    }

    /// Writes one row: inserted, or, where a row with the same `key` columns is there already, its other columns
    /// set (`INSERT … ON CONFLICT (key) DO UPDATE SET column = excluded.column, …`).
    func upsert(_ table: String, key: String..., row: KeyValuePairs<String, any SQLiteBindable>) throws(SQLiteError) {
        try upsert(table, keys: key, row: row)
    }

    func upsert(_ table: String, keys key: [String], row: KeyValuePairs<String, any SQLiteBindable>) throws(SQLiteError) {
        let columns = row.map(\.key)
        let placeholders = Array(repeating: "?", count: columns.count).joined(separator: ", ")
        let updates = columns.filter { !key.contains($0) }.map { "\($0) = excluded.\($0)" }
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(placeholders)) "
            + "ON CONFLICT (\(key.joined(separator: ", "))) DO UPDATE SET \(updates.joined(separator: ", "))"
        try prepare(sql).bind(row.map(\.value)).run()
    }

    /// Runs several `;`-separated statements without parameters (schema scripts).
    func executeScript(_ sql: String) throws(SQLiteError) {
        let rc = sqlite3_exec(handle, sql, nil, nil, nil)
        guard rc == SQLITE_OK else { throw error(rc) }
    }

    func query(_ sql: String, _ arguments: any SQLiteBindable...) throws(SQLiteError) -> [SQLiteRow] {
        try prepare(sql).bind(arguments).rows()
    }

    /// The rows of `select` whose `column` is `value`, or, with no value, every row in `order`.
    func query(_ select: String, where column: String, is value: String?, orderBy order: String) throws(SQLiteError) -> [SQLiteRow] {
        guard let value else { return try query(select + " ORDER BY \(order)") }
        return try query(select + " WHERE \(column) = ?", value)
    }

    var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Runs `body` in one transaction; rolls back if it throws. A write transaction takes the write
    /// lock up front, so it waits (busy_timeout) instead of failing half way; a read transaction
    /// sees one consistent state of the file.
    func transaction<T>(write: Bool = true, _ body: () throws -> T) throws -> T {
        try executeScript(write ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED")
        do {
            let result = try body()
            try executeScript("COMMIT")
            return result
        } catch {
            try? executeScript("ROLLBACK")
            throw error
        }
    }
}

/// A prepared statement; finalized when released.
final class SQLiteStatement {
    private let handle: OpaquePointer
    // Keeps the connection open for as long as the statement lives.
    private let database: SQLiteDatabase

    fileprivate init(handle: OpaquePointer, database: SQLiteDatabase) {
        self.handle = handle
        self.database = database
    }

    deinit { sqlite3_finalize(handle) }

    @discardableResult
    func bind(_ arguments: [any SQLiteBindable]) throws(SQLiteError) -> SQLiteStatement {
        for (offset, argument) in arguments.enumerated() {
            try bind(argument.sqliteValue, at: Int32(offset + 1))
        }
        return self
    }

    func bind(_ value: SQLiteValue, at index: Int32) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let number): rc = sqlite3_bind_int64(handle, index, number)
        case .real(let number): rc = sqlite3_bind_double(handle, index, number)
        case .text(let text): rc = sqlite3_bind_text(handle, index, text, -1, stacktop_sqlite_transient())
        case .blob(let bytes):
            // A nil data pointer would bind NULL, so an empty blob needs its own call.
            if bytes.isEmpty {
                rc = sqlite3_bind_zeroblob(handle, index, 0)
            } else {
                rc = bytes.withUnsafeBytes { buffer in
                    sqlite3_bind_blob(handle, index, buffer.baseAddress, Int32(buffer.count),
                                      stacktop_sqlite_transient())
                }
            }
        }
        guard rc == SQLITE_OK else { throw database.error(rc) }
    }

    /// Steps once; returns false when there are no more rows.
    func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw database.error(rc)
        }
    }

    func run() throws(SQLiteError) {
        while try step() {}
    }

    func rows() throws(SQLiteError) -> [SQLiteRow] {
        var rows: [SQLiteRow] = []
        while try step() { rows.append(currentRow()) }
        return rows
    }

    private func currentRow() -> SQLiteRow {
        let count = sqlite3_column_count(handle)
        return SQLiteRow(values: (0..<count).map(column))
    }

    func column(_ index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, index))
        case SQLITE_TEXT:
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(cString: text))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard count > 0, let bytes = sqlite3_column_blob(handle, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }
}

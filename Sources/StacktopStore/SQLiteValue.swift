import CSQLite
import FoundationEssentials

/// One SQLite value as bound to a statement or read from a row.
enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// Lets the store pass Swift values straight to `?` parameters.
protocol SQLiteBindable {
    var sqliteValue: SQLiteValue { get }
}

extension String: SQLiteBindable { var sqliteValue: SQLiteValue { .text(self) } }
extension Int: SQLiteBindable { var sqliteValue: SQLiteValue { .integer(Int64(self)) } }
extension Int64: SQLiteBindable { var sqliteValue: SQLiteValue { .integer(self) } }
extension Double: SQLiteBindable { var sqliteValue: SQLiteValue { .real(self) } }
extension Bool: SQLiteBindable { var sqliteValue: SQLiteValue { .integer(self ? 1 : 0) } }
// Unix seconds, so the file stays readable with the sqlite3 shell (`datetime(col, 'unixepoch')`).
extension Date: SQLiteBindable { var sqliteValue: SQLiteValue { .real(timeIntervalSince1970) } }
extension Data: SQLiteBindable { var sqliteValue: SQLiteValue { .blob(Array(self)) } }
extension SQLiteValue: SQLiteBindable { var sqliteValue: SQLiteValue { self } }
extension Optional: SQLiteBindable where Wrapped: SQLiteBindable {
    var sqliteValue: SQLiteValue { self?.sqliteValue ?? .null }
}

/// One result row, read by column index. Readers are lenient about NULL because columns added by a
/// migration are NULL in old rows.
struct SQLiteRow: Sendable {
    var values: [SQLiteValue]

    subscript(index: Int) -> SQLiteValue { index < values.count ? values[index] : .null }

    func optionalString(_ index: Int) -> String? {
        switch self[index] {
        case .text(let text): text
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        case .null: nil
        }
    }

    func string(_ index: Int) -> String { optionalString(index) ?? "" }

    func optionalInt(_ index: Int) -> Int? {
        switch self[index] {
        case .integer(let value): Int(value)
        // A REAL in an integer column (1e300, NaN) is not a number we can hold: nil, never a trap.
        case .real(let value): Int(exactly: value.rounded(.towardZero))
        case .text(let text): Int(text)
        default: nil
        }
    }

    func int(_ index: Int) -> Int { optionalInt(index) ?? 0 }
    func bool(_ index: Int) -> Bool { int(index) != 0 }

    func optionalDate(_ index: Int) -> Date? {
        switch self[index] {
        case .real(let value): value.isFinite ? Date(timeIntervalSince1970: value) : nil
        case .integer(let value): Date(timeIntervalSince1970: Double(value))
        default: nil
        }
    }

    func bytes(_ index: Int) -> [UInt8]? {
        switch self[index] {
        case .blob(let bytes): bytes
        case .text(let text): Array(text.utf8)
        default: nil
        }
    }
}

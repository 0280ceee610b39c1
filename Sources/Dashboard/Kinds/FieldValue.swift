import StacktopModel
import FoundationEssentials

/// One cell of a resource table, kept as a typed value so that sorting compares numbers as
/// numbers, JSON output keeps types, and text is formatted only for the rows on screen.
public enum FieldValue: Sendable, Equatable {
    case text(String)
    case integer(Int)
    /// Mebibytes, shown as "512M" / "4G".
    case mebibytes(Int)
    /// Bytes, shown as "1.5G".
    case bytes(UInt64)
    case date(Date?)
    case list([String])
    case state(InstanceState)
    case flag(Bool)
    /// An amount in a unit ("5 GiB", "51200 MiB"; a bare number without one); JSON keeps the number.
    case quantity(Int, unit: String)
    /// GiB with a fraction ("1.5G"); JSON keeps the number of GiB.
    case gibibytes(Double)
    /// A percentage, 0-100 ("12%", "0.4%").
    case percent(Double)
    /// Bytes per second ("1.2M/s"); JSON keeps the number.
    case rate(Double)
    /// A marker column (a locked instance): the glyph when set, nothing otherwise; JSON says true or false.
    case marker(Bool)
    /// An id shown by its first eight characters, as Horizon's short ids; JSON and sorting keep all of it.
    case shortID(String)
    case missing

    /// Text when there is some (even empty), else missing.
    public static func optional(_ text: String?) -> FieldValue { text.map(FieldValue.text) ?? .missing }

    /// Text when there is some that is not empty, else missing (Neutron leaves many fields "").
    public static func nonEmpty(_ text: String?) -> FieldValue {
        guard let text, !text.isEmpty else { return .missing }
        return .text(text)
    }

    /// How the value reads in a table cell. `now` makes ages deterministic in tests.
    public func display(now: Date) -> String {
        switch self {
        case .text(let s): s
        case .integer(let n): String(n)
        case .mebibytes(let mib): Format.mebibytes(mib)
        case .bytes(let b): Format.bytes(b)
        case .date(let date): date.map { Format.age(of: $0, now: now) } ?? "-"
        case .list(let items): items.isEmpty ? "-" : items.joined(separator: ", ")
        case .state(let state): state.label
        case .flag(let b): b ? "yes" : "no"
        case .quantity(let n, let unit): Format.quantity(n, unit: unit)
        case .gibibytes(let gib): Format.gibibytes(gib)
        case .percent(let p): p.isFinite ? (p < 10 && p != 0 ? Format.oneDecimal(p) : String(Int(p.rounded()))) + "%" : "-"
        case .rate(let r): r.isFinite && r >= 0 && r < 1.8e19 ? Format.bytes(UInt64(r.rounded())) + "/s" : "-"
        case .marker(let set): set ? "L" : ""
        case .shortID(let id): String(id.prefix(8))
        case .missing: "-"
        }
    }

    /// The value as plain data for `-f json` / `-f csv`: numbers stay numbers, dates are ISO 8601.
    public var exportValue: ExportValue {
        switch self {
        case .text(let s): .string(s)
        case .integer(let n): .number(Double(n))
        case .mebibytes(let n): .number(Double(n))
        case .bytes(let b): .number(Double(b))
        case .date(let d): d.map { .string(Format.iso8601($0)) } ?? .null
        case .list(let items): .array(items)
        case .state(let s): .string(s.rawValue)
        case .flag(let b): .bool(b)
        case .quantity(let n, _): .number(Double(n))
        case .gibibytes(let g): .number(g)
        case .percent(let p): .number((p * 10).rounded() / 10)
        case .rate(let r): .number(r.rounded())
        case .marker(let b): .bool(b)
        case .shortID(let id): .string(id)
        case .missing: .null
        }
    }

    /// Orders values of the same column: numbers numerically, text case-insensitively with numbers inside
    /// ordered naturally, missing last.
    public static func ascending(_ a: FieldValue, _ b: FieldValue) -> Bool { a.sortKey < b.sortKey }

    /// The value's place in its column's order. A table computes it once per row and sorts by it: comparing
    /// two names directly lowercases both on every comparison, which at 10,000 rows was most of a sort.
    public var sortKey: FieldSortKey {
        switch self {
        case .text(let s): .text(s.naturalSortKey)
        case .integer(let n): .number(Double(n))
        case .mebibytes(let n): .number(Double(n))
        case .bytes(let b): .number(Double(b))
        case .date(let d): d.map { .number($0.timeIntervalSince1970) } ?? .missing
        case .list(let items): items.isEmpty ? .missing : .text(items.joined(separator: ",").naturalSortKey)
        case .state(let s): .number(Double(InstanceState.allCases.firstIndex(of: s) ?? 0))
        case .flag(let b): .number(b ? 1 : 0)
        case .quantity(let n, _): .number(Double(n))
        case .gibibytes(let g): .number(g)
        case .percent(let p): .number(p)
        case .rate(let r): .number(r)
        case .marker(let b): .number(b ? 1 : 0)
        case .shortID(let id): .text(id.naturalSortKey)
        case .missing: .missing
        }
    }
}

/// Where a value sorts: numbers before text, missing last.
public enum FieldSortKey: Sendable, Comparable {
    case number(Double)
    /// `String.naturalSortKey`.
    case text([Int64])
    case missing

    public static func < (a: FieldSortKey, b: FieldSortKey) -> Bool {
        switch (a, b) {
        case let (.number(x), .number(y)): x < y
        case let (.text(x), .text(y)): x.lexicographicallyPrecedes(y)
        case (.missing, _): false
        case (_, .missing): true
        case (.number, .text): true
        case (.text, .number): false
        }
    }
}

/// A value ready for JSON or CSV.
public enum ExportValue: Sendable, Equatable {
    case string(String), number(Double), bool(Bool), array([String]), null
}

extension String {
    /// A key whose order is case-insensitive with numbers inside ordered naturally ("web-2" < "web-10"):
    /// the lowercased text's scalars, each run of ASCII digits as one number. A pair per token (a scalar's
    /// value and 0, or a digit's value 0x30 and the run's number), compared lexicographically; a key that is a
    /// prefix of another sorts first. A digit beside a letter compares as its scalar would, since no letter
    /// lies between "0" and "9".
    public var naturalSortKey: [Int64] {
        var key: [Int64] = []
        key.reserveCapacity(utf8.count * 2)
        var run: Int?
        for scalar in lowercased().unicodeScalars {
            if scalar.value >= 0x30, scalar.value <= 0x39 {
                run = (run ?? 0) &* 10 &+ Int(scalar.value - 0x30)
                continue
            }
            if let number = run { key += [0x30, Int64(number)]; run = nil }
            key += [Int64(scalar.value), 0]
        }
        if let number = run { key += [0x30, Int64(number)] }
        return key
    }
}

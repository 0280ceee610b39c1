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

    /// Orders values of the same column: numbers numerically, text case-insensitively, missing last.
    public static func ascending(_ a: FieldValue, _ b: FieldValue) -> Bool {
        switch (a.sortRank, b.sortRank) {
        case let (.number(x), .number(y)): return x < y
        case let (.text(x), .text(y)): return x.localizedStandardLess(y)
        case (.missing, _): return false
        case (_, .missing): return true
        case (.number, .text): return true
        case (.text, .number): return false
        }
    }

    private enum SortRank { case number(Double), text(String), missing }

    private var sortRank: SortRank {
        switch self {
        case .text(let s): .text(s)
        case .integer(let n): .number(Double(n))
        case .mebibytes(let n): .number(Double(n))
        case .bytes(let b): .number(Double(b))
        case .date(let d): d.map { .number($0.timeIntervalSince1970) } ?? .missing
        case .list(let items): items.isEmpty ? .missing : .text(items.joined(separator: ","))
        case .state(let s): .number(Double(InstanceState.allCases.firstIndex(of: s) ?? 0))
        case .flag(let b): .number(b ? 1 : 0)
        case .quantity(let n, _): .number(Double(n))
        case .gibibytes(let g): .number(g)
        case .percent(let p): .number(p)
        case .rate(let r): .number(r)
        case .marker(let b): .number(b ? 1 : 0)
        case .shortID(let id): .text(id)
        case .missing: .missing
        }
    }
}

/// A value ready for JSON or CSV.
public enum ExportValue: Sendable, Equatable {
    case string(String), number(Double), bool(Bool), array([String]), null
}

extension String {
    /// Case-insensitive comparison with numbers inside names ordered naturally ("web-2" < "web-10").
    func localizedStandardLess(_ other: String) -> Bool {
        var a = self.lowercased().unicodeScalars.makeIterator()
        var b = other.lowercased().unicodeScalars.makeIterator()
        var ca = a.next(), cb = b.next()
        while let x = ca, let y = cb {
            if x.properties.numericType != nil, y.properties.numericType != nil,
               let dx = Int(String(x)), let dy = Int(String(y)) {
                var nx = dx, ny = dy
                ca = a.next(); cb = b.next()
                while let c = ca, let d = Int(String(c)) { nx = nx &* 10 &+ d; ca = a.next() }
                while let c = cb, let d = Int(String(c)) { ny = ny &* 10 &+ d; cb = b.next() }
                if nx != ny { return nx < ny }
                continue
            }
            if x != y { return x.value < y.value }
            ca = a.next(); cb = b.next()
        }
        return ca == nil && cb != nil
    }
}

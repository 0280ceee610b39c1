import StacktopModel
import TerminalUI
import FoundationEssentials
import TextSafety

/// `stacktop KIND list` output: the same rows and columns as the dashboard's table, as the
/// `openstack` CLI prints them (table, json, csv, value).
public enum TableExport {
    public enum Format: String, Sendable { case table, json, csv, value }

    public struct UnknownColumn: Error, CustomStringConvertible {
        public var column: String
        public var known: [String]
        public var description: String {
            "Unknown column \"\(column)\"; this kind has: \(known.joined(separator: ", "))."
        }
    }

    /// Renders `table` over `snapshot`. `columns` (keys or titles, case-insensitive) picks and orders
    /// columns; empty means all. Rows are in the table's default sort order.
    public static func render(_ table: KindSpec, snapshot: CloudSnapshot, format: Format,
                              columns: [String] = [], now: Date) throws -> String {
        var picked = try pick(columns, from: table.columns)
        // Shown values are humanised in table and value output: a raw-unit column would contradict them.
        if columns.isEmpty, format == .table || format == .value {
            picked = picked.filter { !table.columns[$0].rawValuesOnly }
        }
        var model = TableModel(table: table.kind.rawValue, sortColumn: table.defaultSortColumn)
        model.setRows(table.rows(snapshot))
        let rows = model.visible.map { model.rows[$0] }
        switch format {
        case .json: return json(rows: rows, columns: picked, specs: table.columns)
        case .csv: return csv(rows: rows, columns: picked, specs: table.columns, now: now)
        case .value:
            return rows.map { row in
                picked.map { TerminalText.sanitize(row.values[$0].display(now: now)) }.joined(separator: " ")
            }.joined(separator: "\n") + (rows.isEmpty ? "" : "\n")
        case .table: return asciiTable(rows: rows, columns: picked, specs: table.columns, now: now)
        }
    }

    /// `stacktop KIND show NAME`: every field of one item (its columns, then what its details add) as
    /// field/value rows, like `openstack server show`; nil when no item is called `name` (by name or id).
    /// `matches` counts the items it names: the caller refuses an ambiguous name, as the `openstack` CLI does.
    public static func show(_ table: KindSpec, snapshot: CloudSnapshot, name: String, format: Format,
                            now: Date) -> (text: String, matches: Int)? {
        let rows = table.rows(snapshot)
        let matching = rows.filter { $0.id == name } + rows.filter { $0.id != name && table.name(snapshot, $0.id) == name }
        guard let row = matching.first else { return nil }
        var fields: [(key: String, value: ExportValue, text: String)] = []
        for (index, spec) in table.columns.enumerated() where index < row.values.count {
            let value = row.values[index]
            let text: String
            switch value {
            case .date(let date): text = date.map(isoDate) ?? "-"
            case .marker(let set): text = set ? "yes" : "no"
            default: text = value.exportValue == .null ? "-" : Self.plain(value.exportValue, shown: value.display(now: now))
            }
            fields.append((spec.key, value.exportValue, text))
        }
        for section in table.details(snapshot, row.id) ?? [] {
            // What the columns already say (under another label) is not said twice.
            for line in section.lines where !line.label.isEmpty && line.label != "-"
                && !fields.contains(where: { $0.text.lowercased() == line.value.lowercased() }) {
                // A label a column already has is that column's field, shown another way ("512M" beside 512).
                let key = line.label.lowercased().split(separator: " ").joined(separator: "_")
                guard !fields.contains(where: { $0.key == key }) else { continue }
                fields.append((key, .string(line.value), line.value))
            }
        }
        let text: String
        switch format {
        case .json:
            text = "{\n" + fields.map { "  \"\(jsonEscape($0.key))\": \(jsonValue($0.value))" }.joined(separator: ",\n") + "\n}\n"
        case .value:
            text = fields.map { TerminalText.sanitize($0.text) }.joined(separator: "\n") + "\n"
        case .csv:
            text = "Field,Value\n" + fields.map { csvField(text: $0.key) + "," + csvField(text: $0.text) }.joined(separator: "\n") + "\n"
        case .table:
            let specs = [ColumnSpec("Field", key: "field", width: .fixed(5)), ColumnSpec("Value", key: "value", width: .fixed(5))]
            let rows = fields.map { TableRow(id: $0.key, values: [.text($0.key), .text($0.text)], searchText: "") }
            text = asciiTable(rows: rows, columns: [0, 1], specs: specs, now: now)
        }
        return (text, matching.count)
    }

    /// How a field reads in `show`'s table: raw numbers where the JSON has them (so the two agree), the
    /// screen's text otherwise.
    private static func plain(_ value: ExportValue, shown: String) -> String {
        switch value {
        case .number: jsonValue(value)
        case .string(let s): s
        case .bool(let b): b ? "true" : "false"
        case .array(let items): items.isEmpty ? "-" : items.joined(separator: ", ")
        case .null: shown
        }
    }

    /// Instance columns' names before they took the `openstack` CLI's (scripts still say `-c state`).
    static let renamedKeys = ["state": "status", "ips": "addresses", "age": "created", "ram": "ram_mib",
                              "disk": "disk_gib", "keypair": "key_name"]

    static func pick(_ names: [String], from specs: [ColumnSpec]) throws -> [Int] {
        guard !names.isEmpty else { return Array(specs.indices) }
        return try names.map { name in
            let lower = name.lowercased()
            let alias = renamedKeys[lower]
            guard let index = specs.firstIndex(where: { $0.key == lower || $0.title.lowercased() == lower })
                    ?? specs.firstIndex(where: { $0.key == alias }) else {
                throw UnknownColumn(column: name, known: specs.map(\.key))
            }
            return index
        }
    }

    static func json(rows: [TableRow], columns: [Int], specs: [ColumnSpec]) -> String {
        let objects = rows.map { row in
            "  {" + columns.map { index in
                "\"\(jsonEscape(specs[index].key))\": \(jsonValue(row.values[index].exportValue))"
            }.joined(separator: ", ") + "}"
        }
        return objects.isEmpty ? "[]\n" : "[\n" + objects.joined(separator: ",\n") + "\n]\n"
    }

    static func jsonValue(_ value: ExportValue) -> String {
        switch value {
        case .string(let s): "\"\(jsonEscape(s))\""
        case .number(let n):
            // JSON has no NaN or infinity; a number that absurd from outside is no number.
            !n.isFinite ? "null" : n == n.rounded() && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .bool(let b): b ? "true" : "false"
        case .array(let items): "[" + items.map { "\"\(jsonEscape($0))\"" }.joined(separator: ", ") + "]"
        case .null: "null"
        }
    }

    /// Escapes what JSON requires plus everything a terminal could act on when the JSON is shown raw:
    /// C0, DEL, C1 and the bidirectional controls become `\\u` escapes (the data stays the same).
    static func jsonEscape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                let v = scalar.value
                if v < 0x20 || (v >= 0x7F && v < 0xA0) || TerminalText.isDirectionalControl(v) {
                    let hex = String(v, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// RFC 4180: a field holding a comma, a quote, CR or LF is quoted, quotes doubled. Text that a
    /// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR) gets a leading `'`,
    /// as spreadsheet-safe exporters do; numbers stay numbers. Control characters are shown (TerminalText).
    static func csv(rows: [TableRow], columns: [Int], specs: [ColumnSpec], now: Date) -> String {
        var lines = [columns.map { csvField(text: specs[$0].title) }.joined(separator: ",")]
        for row in rows {
            lines.append(columns.map { index -> String in
                switch row.values[index].exportValue {
                case .string(let s): csvField(text: s)
                case .number: csvQuoted(jsonValue(row.values[index].exportValue))
                case .bool(let b): b ? "true" : "false"
                case .array(let items): csvField(text: items.joined(separator: ", "))
                case .null: ""
                }
            }.joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func csvField(text: String) -> String {
        var value = text
        if let first = value.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) {
            value = "'" + value
        }
        return csvQuoted(TerminalText.sanitize(value, allowNewline: true))
    }

    static func csvQuoted(_ s: String) -> String {
        s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            ? "\"" + s.replacingQuotes() + "\"" : s
    }

    static func asciiTable(rows: [TableRow], columns: [Int], specs: [ColumnSpec], now: Date) -> String {
        let cells = rows.map { row in columns.map { TerminalText.sanitize(row.values[$0].display(now: now)) } }
        let widths = columns.enumerated().map { position, index in
            max(DisplayWidth.of(specs[index].title), cells.map { DisplayWidth.of($0[position]) }.max() ?? 0)
        }
        let rule = "+" + widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "+"
        func line(_ values: [String]) -> String {
            "| " + zip(values, widths).map { DisplayWidth.pad($0, to: $1) }.joined(separator: " | ") + " |"
        }
        var out = [rule, line(columns.map { specs[$0].title }), rule]
        out += cells.map(line)
        out.append(rule)
        return out.joined(separator: "\n") + "\n"
    }
}

/// `Format` inside `TableExport` is the output format.
private func isoDate(_ date: Date) -> String { Format.iso8601(date) }

extension String {
    func replacingQuotes() -> String {
        split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
    }
}

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

    static func pick(_ names: [String], from specs: [ColumnSpec]) throws -> [Int] {
        guard !names.isEmpty else { return Array(specs.indices) }
        return try names.map { name in
            let lower = name.lowercased()
            guard let index = specs.firstIndex(where: { $0.key == lower || $0.title.lowercased() == lower }) else {
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

extension String {
    func replacingQuotes() -> String {
        split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
    }
}

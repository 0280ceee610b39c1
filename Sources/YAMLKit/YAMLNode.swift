/// One node of a parsed YAML document. Every node keeps the 1-based line and column where it
/// starts, so whoever interprets the document (themes, clouds.yaml) can point at the exact spot.
public struct YAMLNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `quoted` is true for '...', "..." and block (| >) scalars: those are always strings,
        /// never null, booleans or numbers.
        case scalar(String, quoted: Bool)
        case sequence([YAMLNode])
        case mapping([YAMLEntry])
    }

    public var kind: Kind
    public var line: Int
    public var column: Int

    public init(_ kind: Kind, line: Int, column: Int) {
        self.kind = kind; self.line = line; self.column = column
    }

    /// What the node is, in words, for "expected X, found Y" messages.
    public var kindDescription: String {
        switch kind {
        case .scalar: isNull ? "an empty value" : "a single value"
        case .sequence: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// A `key: value` pair. Keys are always scalars (YAMLKit refuses complex keys), so a plain string
/// plus its position is enough.
public struct YAMLEntry: Sendable, Equatable {
    public var key: String
    public var keyLine: Int
    public var keyColumn: Int
    public var value: YAMLNode

    public init(key: String, keyLine: Int, keyColumn: Int, value: YAMLNode) {
        self.key = key; self.keyLine = keyLine; self.keyColumn = keyColumn; self.value = value
    }
}

// Typed access. Plain scalars are interpreted with the YAML 1.1 rules that configuration files in
// the wild (clouds.yaml, Ansible) are written against: yes/no/on/off are booleans.
extension YAMLNode {
    /// The value under `key` when this node is a mapping.
    public subscript(key: String) -> YAMLNode? {
        guard case .mapping(let entries) = kind else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// The element at `index` when this node is a sequence and the index is in range.
    public subscript(index: Int) -> YAMLNode? {
        guard case .sequence(let items) = kind, items.indices.contains(index) else { return nil }
        return items[index]
    }

    /// The entries of a mapping, in file order; nil for anything else.
    public var entries: [YAMLEntry]? {
        if case .mapping(let entries) = kind { return entries }
        return nil
    }

    /// The items of a sequence; nil for anything else.
    public var items: [YAMLNode]? {
        if case .sequence(let items) = kind { return items }
        return nil
    }

    /// The entry (with its key's position) for `key`, for error messages that name the key's line.
    public func entry(_ key: String) -> YAMLEntry? {
        entries?.first { $0.key == key }
    }

    /// `key:` with nothing after it, `~` or `null`: YAML's "no value".
    public var isNull: Bool {
        guard case .scalar(let text, let quoted) = kind, !quoted else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(text)
    }

    /// The scalar's text; nil for null, sequences and mappings. Numbers and booleans come back as
    /// written, because a config key that wants a string (a password "0123") must not lose digits.
    public var string: String? {
        guard case .scalar(let text, _) = kind, !isNull else { return nil }
        return text
    }

    /// A plain scalar that is a YAML 1.1 boolean (true/false, yes/no, on/off, y/n in any of the
    /// three spellings the spec allows). Quoted scalars are strings and give nil.
    public var bool: Bool? {
        guard case .scalar(let text, let quoted) = kind, !quoted else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y": return true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n", "N": return false
        default: return nil
        }
    }

    /// A plain scalar that is a decimal integer (optional sign, `_` separators) or 0x/0o hex/octal.
    public var int: Int? {
        guard case .scalar(var text, let quoted) = kind, !quoted, !text.isEmpty else { return nil }
        text.removeAll { $0 == "_" }
        var sign = 1
        if text.first == "-" || text.first == "+" {
            if text.first == "-" { sign = -1 }
            text.removeFirst()
        }
        let digits = text.hasPrefix("0x") || text.hasPrefix("0o") ? text.dropFirst(2) : text[...]
        let radix = text.hasPrefix("0x") ? 16 : text.hasPrefix("0o") ? 8 : 10
        // Digits only: Int() would take a second sign ("--9223372036854775808", "-0x-8000000000000000"),
        // and negating the Int.min it gives traps (found by the fuzz suite). Unsigned digits that fit are at
        // most Int.max, whose negation always fits.
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isHexDigit }),
              let value = Int(digits, radix: radix) else { return nil }
        return sign * value
    }

    /// A plain scalar that is a number (integer or decimal, `.inf`/`.nan` excluded on purpose:
    /// no configuration value wants them).
    public var double: Double? {
        if let int { return Double(int) }
        guard case .scalar(let text, let quoted) = kind, !quoted,
              text.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        return Double(text)
    }
}

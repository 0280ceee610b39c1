import YAMLKit

/// Interprets a parsed theme file. The format is documented at the top of themes/default.yaml:
///
///     name: default                 # optional; shown in the status bar
///     description: ...              # optional, free text
///     extends: light                # optional; roles left out come from this theme
///     roles:
///       selection: { fg: black, bg: cyan, bold: true }
///
/// A role that is present is a complete style: attributes it does not mention are off and colours
/// it does not mention are the terminal's default. A role that is absent keeps the base theme's
/// style (the built-in theme unless `extends` names another).
struct ThemeFileFormat {
    let file: String

    static let topLevelKeys = ["name", "description", "extends", "roles"]
    static let styleKeys = ["fg", "bg", "bold", "underline", "reverse", "dim"]

    /// The top-level mapping, or the error for a file that has none.
    func root(of text: String) throws -> YAMLNode {
        let parsed: YAMLNode?
        do {
            parsed = try YAML.parse(text)
        } catch let error as YAMLError {
            if let (line, colour) = Self.unquotedHexColour(in: text, upTo: error.line) {
                throw ThemeError(file: file, line: line,
                                 problem: "the YAML is malformed because a bare # starts a comment (write \"\(colour)\" in quotes)")
            }
            throw ThemeError(file: file, line: max(1, error.line), problem: "the YAML is malformed: \(error.problem)")
        }
        guard let root = parsed, !(root.entries?.isEmpty ?? false), !root.isNull else {
            throw ThemeError(file: file, line: 1,
                             problem: "the file is empty (a theme needs at least a 'roles:' mapping; copy themes/default.yaml to start)")
        }
        guard let entries = root.entries else {
            throw ThemeError(file: file, line: root.line,
                             problem: "the file must be a mapping with 'name' and 'roles' keys, not \(root.kindDescription)")
        }
        for entry in entries where !Self.topLevelKeys.contains(entry.key) {
            throw ThemeError(file: file, line: entry.keyLine,
                             problem: "unknown key \"\(entry.key)\"\(ThemeSuggestion.hint(for: entry.key, among: Self.topLevelKeys, otherwise: "the keys are"))")
        }
        return root
    }

    /// `{ fg: #ff0000 }` comments out the closing brace, and libyaml then complains lines later;
    /// the real mistake is the unquoted colour, so find it.
    static func unquotedHexColour(in text: String, upTo lastLine: Int) -> (Int, String)? {
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where index < lastLine {
            guard let range = line.firstRange(of: ": #") else { continue }
            let digits = line[range.upperBound...].prefix { $0.isHexDigit }
            if digits.count == 6 { return (index + 1, "#" + digits) }
        }
        return nil
    }

    func text(_ key: String, in root: YAMLNode) throws -> String? {
        guard let node = root[key], !node.isNull else { return nil }
        guard let value = node.string else {
            throw ThemeError(file: file, line: node.line, problem: "'\(key)' must be a single value, not \(node.kindDescription)")
        }
        return value
    }

    /// The styles the file sets, on top of `base`.
    func styles(in root: YAMLNode, base: [ThemeRole: Style]) throws -> [ThemeRole: Style] {
        var styles = base
        guard let rolesNode = root["roles"], !rolesNode.isNull else { return styles }
        guard let entries = rolesNode.entries else {
            throw ThemeError(file: file, line: rolesNode.line,
                             problem: "'roles' must be a mapping from role names to styles, not \(rolesNode.kindDescription)")
        }
        for entry in entries {
            let normalised = String(entry.key.lowercased().map { $0 == "-" ? "_" : $0 })
            guard let role = ThemeRole(rawValue: normalised) else {
                let hint = ThemeSuggestion.hint(for: normalised, among: ThemeRole.allCases.map(\.rawValue),
                                                otherwise: "the roles are")
                throw ThemeError(file: file, line: entry.keyLine, problem: "unknown role \"\(entry.key)\"\(hint)")
            }
            styles[role] = try style(entry.value, role: role)
        }
        return styles
    }

    private func style(_ node: YAMLNode, role: ThemeRole) throws -> Style {
        if node.isNull { return Style() }
        guard let entries = node.entries else {
            throw ThemeError(file: file, line: node.line,
                             problem: "role \(role.rawValue) must be a mapping such as { fg: black, bg: cyan, bold: true }, not \(node.kindDescription)")
        }
        var style = Style()
        for entry in entries {
            let value = entry.value
            switch entry.key {
            case "fg": style.foreground = try color(value, key: "fg", role: role)
            case "bg": style.background = try color(value, key: "bg", role: role)
            case "bold": style.bold = try flag(value, key: "bold", role: role)
            case "underline": style.underline = try flag(value, key: "underline", role: role)
            case "reverse": style.reverse = try flag(value, key: "reverse", role: role)
            case "dim": style.dim = try flag(value, key: "dim", role: role)
            default:
                throw ThemeError(file: file, line: entry.keyLine,
                                 problem: "unknown key \"\(entry.key)\" in role \(role.rawValue)\(ThemeSuggestion.hint(for: entry.key, among: Self.styleKeys, otherwise: "use"))")
            }
        }
        return style
    }

    private func flag(_ node: YAMLNode, key: String, role: ThemeRole) throws -> Bool {
        if let value = node.bool { return value }
        let found = node.string.map { "\"\($0)\"" } ?? node.kindDescription
        throw ThemeError(file: file, line: node.line,
                         problem: "\(key) in role \(role.rawValue) must be true or false, not \(found)")
    }

    private func color(_ node: YAMLNode, key: String, role: ThemeRole) throws -> Color {
        if node.isNull {
            throw ThemeError(file: file, line: node.line,
                             problem: "\(key) in role \(role.rawValue) has no value (write a colour; quote \"#rrggbb\" because a bare # starts a comment)")
        }
        guard let text = node.string else {
            throw ThemeError(file: file, line: node.line,
                             problem: "\(key) in role \(role.rawValue) must be a colour, not \(node.kindDescription)")
        }
        if let color = ThemeColorName.parse(text) { return color }
        if let number = node.int ?? Int(text), !text.hasPrefix("#") {
            throw ThemeError(file: file, line: node.line,
                             problem: "colour \(number) for role \(role.rawValue) is out of range (indexed colours are 0-255)")
        }
        let hint = ThemeSuggestion.closest(to: ThemeColorName.normalise(text), among: ThemeColorName.names).map { "did you mean \($0)? " } ?? ""
        throw ThemeError(file: file, line: node.line,
                         problem: "unknown colour \"\(text)\" for role \(role.rawValue) (\(hint)use a colour name, 0-255 or #rrggbb)")
    }
}

/// Colour spellings accepted in theme files.
enum ThemeColorName {
    static let named: [(String, Color)] = [
        ("default", .default),
        ("black", .black), ("red", .red), ("green", .green), ("yellow", .yellow), ("blue", .blue),
        ("magenta", .magenta), ("cyan", .cyan), ("white", .white),
        ("bright_black", .brightBlack), ("bright_red", .brightRed), ("bright_green", .brightGreen),
        ("bright_yellow", .brightYellow), ("bright_blue", .brightBlue), ("bright_magenta", .brightMagenta),
        ("bright_cyan", .brightCyan), ("bright_white", .brightWhite),
        ("gray", .brightBlack), ("grey", .brightBlack),
    ]
    static let names = named.map(\.0)

    /// bright_red, bright-red, BrightRed and "bright red" are all the same colour.
    static func normalise(_ text: String) -> String {
        let squeezed = text.lowercased().filter { $0 != "_" && $0 != "-" && $0 != " " && $0 != "\t" }
        return squeezed.hasPrefix("bright") ? "bright_" + squeezed.dropFirst(6) : squeezed
    }

    static func parse(_ text: String) -> Color? {
        let key = normalise(text)
        if let match = named.first(where: { $0.0 == key }) { return match.1 }
        if let index = Int(key), (0...255).contains(index) { return .indexed(UInt8(index)) }
        if key.hasPrefix("#"), key.count == 7, let value = UInt32(key.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        }
        return nil
    }
}

/// "did you mean" for near-miss names (edit distance at most 2).
enum ThemeSuggestion {
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { ($0, distance(word, $0)) }.filter { $0.1 <= 2 }
        return scored.min { $0.1 < $1.1 }?.0
    }

    /// " (did you mean X?)" for a near miss, otherwise " (<lead> a, b, c)" listing every candidate.
    static func hint(for word: String, among candidates: [String], otherwise lead: String) -> String {
        if let near = closest(to: word.lowercased(), among: candidates) { return " (did you mean \(near)?)" }
        return " (\(lead) \(candidates.joined(separator: ", ")))"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

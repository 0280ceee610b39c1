/// Reads theme files (format: see `ThemeFileFormat` and the header of themes/default.yaml).
public enum ThemeLoader {
    /// Parses one theme file's text. `name` is used when the file has no `name:`; `file` is how
    /// errors refer to the file. `extends` may only name "default" here: other parents need
    /// `load`, which knows where to look.
    public static func parse(_ text: String, name: String, file: String) throws -> Theme {
        try parse(text, name: name, file: file) { parent, line in
            guard parent == "default" else {
                throw ThemeError(file: file, line: line,
                                 problem: "extends: \(parent) can only be resolved when the theme is loaded from a theme directory")
            }
            return Theme.builtIn
        }
    }

    /// Loads a theme by name (NAME.yaml or NAME.yml in the first directory that has it) or by path
    /// (anything containing "/" or ending in .yaml/.yml). "default" without a file is the built-in
    /// theme, so stacktop works with no theme directory at all.
    public static func load(nameOrPath: String, searchDirectories: [String]) throws -> Theme {
        var chain: [String] = []
        return try load(nameOrPath, searchDirectories: searchDirectories, chain: &chain)
    }

    /// Theme names found in `directories` (always including "default"), sorted, without duplicates.
    public static func availableThemes(in directories: [String]) -> [String] {
        var names: Set<String> = ["default"]
        for directory in directories {
            for entry in ThemeFiles.list(directory) where !entry.hasPrefix(".") {
                for suffix in [".yaml", ".yml"] where entry.hasSuffix(suffix) && entry.count > suffix.count {
                    names.insert(String(entry.dropLast(suffix.count)))
                }
            }
        }
        return names.sorted()
    }

    static func isPath(_ value: String) -> Bool {
        value.contains("/") || value.hasSuffix(".yaml") || value.hasSuffix(".yml")
    }

    private static func load(_ nameOrPath: String, searchDirectories: [String], chain: inout [String]) throws -> Theme {
        let (file, fallbackName) = try locate(nameOrPath, searchDirectories: searchDirectories)
        guard let file else { return Theme.builtIn }
        if chain.contains(file) {
            throw ThemeError(file: file, line: nil,
                             problem: "the themes extend each other in a loop (\((chain + [file]).joined(separator: " -> "))); remove one extends")
        }
        chain.append(file)
        defer { chain.removeLast() }
        let text = try ThemeFiles.read(file)
        return try parse(text, name: fallbackName, file: file) { parent, line in
            do {
                return try load(parent, searchDirectories: searchDirectories, chain: &chain)
            } catch let error as ThemeError where error.file == nil {
                // "no theme named X" by itself would not say who asked for X.
                throw ThemeError(file: file, line: line, problem: "extends: \(error.problem)")
            }
        }
    }

    /// The file to read and the theme's name, or a nil file for the built-in default.
    private static func locate(_ nameOrPath: String, searchDirectories: [String]) throws -> (String?, String) {
        let value = nameOrPath.trimmingCharacters(in: " \t")
        if value.isEmpty {
            throw ThemeError(file: nil, line: nil, problem: "no theme name was given (use a name such as default, light or mono, or a path to a .yaml file)")
        }
        if isPath(value) {
            let base = value.split(separator: "/").last.map(String.init) ?? value
            let name = base.hasSuffix(".yaml") ? String(base.dropLast(5)) : base.hasSuffix(".yml") ? String(base.dropLast(4)) : base
            return (value, name)
        }
        for directory in searchDirectories {
            for suffix in [".yaml", ".yml"] {
                let candidate = (directory.hasSuffix("/") ? directory : directory + "/") + value + suffix
                if ThemeFiles.isFile(candidate) { return (candidate, value) }
            }
        }
        if value == "default" { return (nil, value) }
        let places = searchDirectories.isEmpty ? "no theme directory" : searchDirectories.joined(separator: ", ")
        throw ThemeError(file: nil, line: nil,
                         problem: "no theme named \"\(value)\" was found in \(places) (available: \(availableThemes(in: searchDirectories).joined(separator: ", ")))")
    }

    private static func parse(_ text: String, name: String, file: String,
                              parent: (String, Int) throws -> Theme) throws -> Theme {
        let format = ThemeFileFormat(file: file)
        let root = try format.root(of: text)
        var base = Theme.builtIn.styles
        if let parentName = try format.text("extends", in: root) {
            base = try parent(parentName, root["extends"]?.line ?? 1).styles
        }
        let themeName = try format.text("name", in: root) ?? name
        _ = try format.text("description", in: root)
        return Theme(name: themeName, styles: try format.styles(in: root, base: base))
    }
}

private extension String {
    func trimmingCharacters(in set: String) -> String {
        String(drop { set.contains($0) }.reversed().drop { set.contains($0) }.reversed())
    }
}

import FoundationEssentials
import StacktopServices
import TextSafety
import YAMLKit

/// stacktop's own configuration, `$XDG_CONFIG_HOME/stacktop/config.yaml` (else `~/.config/stacktop/config.yaml`):
///
/// ```yaml
/// hosts:                                   # libvirt hosts, each a context
///   lab-a: qemu+ssh://root@lab-a/system    # name: URI
///   lab-b:                                 # or a mapping
///     uri: qemu+ssh://root@lab-b/system
///     readonly: true                       # every change refused, as with --readonly
/// clouds:                                  # optional: settings for clouds.yaml's clouds
///   prod: {readonly: true}
/// ```
///
/// A missing file means no hosts. Anything else it cannot use is refused with the file and line, never
/// skipped: a `readnly: true` typo must not leave a production host writable.
public struct StacktopConfig: Sendable, Equatable {
    public var hosts: [StacktopContext] = []
    /// Cloud names marked read-only under `clouds:`, with their lines.
    public var readOnlyClouds: [String: Int] = [:]
    /// The file read (nil when there was none).
    public var file: String?

    public init(hosts: [StacktopContext] = [], readOnlyClouds: [String: Int] = [:], file: String? = nil) {
        self.hosts = hosts; self.readOnlyClouds = readOnlyClouds; self.file = file
    }

    /// Where the file is: XDG_CONFIG_HOME when absolute (the XDG spec ignores relative ones), else ~/.config.
    public static func path(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return join(xdg, "stacktop/config.yaml") }
        if let home = environment["HOME"], !home.isEmpty { return join(home, ".config/stacktop/config.yaml") }
        return nil
    }

    /// Reads the file at `path`; no file there is an empty configuration.
    public static func load(path: String?) throws -> StacktopConfig {
        guard let path else { return StacktopConfig() }
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return StacktopConfig() }
        guard !isDirectory else {
            throw StacktopConfigError(file: path, line: nil, problem: "is a directory, not a file",
                                      advice: "move it aside or put a config.yaml file there")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw StacktopConfigError(file: path, line: nil, problem: "cannot be read",
                                      advice: "check its permissions")
        }
        guard data.count <= 1 << 20 else {
            throw StacktopConfigError(file: path, line: nil, problem: "is larger than 1 MB, which no stacktop configuration is",
                                      advice: "check that it is the right file")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    public static func parse(_ text: String, file: String) throws -> StacktopConfig {
        var config = StacktopConfig(file: file)
        let root: YAMLNode?
        do {
            root = try YAML.parse(text)
        } catch let error as YAMLError {
            throw StacktopConfigError(file: file, line: error.line > 0 ? error.line : nil,
                                      problem: "is not valid YAML: \(error.problem)", advice: "fix the file")
        }
        guard let root, !root.isNull else { return config }
        guard let entries = root.entries else {
            throw StacktopConfigError(file: file, line: root.line, problem: "holds \(root.kindDescription) at the top, not a mapping",
                                      advice: "start it with hosts: and one name: URI line per host under it")
        }
        for entry in entries {
            switch entry.key {
            case "hosts": config.hosts = try hosts(entry.value, file: file)
            case "clouds": config.readOnlyClouds = try clouds(entry.value, file: file)
            default:
                throw StacktopConfigError(file: file, line: entry.keyLine,
                                          problem: "has a key \(quoted(entry.key)) stacktop does not know",
                                          advice: "use hosts: and clouds: (see README, Contexts)")
            }
        }
        return config
    }

    private static func hosts(_ node: YAMLNode, file: String) throws -> [StacktopContext] {
        if node.isNull { return [] }
        guard let entries = node.entries else {
            throw StacktopConfigError(file: file, line: node.line, problem: "has hosts: holding \(node.kindDescription), not a mapping",
                                      advice: "write one name: URI line per host, indented under hosts:")
        }
        return try entries.map { entry in
            try checkName(entry.key, line: entry.keyLine, file: file, what: "host")
            let name = entry.key
            var uri: String?
            var readOnly = false
            var uriLine = entry.value.line
            if let settings = entry.value.entries {
                for setting in settings {
                    switch setting.key {
                    case "uri":
                        uri = setting.value.string
                        uriLine = setting.value.line
                    case "readonly", "read-only", "read_only":
                        guard let flag = setting.value.bool else {
                            throw StacktopConfigError(
                                file: file, line: setting.keyLine,
                                problem: "gives host \(quoted(name)) a readonly of \(describe(setting.value)), not true or false",
                                advice: "write readonly: true or readonly: false")
                        }
                        readOnly = flag
                    default:
                        throw StacktopConfigError(file: file, line: setting.keyLine,
                                                  problem: "gives host \(quoted(name)) a setting \(quoted(setting.key)) stacktop does not know",
                                                  advice: "a host takes uri: and readonly:")
                    }
                }
            } else {
                uri = entry.value.string
            }
            guard let uri, !uri.isEmpty else {
                throw StacktopConfigError(file: file, line: entry.keyLine, problem: "gives host \(quoted(name)) no libvirt URI",
                                          advice: "write \(name): qemu+ssh://root@HOST/system or uri: under it")
            }
            guard isURI(uri) else {
                throw StacktopConfigError(file: file, line: uriLine,
                                          problem: "gives host \(quoted(name)) \(quoted(uri)), which is not a libvirt URI",
                                          advice: "write one such as qemu:///system or qemu+ssh://root@HOST/system")
            }
            return StacktopContext(name: name, kind: .libvirt, endpoint: uri, readOnly: readOnly, file: file,
                                   line: entry.keyLine)
        }
    }

    private static func clouds(_ node: YAMLNode, file: String) throws -> [String: Int] {
        if node.isNull { return [:] }
        guard let entries = node.entries else {
            throw StacktopConfigError(file: file, line: node.line, problem: "has clouds: holding \(node.kindDescription), not a mapping",
                                      advice: "write a clouds.yaml cloud's name with {readonly: true} under clouds:")
        }
        var readOnly: [String: Int] = [:]
        for entry in entries {
            try checkName(entry.key, line: entry.keyLine, file: file, what: "cloud")
            for setting in entry.value.entries ?? [] {
                guard ["readonly", "read-only", "read_only"].contains(setting.key) else {
                    throw StacktopConfigError(file: file, line: setting.keyLine,
                                              problem: "gives cloud \(quoted(entry.key)) a setting \(quoted(setting.key)) stacktop does not know",
                                              advice: "a cloud here takes readonly: only (the rest lives in clouds.yaml)")
                }
                guard let flag = setting.value.bool else {
                    throw StacktopConfigError(file: file, line: setting.keyLine,
                                              problem: "gives cloud \(quoted(entry.key)) a readonly of \(describe(setting.value)), not true or false",
                                              advice: "write readonly: true or readonly: false")
                }
                if flag { readOnly[entry.key] = entry.keyLine }
            }
            if entry.value.entries == nil, !entry.value.isNull {
                throw StacktopConfigError(file: file, line: entry.value.line,
                                          problem: "gives cloud \(quoted(entry.key)) \(entry.value.kindDescription), not a mapping",
                                          advice: "write \(entry.key): {readonly: true}")
            }
        }
        return readOnly
    }

    /// A name is typed after `:ctx`: printable, without spaces, and not so long it cannot be shown.
    private static func checkName(_ name: String, line: Int, file: String, what: String) throws {
        let bad = name.isEmpty || name.count > 64 || name.unicodeScalars.contains { scalar in
            scalar.properties.generalCategory == .control || scalar.properties.isWhitespace
                || scalar.properties.generalCategory == .format
        }
        if bad {
            throw StacktopConfigError(file: file, line: line,
                                      problem: "names a \(what) \(quoted(name)), which is empty, too long or holds spaces or control characters",
                                      advice: "use a short name such as lab-a, made of letters, digits, - and _")
        }
    }

    /// A libvirt URI starts with a scheme and a colon (`qemu:`, `qemu+ssh:`, `test:`) and holds no control character.
    static func isURI(_ text: String) -> Bool {
        guard let colon = text.firstIndex(of: ":"), colon != text.startIndex else { return false }
        let scheme = text[..<colon]
        guard scheme.first!.isASCII, scheme.first!.isLetter,
              scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }) else { return false }
        return !text.unicodeScalars.contains { $0.properties.generalCategory == .control || $0 == " " }
    }

    private static func describe(_ node: YAMLNode) -> String {
        node.string.map(quoted) ?? node.kindDescription
    }

    private static func quoted(_ text: String) -> String { "\"" + TerminalText.sanitize(text) + "\"" }

    private static func join(_ directory: String, _ rest: String) -> String {
        directory.hasSuffix("/") ? directory + rest : directory + "/" + rest
    }
}

/// A config.yaml stacktop cannot use: the file, the line, what is wrong and what to do, as one sentence that
/// starts with the file's path ("/home/op/.config/stacktop/config.yaml, line 4, gives host …").
public struct StacktopConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var message: String

    public init(file: String, line: Int?, problem: String, advice: String) {
        self.file = file
        self.line = line
        let place = TerminalText.sanitize(file) + (line.map { ", line \($0)," } ?? "")
        message = "\(place) \(TerminalText.sanitize(problem)); \(advice)."
    }

    public var description: String { message }
}

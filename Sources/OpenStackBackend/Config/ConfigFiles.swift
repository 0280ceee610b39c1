#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YAMLKit

/// A configuration file that was found and parsed.
struct LoadedConfigFile: Sendable {
    var path: String
    /// nil for an empty file: openstacksdk then sees no clouds, and does not look further.
    var tree: ConfigTree?
}

/// Where openstacksdk looks for clouds.yaml and secure.yaml, and reading the first one found.
enum ConfigFiles {
    /// Files this big are not cloud configuration; refusing them keeps a wrong path from eating memory.
    static let sizeLimit = 4 << 20

    /// The search directories in openstacksdk's order: the current directory, the user's config
    /// directory (platformdirs honours XDG_CONFIG_HOME, then ~/.config/openstack), the site
    /// directory. Within each directory: .yaml, .yml, .json.
    static func candidates(base: String, override: String?, environment: [String: String],
                           home: String, current: String, system: String) -> [String] {
        var directories = [current]
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            directories.append(join(xdg, "openstack"))
        }
        directories.append(join(join(home, ".config"), "openstack"))
        directories.append(system)
        var seen = Set<String>()
        var files: [String] = []
        if let override, !override.isEmpty {
            files.append(override.hasPrefix("/") ? override : join(current, override))
        }
        for directory in directories where seen.insert(directory).inserted {
            for suffix in [".yaml", ".yml", ".json"] { files.append(join(directory, base + suffix)) }
        }
        return files
    }

    /// The first candidate that exists and can be read; unreadable files are skipped, as
    /// openstacksdk does on EACCES. Unlike openstacksdk, which logs a warning and skips a file that
    /// is not valid YAML, this stops with the file and line: a silently ignored clouds.yaml is
    /// harder to debug than a clear error. JSON is read by the YAML parser (JSON is YAML flow syntax).
    static func loadFirst(of candidates: [String]) throws -> LoadedConfigFile? {
        for path in candidates where isFile(path) {
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: path)) else { continue }
            guard data.count <= sizeLimit else {
                throw CloudConfigError(
                    kind: .malformedFile,
                    message: "\(path) is larger than 4 MB, which no cloud configuration file is; check that "
                        + "OS_CLIENT_CONFIG_FILE or the file at that path is the right one.",
                    file: path)
            }
            let text = String(decoding: data, as: UTF8.self)
            let node: YAMLNode?
            do {
                node = try YAML.parse(text)
            } catch let error as YAMLError {
                throw CloudConfigError(
                    kind: .malformedFile,
                    message: "\(path) is not valid YAML"
                        + (error.line > 0 ? " at line \(error.line), column \(error.column)" : "")
                        + ": \(error.problem); fix the file or move it aside.",
                    file: path, line: error.line > 0 ? error.line : nil)
            }
            return LoadedConfigFile(path: path, tree: node.map { ConfigTree($0, file: path) })
        }
        return nil
    }

    static func isFile(_ path: String) -> Bool {
        #if canImport(FoundationEssentials)
        var isDirectory = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory
        #else
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
        #endif
    }

    static func join(_ directory: String, _ name: String) -> String {
        directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// `~` is expanded (openstacksdk expands it for cacert); a relative path is taken from `current`.
    static func absolute(_ path: String, home: String, current: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return join(home, String(path.dropFirst(2))) }
        return path.hasPrefix("/") ? path : join(current, path)
    }
}

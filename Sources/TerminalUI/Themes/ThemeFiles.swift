#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The little file-system access theme loading needs. FoundationEssentials rather than Foundation:
/// it has no ICU, so it costs far less at start-up.
enum ThemeFiles {
    /// Theme files are a few kilobytes; anything this big is the wrong file.
    static let sizeLimit = 1 << 20

    static func isFile(_ path: String) -> Bool {
        kind(path) == .file
    }

    private enum Kind { case missing, file, directory }

    private static func kind(_ path: String) -> Kind {
        #if canImport(FoundationEssentials)
        var isDirectory = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory ? .directory : .file
        #else
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return .missing }
        return isDirectory.boolValue ? .directory : .file
        #endif
    }

    static func list(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    static func read(_ path: String) throws -> String {
        switch kind(path) {
        case .missing:
            throw ThemeError(file: path, line: nil, problem: "the file does not exist (check the path, or give a theme name such as light)")
        case .directory:
            throw ThemeError(file: path, line: nil, problem: "this is a directory, not a theme file (give the path of a .yaml file)")
        case .file:
            break
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw ThemeError(file: path, line: nil, problem: "the file cannot be read (check its permissions)")
        }
        if data.count > sizeLimit {
            throw ThemeError(file: path, line: nil, problem: "the file is larger than 1 MB, which no theme file is (check the path)")
        }
        return try decode(Array(data), file: path)
    }

    /// UTF-8 text, or an error naming the first line that is not.
    static func decode(_ bytes: [UInt8], file: String) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        var line = 1
        for chunk in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if String(validating: chunk, as: UTF8.self) == nil { break }
            line += 1
        }
        throw ThemeError(file: file, line: line, problem: "the file is not valid UTF-8 text (save it as UTF-8)")
    }
}

import FoundationEssentials
import Glibc
import LocalBackend
import StacktopStore

/// Where theme files are looked for, first match wins: $STACKTOP_THEMES, the user's config, then the
/// themes/ folder of the checkout the binary was built in (found by walking up from the executable).
enum ThemePaths {
    static func directories(environment: [String: String]) -> [String] {
        var directories: [String] = []
        if let custom = environment["STACKTOP_THEMES"] { directories.append(custom) }
        if let config = environment["XDG_CONFIG_HOME"] ?? environment["HOME"].map({ $0 + "/.config" }) {
            directories.append(config + "/stacktop/themes")
        }
        if let shipped = shippedThemes() { directories.append(shipped) }
        return directories
    }

    /// Every theme name the directories hold (file names without .yaml), the built-in ones first.
    static func names(in directories: [String]) -> [String] {
        var names = ["default", "light", "high-contrast", "mono"]
        for directory in directories {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where file.hasSuffix(".yaml") {
                let name = String(file.dropLast(5))
                if !names.contains(name) { names.append(name) }
            }
        }
        return names
    }

    static func shippedThemes() -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return nil }
        var directory = String(cString: buffer)
        for _ in 0..<6 {
            directory = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
            if directory.isEmpty { break }
            if access(directory + "/themes/default.yaml", R_OK) == 0 { return directory + "/themes" }
        }
        return nil
    }
}

/// Where a crash's backtrace goes (every mode), and stderr while curses owns the terminal.
enum CrashLog {
    static func path(environment: [String: String]) -> String {
        let state = StateStore.defaultPath(environment: environment)
        let directory = String(state[..<(state.lastIndex(of: "/") ?? state.endIndex)])
        // Made now so a crash can open the log. Private, like everything in it (inventory, audit log,
        // tokens): 0700 when made, and an older one of ours that others could read is tightened.
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        var status = stat()
        if stat(directory, &status) == 0, status.st_uid == getuid(), status.st_mode & 0o077 != 0 {
            chmod(directory, 0o700)
        }
        return directory + "/crash.log"
    }
}

import FoundationEssentials
import Glibc
import StacktopStore
import Dashboard

/// The `:` history between runs: `command-history` beside the state store (`--state`, else
/// `$XDG_STATE_HOME/stacktop/`), one command a line, newest last, at most `CommandHistory.capacity` lines,
/// private (0600) like everything in that directory. History is the user's own local state, not a change to
/// a host or cloud, so read-only modes keep it too. Best effort: a file that cannot be written costs the
/// history, never the dashboard.
struct CommandHistoryFile {
    let path: String

    init(path: String) { self.path = path }

    init(options: Options, environment: [String: String]) {
        let store = options.statePath ?? StateStore.defaultPath(environment: environment)
        let directory = store.lastIndex(of: "/").map { String(store[..<$0]) } ?? "."
        path = (directory.isEmpty ? "/" : directory) + "/command-history"
    }

    /// The kept commands, oldest first; lines that are not commands (control characters, too long) are skipped.
    func load() -> [String] {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4 << 20 else { return [] }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return CommandHistory(lines.map(String.init)).entries
    }

    /// Adds `line` and keeps the newest `capacity` lines: written to a new file and renamed over the old one,
    /// so a crash leaves the old history or the new one, and a link planted at the path is replaced, not followed.
    func append(_ line: String) {
        guard CommandHistory.isKeepable(line) else { return }
        var entries = load()
        entries.append(line)
        let text = entries.suffix(CommandHistory.capacity).joined(separator: "\n") + "\n"
        let directory = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? "."
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        var template = Array((path + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let temporary = String(cString: template)
        fchmod(fd, 0o600)
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == bytes.count, rename(temporary, path) == 0 { return }
        unlink(temporary)
    }
}

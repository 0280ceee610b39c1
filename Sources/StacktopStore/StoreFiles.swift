#if canImport(Glibc)
import Glibc
#endif
import StacktopServices

/// The store's files are private whatever the umask: the inventory, the audit log and the snapshot
/// cache are nobody else's business. New folders are 0700; the database and its `-wal`/`-shm`
/// companions 0600 (SQLite gives the companions the database file's mode, so the file is made 0600
/// before SQLite opens it, and an existing store of ours is tightened).
enum StoreFiles {
    /// Creates `directory` and missing parents with mode 0700.
    static func makeDirectory(_ directory: String, forStore path: String) throws {
        var partial = ""
        for component in directory.split(separator: "/", omittingEmptySubsequences: true) {
            partial += (directory.hasPrefix("/") || !partial.isEmpty ? "/" : "") + component
            if mkdir(partial, 0o700) != 0 && errno != EEXIST {
                throw BackendError.store(path: path, reason: "its folder \(directory) could not be created ("
                                         + String(cString: strerror(errno)) + ")")
            }
        }
    }

    /// True when `path` exists (a symlink counts as existing; SQLite follows it as any program would).
    static func exists(_ path: String) -> Bool {
        var status = stat()
        return lstat(path, &status) == 0
    }

    /// Makes a new, empty store file with mode 0600 (an empty file is an empty SQLite database).
    /// Returns false when the file already existed.
    static func createPrivateFile(_ path: String) throws -> Bool {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        if descriptor < 0 {
            if errno == EEXIST { return false }
            throw BackendError.store(path: path, reason: "it could not be created (" + String(cString: strerror(errno)) + ")")
        }
        close(descriptor)
        return true
    }

    /// Tightens the store and its companions to 0600 when this user owns them and others could read them.
    static func tighten(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard lstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                  status.st_uid == getuid(), status.st_mode & 0o077 != 0 else { continue }
            chmod(file, 0o600)
        }
    }
}

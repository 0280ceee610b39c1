import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Tokens kept between runs, so `stacktop server list` skips Keystone while its last token lives
/// (an hour by default), the way a browser keeps Horizon's session. One file per cloud identity,
/// 0600 in a 0700 directory, holding the token and Keystone's answer (its catalog and expiry);
/// never a password or secret. A token that fails is replaced at once (401 → new token → file).
public struct TokenCache: Sendable {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// `$XDG_STATE_HOME/stacktop/tokens`, else `~/.local/state/stacktop/tokens`.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/stacktop/tokens" }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.local/state/stacktop/tokens"
    }

    /// Who, where and for which project: a different user or scope never reads another's token.
    /// Tokens given by the user (`OS_TOKEN`) are theirs to manage and are not cached.
    func path(for credentials: KeystoneCredentials) -> String? {
        if case .token = credentials.method { return nil }
        let identity = [credentials.identityV3URL.absoluteString, credentials.principal,
                        credentials.isApplicationCredential ? "" : credentials.project.map { "\($0)" } ?? ""]
            .joined(separator: "\n")
        // FNV-1a: only a file name, not a secret (the identity holds no password).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return directory + "/" + String(hash, radix: 16) + ".token"
    }

    /// The cached token and Keystone's answer, if a readable, private file is there.
    func load(for credentials: KeystoneCredentials) -> (subject: String, body: Data)? {
        guard let path = path(for: credentials), Self.isPrivateDirectory(directory) else { return nil }
        var info = stat()
        // Not followed through a link, and a file others can read is not trusted (nor used): it may not be ours.
        guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_mode & 0o077 == 0,
              info.st_uid == getuid(),
              let data = FileManager.default.contents(atPath: path),
              let newline = data.firstIndex(of: 0x0A) else { return nil }
        guard let subject = String(data: data[data.startIndex..<newline], encoding: .utf8), !subject.isEmpty else { return nil }
        return (subject, Data(data[(newline + 1)...]))
    }

    /// Writes atomically, 0600 from the start, through a new file with an unpredictable name made with
    /// O_EXCL (mkstemp: never through a planted file or link), in a directory that must be ours and
    /// private. A cache that cannot be written safely is not written: the next command is only slower.
    func save(subject: String, body: Data, for credentials: KeystoneCredentials) {
        guard let path = path(for: credentials), !subject.contains("\n") else { return }
        guard mkdirAll(directory), Self.isPrivateDirectory(directory) else { return }
        var template = Array((path + ".XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        fchmod(fd, 0o600)
        var contents = Data(subject.utf8)
        contents.append(0x0A)
        contents.append(body)
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == contents.count { rename(temporary, path) } else { unlink(temporary) }
    }

    /// Why tokens cannot be kept here, as a sentence; nil when the directory is fine or not made yet
    /// (it is made private when the first token is saved).
    public var problem: String? {
        var info = stat()
        guard lstat(directory, &info) == 0 else { return nil }
        guard !Self.isPrivateDirectory(directory) else { return nil }
        return "The token cache \(directory) is not a private directory of yours (it must be a real directory, owned by "
            + "you, mode 0700), so no token is kept and every command logs in again; fix it with chmod 700 or remove it."
    }

    /// The tokens directory must be a real directory (not a link), owned by this user, closed to others.
    static func isPrivateDirectory(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR && info.st_uid == getuid()
            && info.st_mode & 0o077 == 0
    }

    func remove(for credentials: KeystoneCredentials) {
        if let path = path(for: credentials) { unlink(path) }
    }

    private func mkdirAll(_ path: String) -> Bool {
        var info = stat()
        if lstat(path, &info) == 0 { return (info.st_mode & S_IFMT) == S_IFDIR }
        return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil
    }
}

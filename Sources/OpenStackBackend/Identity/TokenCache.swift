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
        guard let path = path(for: credentials) else { return nil }
        var info = stat()
        // A file others can read is not trusted (nor used): it may not be ours.
        guard stat(path, &info) == 0, info.st_mode & 0o077 == 0, info.st_uid == getuid(),
              let data = FileManager.default.contents(atPath: path),
              let newline = data.firstIndex(of: 0x0A) else { return nil }
        guard let subject = String(data: data[data.startIndex..<newline], encoding: .utf8), !subject.isEmpty else { return nil }
        return (subject, Data(data[(newline + 1)...]))
    }

    /// Writes atomically with 0600 from the start; a cache that cannot be written is only slower.
    func save(subject: String, body: Data, for credentials: KeystoneCredentials) {
        guard let path = path(for: credentials), !subject.contains("\n") else { return }
        guard mkdirAll(directory) else { return }
        let temporary = path + ".\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { return }
        var contents = Data(subject.utf8)
        contents.append(0x0A)
        contents.append(body)
        let written = contents.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        if written == contents.count { rename(temporary, path) } else { unlink(temporary) }
    }

    func remove(for credentials: KeystoneCredentials) {
        if let path = path(for: credentials) { unlink(path) }
    }

    private func mkdirAll(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) { return isDirectory.boolValue }
        return (try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                         attributes: [.posixPermissions: 0o700])) != nil
    }
}

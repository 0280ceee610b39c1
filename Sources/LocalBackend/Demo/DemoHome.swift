import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StacktopServices
import StacktopStore

/// Where the demo cloud lives between runs, beside the state store: `<state dir>/demo/host.xml` (the test
/// driver's node file) and `<state dir>/demo/state.sqlite3` (the demo's own store). The first open writes
/// the compiled-in host and seeds the store; later opens load what is there; `reset()` starts afresh.
/// Nothing here is temporary, so nothing is left behind by a crash or a closed pipe.
public struct DemoHome: Sendable {
    public let directory: String
    public var nodePath: String { directory + "/host.xml" }
    public var storePath: String { directory + "/state.sqlite3" }
    public var uri: String { "test://" + nodePath }

    /// The demo directory beside the state store at `stateStorePath` (`--state`, or the default).
    public init(stateStorePath: String) {
        let parent = stateStorePath.contains("/") ? String(stateStorePath[..<stateStorePath.lastIndex(of: "/")!]) : "."
        directory = (parent.isEmpty ? "" : parent) + "/demo"
    }

    public init(directory: String) { self.directory = directory }

    /// Both files are there (a half-made directory is never renamed into place, see `createIfMissing`).
    public var exists: Bool { access(nodePath, F_OK) == 0 && access(storePath, F_OK) == 0 }

    /// Deletes the demo's files; true when there were any.
    @discardableResult
    public func reset() throws -> Bool {
        guard FileManager.default.fileExists(atPath: directory) else { return false }
        do {
            try FileManager.default.removeItem(atPath: directory)
        } catch {
            throw BackendError.failed(what: "Resetting the demo cloud in \(directory)", reason: "\(error)")
        }
        return true
    }

    /// Writes the compiled-in host and a freshly seeded store unless they exist. Both are made in a
    /// private sibling directory that is renamed into place at the end, so another stacktop starting at
    /// the same moment sees either no demo or a whole one (the first rename wins; the loser's copy goes).
    public func createIfMissing(now: Date = Date()) throws {
        if exists { return }
        let parent = String(directory[..<(directory.lastIndex(of: "/") ?? directory.startIndex)])
        do {
            try FileManager.default.createDirectory(atPath: parent.isEmpty ? "/" : parent, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackendError.failed(what: "Creating the state directory \(parent)", reason: "\(error)")
        }
        var template = Array((directory + ".new-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BackendError.failed(what: "Creating the demo cloud in \(parent)", reason: String(cString: strerror(errno)))
        }
        let staging = DemoHome(directory: String(cString: made))
        defer { try? FileManager.default.removeItem(atPath: staging.directory) }
        try Self.writeAtomically(DemoNodeXML.xml, to: staging.nodePath)
        do {
            // Scoped so the connection and the store are closed before the directory moves.
            let connection = try LibvirtConnection(uri: staging.uri, readOnly: false)
            let store = try StateStore(path: staging.storePath)
            try DemoSeed.apply(to: store, inventory: connection.inventory(), now: now)
        }
        _ = chmod(staging.storePath, 0o600)
        if rename(staging.directory, directory) != 0 {
            let code = errno
            // Another stacktop made it first: use theirs.
            if (code == EEXIST || code == ENOTEMPTY), exists { return }
            throw BackendError.failed(what: "Creating the demo cloud in \(directory)", reason: String(cString: strerror(code))
                                      + (code == EEXIST || code == ENOTEMPTY ? "; stacktop --demo --reset starts it afresh" : ""))
        }
    }

    /// Writes the test driver's host back (see `LibvirtConnection.testDriverNodeXML`).
    public func save(_ connection: LibvirtConnection) throws {
        try Self.writeAtomically(connection.testDriverNodeXML(), to: nodePath)
    }

    /// A temporary file in the same directory, 0600, renamed over `path`: a reader sees the old or the
    /// new file, never half of one.
    static func writeAtomically(_ text: String, to path: String) throws {
        let what = "Saving the demo cloud to \(path)"
        var template = Array((path + ".tmp-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw BackendError.failed(what: what, reason: String(cString: strerror(errno))) }
        let temporary = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        var failure: String?
        _ = fchmod(descriptor, 0o600)
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count, failure == nil {
            let result = bytes[written...].withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR { continue }
            if result <= 0 { failure = String(cString: strerror(errno)) } else { written += result }
        }
        if failure == nil, fsync(descriptor) != 0 { failure = String(cString: strerror(errno)) }
        close(descriptor)
        if failure == nil, rename(temporary, path) != 0 { failure = String(cString: strerror(errno)) }
        if let failure {
            unlink(temporary)
            throw BackendError.failed(what: what, reason: failure)
        }
    }
}

import Foundation
import Glibc
import StacktopServices

/// Key pairs through OpenSSH's own `ssh-keygen` (Debian's openssh-client): stacktop never does its own
/// key cryptography. Generated private keys are written once, 0600, where the user said, never elsewhere.
struct KeyTool: Sendable {
    var executable = "ssh-keygen"

    struct Generated: Sendable, Equatable {
        var publicKey: String
        var fingerprint: String
    }

    /// A public key file's one line, checked to look like an OpenSSH public key.
    func readPublicKey(at path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackendError.invalidOption(.publicKey,
                                             reason: "Could not read the public key file \(path); check the path and its permissions.")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = text.split(separator: " ")
        guard fields.count >= 2, fields[0].hasPrefix("ssh-") || fields[0].hasPrefix("ecdsa-"),
              !text.contains("\n"), !text.contains("PRIVATE KEY") else {
            throw BackendError.invalidOption(.publicKey,
                                             reason: "\(path) is not an OpenSSH public key (one line such as "
                                                + "\"ssh-ed25519 AAAA… user@host\"); import the .pub file, never the private key.")
        }
        return text
    }

    /// "SHA256:…" as `ssh-keygen -l` prints it.
    func fingerprint(of publicKey: String) throws -> String {
        let directory = try Self.temporaryDirectory()
        defer { Self.remove(directory) }
        let path = directory + "/key.pub"
        guard FileManager.default.createFile(atPath: path, contents: Data((publicKey + "\n").utf8)) else {
            throw BackendError.failed(what: "Reading the key's fingerprint", reason: "a temporary file could not be written")
        }
        let output = try run([executable, "-l", "-f", path], what: "Reading the key's fingerprint")
        guard let fingerprint = output.split(separator: " ").first(where: { $0.hasPrefix("SHA256:") }) else {
            throw BackendError.invalidOption(.publicKey, reason: "ssh-keygen did not accept the public key: \(output)")
        }
        return String(fingerprint)
    }

    /// A new ed25519 key; the private half goes to `privatePath` (which must not exist yet) with mode 0600.
    func generate(comment: String, savingPrivateKeyTo privatePath: String) throws -> Generated {
        guard !FileManager.default.fileExists(atPath: privatePath) else {
            throw BackendError.invalidOption(.privateKey,
                                             reason: "\(privatePath) already exists; stacktop never overwrites a key. "
                                                + "Choose another path.")
        }
        let directory = try Self.temporaryDirectory()
        defer { Self.remove(directory) }
        let keyPath = directory + "/key"
        _ = try run([executable, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", keyPath], what: "Generating the key pair")
        guard let privateKey = FileManager.default.contents(atPath: keyPath),
              let publicData = FileManager.default.contents(atPath: keyPath + ".pub") else {
            throw BackendError.failed(what: "Generating the key pair", reason: "ssh-keygen wrote no key")
        }
        // O_EXCL: if something appeared at the path meanwhile, fail rather than overwrite it.
        let fd = open(privatePath, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else {
            throw BackendError.invalidOption(.privateKey,
                                             reason: "Could not create \(privatePath): \(String(cString: strerror(errno))); "
                                       + "choose a path in a directory you can write.")
        }
        let written = privateKey.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        guard written == privateKey.count else {
            unlink(privatePath)
            throw BackendError.failed(what: "Saving the private key to \(privatePath)", reason: "the write was cut short")
        }
        let publicKey = String(decoding: publicData, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Generated(publicKey: publicKey, fingerprint: try fingerprint(of: publicKey))
    }

    // MARK: helpers

    private func run(_ argv: [String], what: String) throws -> String {
        let result = try ProcessRunner.run(argv)
        guard result.status == 0 else {
            if result.status == 127 {
                throw BackendError.failed(what: what, reason: "ssh-keygen was not found; install it with `apt-get install openssh-client`")
            }
            throw BackendError.failed(what: what, reason: result.output.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.output
    }

    private static func temporaryDirectory() throws -> String {
        var template = Array(((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/stacktop-key-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else {
            throw BackendError.failed(what: "Making a temporary directory", reason: String(cString: strerror(errno)))
        }
        return String(cString: made)
    }

    private static func remove(_ directory: String) {
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// Runs a program to completion (posix_spawn + waitpid), output through a temporary file.
enum ProcessRunner {
    struct Result: Sendable { var status: Int32; var output: String }

    static func run(_ argv: [String]) throws -> Result {
        var template = Array(((ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp") + "/stacktop-run-XXXXXX").utf8CString)
        let outputFD = mkstemp(&template)
        guard outputFD >= 0 else {
            throw BackendError.failed(what: "Running \(argv[0])", reason: String(cString: strerror(errno)))
        }
        let outputPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        defer { close(outputFD); unlink(outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)
        let arguments = argv.map { strdup($0) } + [nil]
        defer { arguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, nil, arguments, environ)
        if spawned == ENOENT { return Result(status: 127, output: "\(argv[0]): not found") }
        guard spawned == 0 else {
            throw BackendError.failed(what: "Running \(argv[0])", reason: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let output = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        let exitCode = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Result(status: exitCode, output: output)
    }
}

import XCTest
import Foundation

/// Drives the built `stacktop` binary in a private tmux server, the way a user meets it.
public final class TmuxHarness {
    public let socket: String
    public let session = "e2e"
    public let workDirectory: URL
    public static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The binary users run: the release build (`swift build -c release`), unless `STACKTOP_BIN` names
    /// another (a path, absolute or relative to the checkout). A release-only crash must fail here.
    public static var binary: URL { binary(environment: ProcessInfo.processInfo.environment) }

    public static func binary(environment: [String: String]) -> URL {
        guard let chosen = environment["STACKTOP_BIN"], !chosen.isEmpty else {
            return repositoryRoot.appendingPathComponent(".build/release/stacktop")
        }
        return chosen.hasPrefix("/") ? URL(fileURLWithPath: chosen) : repositoryRoot.appendingPathComponent(chosen)
    }

    /// Skips unless STACKTOP_E2E=1; fails clearly when the binary or tmux is missing.
    public static func require() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_E2E"] == "1" else {
            throw XCTSkip("End-to-end tests run with STACKTOP_E2E=1 (after `swift build -c release`), as .ci/run does.")
        }
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            XCTFail("\(binary.path) is missing: run `swift build -c release` (or set STACKTOP_BIN) before the end-to-end tests.")
            throw XCTSkip("no binary")
        }
    }

    public init(width: Int = 120, height: Int = 40, command: String) throws {
        socket = "stacktop-e2e-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        workDirectory = FileManager.default.temporaryDirectory.appendingPathComponent(socket)
        try FileManager.default.createDirectory(at: workDirectory, withIntermediateDirectories: true)
        // The pane records the terminal settings before and after stacktop, then waits to be read.
        let script = """
        cd \(workDirectory.path) && stty -a > before.txt; \(command); echo "EXIT=$?" > exit.txt; \
        stty -a > after.txt; sleep 300
        """
        try tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)",
                  "env LANG=C.UTF-8 TERM=xterm-256color XDG_STATE_HOME=\(workDirectory.path)/state sh -c '\(script)'"])
    }

    deinit {
        _ = try? tmux(["kill-server"])
        try? FileManager.default.removeItem(at: workDirectory)
    }

    /// Runs one tmux command against this harness's private server and returns what it printed.
    @discardableResult
    public func tmux(_ arguments: [String]) throws -> String {
        try ChildProcess.run(["tmux", "-L", socket] + arguments, timeout: 20).output
    }

    public func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", session])) ?? "" }

    public func send(_ keys: String...) throws { try tmux(["send-keys", "-t", session] + keys) }

    /// Types text literally (no key-name interpretation).
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", session, "-l", text]) }

    /// Types text literally, then presses Enter: a `:` command, a `/` filter, a form's field.
    public func typeLine(_ text: String) throws {
        try type(text)
        try send("Enter")
    }

    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", session, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `predicate`, failing with the screen shown if it never does.
    @discardableResult
    public func waitFor(_ what: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line,
                 _ predicate: (String) -> Bool) -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = screen()
            if predicate(last) { return last }
            usleep(50_000)
        }
        XCTFail("timed out waiting for \(what); the screen was:\n\(last)", file: file, line: line)
        return last
    }

    public func waitFor(text: String, timeout: TimeInterval = 10, file: StaticString = #filePath, line: UInt = #line) -> String {
        waitFor("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    /// Waits until one line of the screen holds all of `words` (a table row in some state).
    @discardableResult
    public func waitForRow(_ words: String..., timeout: TimeInterval = 10, file: StaticString = #filePath,
                           line: UInt = #line) -> String {
        waitFor("a row with \(words.joined(separator: " and "))", timeout: timeout, file: file, line: line) { screen in
            screen.split(separator: "\n").contains { row in words.allSatisfy { row.contains($0) } }
        }
    }

    public func file(_ name: String) -> String? {
        try? String(contentsOf: workDirectory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Waits for stacktop to exit and returns its exit line.
    public func waitForExit(timeout: TimeInterval = 10) -> String? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let after = file("after.txt"), !after.isEmpty, let exit = file("exit.txt") {
                return exit.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            usleep(50_000)
        }
        return nil
    }

    public func alternateScreenOn() -> Bool {
        ((try? tmux(["display-message", "-p", "-t", session, "#{alternate_on}"])) ?? "").hasPrefix("1")
    }
}

extension TmuxHarness {
    /// `/TEXT` then Enter: the list's filter, as a user types it.
    public func filter(_ text: String) throws {
        try send("/")
        try type(text)
        try send("Enter")
    }
}

/// A libvirt test-driver node file (never test:///default): one running guest per name, with its UUID when given.
public enum TestDriverNode {
    public static func write(_ path: String, guests: [(name: String, uuid: String?)]) throws {
        let domains = guests.map { guest in
            "  <domain type='test'><name>\(guest.name)</name>" + (guest.uuid.map { "<uuid>\($0)</uuid>" } ?? "")
                + "<memory unit='MiB'>1024</memory><vcpu>1</vcpu><os><type arch='x86_64'>hvm</type></os></domain>"
        }
        try (["<node>"] + domains + ["</node>"]).joined(separator: "\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
    }
}

import Foundation
import Glibc
import XCTest
import SystemTestSupport

/// `stacktop console SERVER` on the real OpenStack peer, through its own nova-serialproxy: the release
/// binary asks Nova for the serial console, connects to the proxy's websocket, and the proxy connects to
/// where Nova's fake driver says the guest's serial port is (port 6969 on a fake host name that
/// .ci/peer-serial-console.sh points at 127.0.0.1). This test plays that serial port, so every byte passes
/// through the real proxy both ways. Runs with STACKTOP_E2E=1 and STACKTOP_OPENSTACK_PEER=1, as root.
final class PeerSerialConsoleTests: XCTestCase {
    private var state = ""
    private var server = ""

    override func setUpWithError() throws {
        try OpenRC.requirePeer()
        // The proxy and the host names: .ci/run sets them up after the peer starts; a developer's run does it here.
        if !Self.proxyAnswers() {
            guard getuid() == 0 else {
                throw XCTSkip("the serial console suite needs root for .ci/peer-serial-console.sh (/etc/hosts), as .ci/run has")
            }
            let script = TmuxHarness.repositoryRoot.appendingPathComponent(".ci/peer-serial-console.sh").path
            let setup = try ChildProcess.run(["bash", script], timeout: 240)
            XCTAssertEqual(setup.status, 0, "\(script) failed:\n\(setup.output.suffix(2000))")
        }
        state = NSTemporaryDirectory() + "stacktop-peer-serial-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        server = "e2e-serial-\(UUID().uuidString.prefix(6).lowercased())"
        // The CLI is quicker to wait on here.
        let created = try OpenRC.createPeerServer(server, stateDirectory: state)
        XCTAssertEqual(created.status, 0, created.output)
    }

    override func tearDown() {
        if !server.isEmpty { OpenRC.deletePeerServer(server, stateDirectory: state) }
        if !state.isEmpty { try? FileManager.default.removeItem(atPath: state) }
    }

    private var environment: [String: String] {
        OpenRC.environment(authURL: "http://127.0.0.1:5000/v3", user: "demo", password: "demopass",
                           stateDirectory: state, region: "RegionOne")
    }

    private static func proxyAnswers() -> Bool {
        (try? ChildProcess.run(["curl", "-s", "-o", "/dev/null", "--max-time", "2", "http://127.0.0.1:6083/"], timeout: 10))?
            .status == 0
    }

    /// `stacktop ARGS` in tmux with the peer's OS_* variables.
    private func harness(_ arguments: String) throws -> TmuxHarness {
        let variables = ["OS_AUTH_URL", "OS_USERNAME", "OS_PASSWORD", "OS_PROJECT_NAME", "OS_USER_DOMAIN_NAME",
                         "OS_PROJECT_DOMAIN_NAME", "OS_REGION_NAME", "XDG_STATE_HOME"]
            .map { "\($0)=\(environment[$0] ?? "")" }.joined(separator: " ")
        return try TmuxHarness(width: 100, height: 30, command: "env \(variables) \(TmuxHarness.binary.path) \(arguments)")
    }

    func testTheConsoleExchangesBytesThroughNovasSerialProxyAndCtrlBracketLeaves() throws {
        let port = try FakeSerialPort(port: 6969)
        let tmux = try harness("console \(server)")
        tmux.waitFor(text: "Connected to \(server)'s serial console; Ctrl-] returns.", timeout: 60)
        // Guest -> screen: the port's greeting arrives through the proxy.
        tmux.waitFor(text: "guest login:", timeout: 20)
        // Screen -> guest: keystrokes go out as websocket frames, the proxy writes them to the port.
        try tmux.type("root")
        try tmux.send("Enter")
        tmux.waitFor(text: "[guest read: root]", timeout: 20)
        XCTAssertTrue(port.received.contains("root\r"), port.received)

        // The port takes one user (it stopped listening): a second console is told so in one sentence.
        let second = try ChildProcess.run([TmuxHarness.binary.path, "console", server], environment: environment, timeout: 90)
        XCTAssertEqual(second.status, 1, second.output)
        XCTAssertTrue(second.output.contains("a serial port takes one user, so another session most likely holds it"),
                      second.output)

        // Ctrl-] returns: exit 0 and the sentence, the terminal as it was.
        try tmux.send("C-]")
        XCTAssertEqual(tmux.waitForExit(timeout: 20), "EXIT=0", tmux.screen())
        XCTAssertTrue(tmux.screen().contains("Left the serial console of \(server)."), tmux.screen())
        XCTAssertEqual(tmux.file("before.txt"), tmux.file("after.txt"), "the terminal settings were not put back")
        port.wait()
        XCTAssertTrue(port.sawConnect, "the proxy did not open the port with the fake driver's CONNECT: \(port.received)")
    }

    /// The dashboard's `C` on the cloud's server: the console takes the terminal in place, and Ctrl-] comes
    /// back to the redrawn instance table with the sentence on the status line.
    func testTheDashboardsCAttachesInPlaceAndCtrlBracketRedrawsIt() throws {
        let port = try FakeSerialPort(port: 6969)
        let tmux = try harness("")
        tmux.waitFor(text: "Limit Summary", timeout: 60)
        try tmux.send("2")    // the instances
        tmux.waitFor(text: server, timeout: 30)
        try tmux.send("/")
        try tmux.typeLine(server)
        try tmux.send("Escape")
        tmux.waitForRow(server, "m1.tiny")
        try tmux.send("C")
        tmux.waitFor(text: "guest login:", timeout: 30)
        XCTAssertFalse(tmux.screen().contains("m1.tiny"), "the console did not take the screen:\n\(tmux.screen())")
        try tmux.typeLine("uname")
        tmux.waitFor(text: "[guest read: uname]", timeout: 20)
        try tmux.send("C-]")
        tmux.waitFor(text: "Left the serial console of \(server).", timeout: 20)
        tmux.waitForRow(server, "m1.tiny")
        try tmux.send("q")
        XCTAssertEqual(tmux.waitForExit(timeout: 20), "EXIT=0", tmux.screen())
        port.wait()
        XCTAssertTrue(port.received.contains("uname\r"), port.received)
    }
}

/// The guest's serial port as Nova's fake driver describes it: a TCP server on 127.0.0.1 that takes one
/// connection (then stops listening, as a serial port serves one user), answers the proxy's
/// `CONNECT path HTTP/1.1` with 200, greets, and echoes every line it reads as "[guest read: LINE]".
private final class FakeSerialPort: @unchecked Sendable {  // `lock` guards the recorded values
    private let lock = NSCondition()
    private var text = ""
    private var connected = false
    private var done = false

    init(port: Int) throws {
        // CLOEXEC: the tmux server and stacktop, spawned after this, must not inherit the port and keep it open
        // (a port held open but never answered leaves Nova's proxy spinning in its CONNECT loop).
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var one: Int32 = 1
        setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 1) == 0 else {
            close(listener)
            throw XCTSkip("127.0.0.1:\(port) is taken; the fake serial port needs it (\(String(cString: strerror(errno))))")
        }
        Thread.detachNewThread { [self] in serve(listener) }
    }

    var received: String { lock.lock(); defer { lock.unlock() }; return text }
    var sawConnect: Bool { lock.lock(); defer { lock.unlock() }; return connected }

    func wait() {
        lock.lock()
        let limit = Date(timeIntervalSinceNow: 20)
        while !done && lock.wait(until: limit) {}
        lock.unlock()
    }

    private func serve(_ listener: Int32) {
        var timeout = timeval(tv_sec: 120, tv_usec: 0)
        setsockopt(listener, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        // Signals (SIGCHLD from the children this test spawns) interrupt the waits: they are taken again.
        var fd: Int32 = -1
        repeat { fd = accept(listener, nil, nil) } while fd < 0 && errno == EINTR
        close(listener)
        if fd >= 0 { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        defer {
            if fd >= 0 { close(fd) }
            lock.lock(); done = true; lock.broadcast(); lock.unlock()
        }
        guard fd >= 0 else { return }
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        // The proxy's CONNECT head first (the fake driver gives an internal access path).
        while !bytes.suffix(4).elementsEqual([13, 10, 13, 10]) {
            let got = recv(fd, &buffer, 1, 0)
            if got < 0 && errno == EINTR { continue }
            guard got == 1 else { return }
            bytes.append(buffer[0])
        }
        lock.lock(); connected = bytes.starts(with: Array("CONNECT ".utf8)); lock.unlock()
        write(fd, "HTTP/1.1 200 OK\r\n\r\nguest login: ")
        var line: [UInt8] = []
        while true {
            let got = recv(fd, &buffer, buffer.count, 0)
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else { return }
            lock.lock(); text += String(decoding: buffer[..<got], as: UTF8.self); lock.unlock()
            for byte in buffer[..<got] {
                if byte == 13 || byte == 10 {
                    if !line.isEmpty { write(fd, "\r\n[guest read: \(String(decoding: line, as: UTF8.self))]\r\n") }
                    line = []
                } else {
                    line.append(byte)
                }
            }
        }
    }

    private func write(_ fd: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, bytes.count, Int32(MSG_NOSIGNAL)) }
    }
}

import Foundation
import XCTest
import SystemTestSupport

/// The real service is the oracle: what the release binary lists on a libvirt host equals what `virsh`
/// lists on the same host, name for name and state for state. On a test-driver node always (virsh reads
/// the same file in its own process), and on the real QEMU host with STACKTOP_QEMU=1.
final class VirshAgreementTests: XCTestCase {
    /// Awkward names on purpose: spaces, CJK, a name that sorts oddly; domains in four states.
    static let node = """
        <node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>
        <domain type='test'><name>web 1</name><memory>1048576</memory><vcpu>2</vcpu><os><type>hvm</type></os>\
        <test:runstate>1</test:runstate></domain>
        <domain type='test'><name>数据库</name><memory>1048576</memory><os><type>hvm</type></os>\
        <test:runstate>5</test:runstate></domain>
        <domain type='test'><name>p-2</name><memory>1048576</memory><os><type>hvm</type></os>\
        <test:runstate>3</test:runstate></domain>
        <domain type='test'><name>p-10</name><memory>1048576</memory><os><type>hvm</type></os>\
        <test:runstate>6</test:runstate></domain>
        <network><name>net a</name><bridge name='virbr9'/><ip address='10.9.0.1' netmask='255.255.255.0'/></network>
        <network><name>isolated</name><bridge name='virbr8'/></network>
        <pool type='dir'><name>pool-a</name><target><path>/pool-a</path></target>
        <volume type='file'><name>v1.qcow2</name><capacity unit='G'>1</capacity>\
        <target><path>/pool-a/v1.qcow2</path><format type='qcow2'/></target></volume>
        <volume type='file'><name>data two.raw</name><capacity unit='G'>2</capacity>\
        <target><path>/pool-a/data two.raw</path><format type='raw'/></target></volume>
        </pool>
        </node>
        """

    private var directory = ""

    override func setUpWithError() throws {
        try TmuxHarness.require()
        directory = NSTemporaryDirectory() + "stacktop-virsh-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() { if !directory.isEmpty { try? FileManager.default.removeItem(atPath: directory) } }

    private func stacktop(_ uri: String, _ arguments: [String]) throws -> [[String: Any]] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = directory + "/state"
        let result = try ChildProcess.run([TmuxHarness.binary.path, "--connect", uri] + arguments,
                                          environment: environment, timeout: 60)
        XCTAssertEqual(result.status, 0, result.output)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]], result.output)
    }

    private func virsh(_ uri: String, _ arguments: String...) throws -> String {
        let result = try ChildProcess.run(["virsh", "-c", uri] + arguments, timeout: 60)
        XCTAssertEqual(result.status, 0, result.output)
        return result.output
    }

    private func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// virsh's state words as stacktop's JSON writes them.
    private static let states = ["running": "running", "idle": "running", "paused": "paused", "in shutdown": "shutdown",
                                 "shut off": "shutoff", "crashed": "crashed", "pmsuspended": "suspended"]

    private func assertAgreement(uri: String, file: StaticString = #filePath, line: UInt = #line) throws {
        // Instances: every domain, with its state.
        let servers = try stacktop(uri, ["server", "list", "-f", "json", "-c", "name", "-c", "status"])
        var virshStates: [String: String] = [:]
        for name in lines(try virsh(uri, "list", "--all", "--name")) {
            let word = lines(try virsh(uri, "domstate", name)).first ?? ""
            virshStates[name] = Self.states[word] ?? word
        }
        let ours = Dictionary(servers.map { ($0["name"] as? String ?? "", $0["status"] as? String ?? "") },
                              uniquingKeysWith: { first, _ in first })
        XCTAssertEqual(ours, virshStates, "server list against virsh list --all / domstate", file: file, line: line)

        // Networks: every network, active or not.
        let networks = try stacktop(uri, ["network", "list", "-f", "json", "-c", "name"]).compactMap { $0["name"] as? String }
        XCTAssertEqual(Set(networks), Set(lines(try virsh(uri, "net-list", "--all", "--name"))),
                       "network list against virsh net-list --all", file: file, line: line)

        // Volumes and images together are every volume of every pool (a fresh store marks no pool as images).
        var virshVolumes: Set<String> = []
        for pool in lines(try virsh(uri, "pool-list", "--all", "--name")) {
            for row in lines(try virsh(uri, "vol-list", pool)).dropFirst(2) {
                if let name = row.components(separatedBy: "  ").first { virshVolumes.insert(name) }
            }
        }
        let volumes = try stacktop(uri, ["volume", "list", "-f", "json", "-c", "name"]).compactMap { $0["name"] as? String }
        let images = try stacktop(uri, ["image", "list", "-f", "json", "-c", "name"]).compactMap { $0["name"] as? String }
        XCTAssertEqual(Set(volumes).union(images), virshVolumes, "volume and image lists against virsh vol-list",
                       file: file, line: line)
    }

    func testATestDriverHostListsWhatVirshLists() throws {
        let path = directory + "/node.xml"
        try Self.node.write(toFile: path, atomically: true, encoding: .utf8)
        try assertAgreement(uri: "test://" + path)
    }

    func testTheRealQEMUHostListsWhatVirshLists() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_QEMU"] == "1" else {
            throw XCTSkip("set STACKTOP_QEMU=1 with the real libvirtd running (qemu-guest/setup.sh)")
        }
        try QEMUConsoleTests.ensureGuestRunning()
        try assertAgreement(uri: QEMUConsoleTests.uri)
    }
}

import XCTest
import SystemTestSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the read-only end-to-end test owns on the real host: a running guest with a pool volume
/// attached, a shut-off guest, and a state store. Its names carry no digits (a digit switches panels
/// when typed into a list), so typing a name never leaves the filtered rows.
struct QEMUReadOnlyFixture {
    static let pool = "vmpeer-pool"
    let prefix: String
    var guest: String { prefix + "-run" }
    var offGuest: String { prefix + "-off" }
    var volume: String { prefix + "-vol.qcow2" }
    let storePath: String
    let directory: URL

    init() throws {
        let letters = Array("abfikmtwjg")
        let tag = String(String(getpid()).map { letters[Int(String($0))!] })
            + String(String(UInt16.random(in: 0...999)).map { letters[Int(String($0))!] })
        prefix = "vmpeer-ro-" + tag
        directory = FileManager.default.temporaryDirectory.appendingPathComponent(prefix)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        storePath = directory.appendingPathComponent("state.sqlite3").path
    }

    @discardableResult
    static func virsh(_ arguments: String...) throws -> ChildProcess.Result {
        try ChildProcess.run(["virsh", "-c", QEMUConsoleTests.uri] + arguments, timeout: 60)
    }

    /// Reuses the kernel and initramfs the shared scripts build for the console tests' guest.
    func create() throws {
        let guestFiles = "/tmp/vmpeer/guest"
        if !FileManager.default.fileExists(atPath: guestFiles + "/initramfs.cpio.gz") {
            try QEMUConsoleTests.ensureGuestRunning()
        }
        if try Self.virsh("pool-info", Self.pool).status != 0 {
            let setup = try ChildProcess.run(["bash", QEMUConsoleTests.tools + "/setup.sh"], timeout: 600)
            guard setup.status == 0 else { throw XCTSkip("setup.sh failed:\n\(setup.output.suffix(2000))") }
        }
        let made = try Self.virsh("vol-create-as", Self.pool, volume, "8M", "--format", "qcow2")
        guard made.status == 0 else { throw XCTSkip("could not create \(volume): \(made.output)") }
        let path = try Self.virsh("vol-path", "--pool", Self.pool, volume).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let running = """
            <domain type='qemu'><name>\(guest)</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><kernel>\(guestFiles)/vmlinuz</kernel>
                <initrd>\(guestFiles)/initramfs.cpio.gz</initrd><cmdline>console=ttyS0,115200 panic=-1</cmdline></os>
              <features><acpi/></features>
              <devices><emulator>/usr/bin/qemu-system-x86_64</emulator>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='\(path)'/>
                  <target dev='vdb' bus='virtio'/></disk>
                <serial type='pty'><target port='0'/></serial><console type='pty'><target type='serial' port='0'/></console>
                <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>
                <memballoon model='none'/></devices></domain>
            """
        let off = """
            <domain type='qemu'><name>\(offGuest)</name><memory unit='MiB'>64</memory>
              <os><type arch='x86_64'>hvm</type></os><devices><serial type='pty'/><console type='pty'/></devices></domain>
            """
        for (name, xml) in [(guest, running), (offGuest, off)] {
            let file = directory.appendingPathComponent(name + ".xml")
            try xml.write(to: file, atomically: true, encoding: .utf8)
            let defined = try Self.virsh("define", file.path)
            guard defined.status == 0 else { throw XCTSkip("could not define \(name): \(defined.output)") }
        }
        let started = try Self.virsh("start", guest)
        guard started.status == 0 else { throw XCTSkip("could not start \(guest): \(started.output)") }
    }

    /// Removes the fixture and anything named after it (what a mutation that got through could have made).
    func remove() {
        let domains = (try? Self.virsh("list", "--all", "--name").output) ?? ""
        for name in Set([guest, offGuest] + domains.split(separator: "\n").map(String.init).filter { $0.contains(prefix) }) {
            _ = try? Self.virsh("destroy", name)
            _ = try? Self.virsh("undefine", name)
        }
        let volumes = (try? Self.virsh("vol-list", Self.pool).output) ?? ""
        let made = volumes.split(separator: "\n").compactMap { $0.split(separator: " ").first.map(String.init) }
            .filter { $0.contains(prefix) }
        for name in Set([volume] + made) { _ = try? Self.virsh("vol-delete", "--pool", Self.pool, name) }
        try? FileManager.default.removeItem(at: directory)
    }

    /// Everything a mutation from stacktop could change, as lines to compare before and after. Pool
    /// volumes other test suites make and remove while they run (`stacktop-qa-*`) are left out.
    func hostState() throws -> [String] {
        var lines: [String] = []
        func add(_ label: String, _ result: ChildProcess.Result) {
            lines += result.output.split(separator: "\n").map { "\(label): \($0)" } + ["\(label) status \(result.status)"]
        }
        add("state \(guest)", try Self.virsh("domstate", guest))
        add("state \(offGuest)", try Self.virsh("domstate", offGuest))
        add("definition \(guest)", try Self.virsh("dumpxml", "--inactive", guest))
        add("definition \(offGuest)", try Self.virsh("dumpxml", "--inactive", offGuest))
        add("block \(guest)", try Self.virsh("domblklist", guest))
        add("volume", try Self.virsh("vol-info", "--pool", Self.pool, volume))
        let volumes = try Self.virsh("vol-list", Self.pool)
        lines += volumes.output.split(separator: "\n").map(String.init)
            .filter { !$0.contains("stacktop-qa-") }.map { "pool: \($0)" }
        for path in volumes.output.split(separator: "\n").compactMap({ $0.split(separator: " ").last })
        where path.hasPrefix("/") && !path.contains("stacktop-qa-") {
            let size = (try? FileManager.default.attributesOfItem(atPath: String(path))[.size] as? Int) ?? -1
            lines.append("file \(path): \(size) bytes")
        }
        // Anything named after this fixture that it did not make (a launch, a copy, a snapshot...).
        let domains = try Self.virsh("list", "--all", "--name").output
        lines += domains.split(separator: "\n").filter { $0.hasPrefix(prefix) }.map { "domain \($0)" }
        for kind in ["net-list --all --name", "nwfilter-list"] {
            let listed = try ChildProcess.run(["virsh", "-c", QEMUConsoleTests.uri] + kind.split(separator: " ").map(String.init))
            lines += listed.output.split(separator: "\n").filter { $0.contains(prefix) }.map { "\(kind): \($0)" }
        }
        lines += storeState()
        return lines
    }

    /// The store's bytes; SQLite writes go to the -wal file first, so that must stay empty (or absent).
    func storeState() -> [String] {
        let sha = (try? ChildProcess.run(["sha256sum", storePath]).output.split(separator: " ").first.map(String.init)) ?? nil
        let wal = (try? FileManager.default.attributesOfItem(atPath: storePath + "-wal")[.size] as? Int) ?? 0
        return ["store sha256 \(sha ?? "missing")", "store wal bytes \(wal)"]
    }
}

import Foundation
import XCTest
@testable import LocalBackend

/// The real libvirtd + QEMU (TCG) host the QEMU suite runs against: the switch, the one-time setup,
/// `virsh` as an independent witness, and a busybox guest driven over its serial console.
/// Everything this suite makes is named `stacktop-qa-*`, so cleanup never touches another suite's guests.
enum QEMUHost {
    static let uri = "qemu:///system"
    static let pool = "vmpeer-pool"
    static let poolDirectory = "/tmp/vmpeer/pool"
    static let network = "vmpeer-iso"
    static let prefix = "stacktop-qa-"
    static let guestName = "stacktop-qa-guest"
    /// The shared scripts (setup.sh, boot-guest.sh): STACKTOP_QEMU_TOOLS, else `../shared/tools/qemu-guest`
    /// beside the checkout, else the machine-wide copy.
    static var tools: String {
        if let given = ProcessInfo.processInfo.environment["STACKTOP_QEMU_TOOLS"] { return given }
        let checkout = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let beside = checkout.deletingLastPathComponent().appendingPathComponent("shared/tools/qemu-guest").path
        return FileManager.default.fileExists(atPath: beside + "/setup.sh") ? beside : "/work/shared/tools/qemu-guest"
    }

    static func skipUnlessEnabled() throws {
        guard ProcessInfo.processInfo.environment["STACKTOP_QEMU"] == "1" else {
            throw XCTSkip("Real libvirtd + QEMU tests are off; run them as root with "
                          + "`STACKTOP_QEMU=1 swift test --filter QEMUActionTests` (setup.sh from STACKTOP_QEMU_TOOLS "
                          + "or ../shared/tools/qemu-guest starts libvirtd if needed).")
        }
    }

    /// Starts libvirtd with its pool and network if it does not answer, and defines libvirt's standard
    /// network filters (`clean-traffic` and the filters it references) when the host lacks them: instance
    /// filters reference `clean-traffic`, and a domain whose filter references a missing one cannot start.
    static func ensureReady() throws {
        if virsh("version").status != 0 || virsh("pool-info", pool).status != 0 || virsh("net-info", network).status != 0 {
            let setup = try ProcessRunner.run(["bash", tools + "/setup.sh"])
            guard setup.status == 0 else { throw QEMUHostError("setup.sh failed: \(setup.output)") }
        }
        if virsh("nwfilter-dumpxml", "clean-traffic").status != 0 {
            let directory = "/etc/libvirt/nwfilter"
            if !FileManager.default.fileExists(atPath: directory + "/clean-traffic.xml") {
                _ = try ProcessRunner.run(["apt-get", "install", "-y", "-q", "--no-install-recommends",
                                           "libvirt-daemon-config-nwfilter"])
            }
            let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
            for file in files.sorted() where file.hasSuffix(".xml") { _ = virsh("nwfilter-define", directory + "/" + file) }
            guard virsh("nwfilter-dumpxml", "clean-traffic").status == 0 else {
                throw QEMUHostError("libvirt's standard network filters are missing; install libvirt-daemon-config-nwfilter")
            }
        }
    }

    @discardableResult
    static func virsh(_ arguments: String...) -> ProcessRunner.Result { virsh(arguments) }

    static func virsh(_ arguments: [String]) -> ProcessRunner.Result {
        (try? ProcessRunner.run(["virsh", "-q", "-c", uri] + arguments)) ?? .init(status: 127, output: "virsh did not run")
    }

    static func lines(_ result: ProcessRunner.Result) -> [String] {
        result.output.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    static func domainState(_ name: String) -> String {
        virsh("domstate", name).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Removes the guests and volumes a test made (named `PREFIX…SUFFIX`), whatever state it left them in.
    static func removeLeftovers(prefix: String, suffix: String) {
        for name in domainNames() where name.hasPrefix(prefix) && name.hasSuffix(suffix) {
            virsh("destroy", name)
            virsh("undefine", name)
        }
        for volume in volumeNames() where volume.hasPrefix(prefix) && volume.contains(suffix) {
            virsh("vol-delete", "--pool", pool, volume)
        }
    }

    static func domainNames() -> [String] { lines(virsh("list", "--all", "--name")).sorted() }
    static func volumeNames() -> [String] {
        lines(virsh("vol-list", pool)).compactMap { $0.split(separator: " ").first.map(String.init) }.sorted()
    }
    static func filterNames() -> [String] {
        lines(virsh("nwfilter-list")).compactMap { $0.split(separator: " ").dropFirst().first.map(String.init) }.sorted()
    }
    static func poolFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: poolDirectory)) ?? []).sorted()
    }

    /// Polls until `condition` holds; returns whether it did within `timeout` seconds.
    static func wait(_ timeout: TimeInterval, every interval: TimeInterval = 0.25, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: interval)
        }
        return condition()
    }

    /// Removes every `stacktop-qa-*` domain and pool volume, then the given filters (instance filters
    /// first: a group filter is referenced by them). Used by tearDown, so it never throws.
    static func removeEverything(filters: [String]) {
        for name in domainNames() where name.hasPrefix(prefix) {
            virsh("destroy", name)
            virsh("undefine", name)
        }
        for filter in filters.sorted(by: { $0.hasPrefix("stacktop-instance-") && !$1.hasPrefix("stacktop-instance-") })
        where filterNames().contains(filter) {
            virsh("nwfilter-undefine", filter)
        }
        for volume in volumeNames() where volume.hasPrefix(prefix) { virsh("vol-delete", "--pool", pool, volume) }
    }

    // MARK: the busybox guest

    /// Defines and starts the busybox guest from the kernel and initramfs that boot-guest.sh builds
    /// (built once if missing), copied to `directory` so a concurrent rebuild cannot change them under QEMU.
    static func bootGuest(in directory: String) throws {
        let built = "/tmp/vmpeer/guest"
        if !FileManager.default.fileExists(atPath: built + "/initramfs.cpio.gz") {
            let boot = try ProcessRunner.run(["bash", tools + "/boot-guest.sh", guestName])
            guard boot.status == 0 else { throw QEMUHostError("boot-guest.sh failed: \(boot.output)") }
            virsh("destroy", guestName)
            virsh("undefine", guestName)
        }
        for file in ["vmlinuz", "initramfs.cpio.gz"] {
            try FileManager.default.copyItem(atPath: "\(built)/\(file)", toPath: "\(directory)/\(file)")
        }
        let xml = """
            <domain type='qemu'>
              <name>\(guestName)</name>
              <memory unit='MiB'>192</memory>
              <vcpu>1</vcpu>
              <os><type arch='x86_64' machine='pc'>hvm</type><kernel>\(directory)/vmlinuz</kernel>
                <initrd>\(directory)/initramfs.cpio.gz</initrd><cmdline>console=ttyS0,115200 panic=-1</cmdline></os>
              <features><acpi/></features>
              <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
              <devices>
                <serial type='pty'><target port='0'/></serial>
                <console type='pty'><target type='serial' port='0'/></console>
                <memballoon model='none'/>
              </devices>
            </domain>
            """
        try xml.write(toFile: directory + "/guest.xml", atomically: true, encoding: .utf8)
        let define = virsh("define", directory + "/guest.xml")
        guard define.status == 0 else { throw QEMUHostError("defining the guest failed: \(define.output)") }
        let start = virsh("start", guestName)
        guard start.status == 0 else { throw QEMUHostError("starting the guest failed: \(start.output)") }
    }

    /// Runs one shell command in the guest over `virsh console` (pexpect, as guest-run.py does) and returns
    /// its output. The first call also waits for the shell prompt, pressing Enter until it answers.
    static func guestRun(_ command: String, in directory: String, timeout: Int = 90) throws -> String {
        let script = directory + "/guest-run.py"
        if !FileManager.default.fileExists(atPath: script) {
            try consoleScript.write(toFile: script, atomically: true, encoding: .utf8)
        }
        let result = try ProcessRunner.run(["python3", script, guestName, String(timeout), command])
        guard result.status == 0 else { throw QEMUHostError("running `\(command)` in the guest failed: \(result.output)") }
        return result.output.replacingOccurrences(of: "\r", with: "")
    }

    private static let consoleScript = #"""
        import sys, time, pexpect
        name, timeout, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        env = {'PATH': '/usr/bin:/usr/sbin:/bin:/sbin', 'TERM': 'dumb'}
        c = pexpect.spawn('virsh', ['-c', 'qemu:///system', 'console', '--force', name], env=env,
                          encoding='utf-8', timeout=timeout)
        c.expect('Escape character is')
        deadline = time.time() + timeout
        while True:
            c.sendline('')
            try:
                c.expect('vmpeer# ', timeout=2)
                break
            except pexpect.TIMEOUT:
                if time.time() > deadline:
                    raise
        c.sendline('echo __BE""GIN__; ' + cmd + '; echo __RC=$?__')
        c.expect('__BEGIN__\r?\n')
        c.expect(r'__RC=(\d+)__')
        out, rc = c.before, int(c.match.group(1))
        c.sendcontrol(']')
        c.expect(pexpect.EOF)
        print(out, end='')
        sys.exit(rc)
        """#
}

struct QEMUHostError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

import FoundationEssentials
import StacktopModel
import LocalBackend

/// Generated clouds of any size for the benchmark.
enum BenchFixtures {
    static let states: [InstanceState] = [.running, .running, .running, .shutoff, .paused, .crashed, .suspended]

    static func snapshot(instances count: Int) -> CloudSnapshot {
        let now = Date()
        let instances = (0..<count).map { i in
            Instance(id: "00000000-0000-4000-8000-\(String(100_000_000_000 + i))",
                     name: "web-\(i)", state: states[i % states.count], vcpus: 1 + i % 8, memoryMiB: 512 << (i % 5),
                     disks: [InstanceDisk(target: "vda", source: "/var/lib/libvirt/images/web-\(i).qcow2",
                                          format: "qcow2", capacityBytes: UInt64(10 + i % 90) << 30)],
                     interfaces: [InstanceInterface(mac: "52:54:00:00:\(hex(i / 256)):\(hex(i % 256))", network: "default",
                                                    addresses: ["10.\(i / 65536 % 256).\(i / 256 % 256).\(i % 256)"])],
                     image: ["debian-12", "ubuntu-24.04", "cirros"][i % 3], flavor: ["m1.small", "m1.medium"][i % 2],
                     project: i % 3 == 0 ? "demo" : "admin", createdAt: now.addingTimeInterval(Double(-i * 3600)))
        }
        return CloudSnapshot(instances: instances,
                             quotas: [ProjectQuotas(project: "admin", usages: [
                                QuotaUsage(resource: .instances, used: count, limit: count + 10)])],
                             takenAt: now)
    }

    static func hex(_ n: Int) -> String {
        let s = String(n, radix: 16)
        return s.count == 1 ? "0" + s : s
    }

    /// The name that sorts first among `nodeXML`'s domains (names compare case-insensitively by code
    /// point, numbers naturally, and "!" comes before every other first character used), so it is the
    /// Instances panel's first row. No character repeats next to itself, so a terminal's repeat-character
    /// shortcut cannot split it in the output stream.
    static let firstDomainName = "!bench-first"

    /// The awkward names a real host has: mixed case and dots, accents, wide CJK, an emoji, spaces, names
    /// longer than the column, digits first, right-to-left text, a combining accent, and characters XML
    /// must escape. Each carries `i`, so every name is distinct.
    static func awkwardName(_ i: Int) -> String {
        switch i % 10 {
        case 0: "web-\(i)"
        case 1: "Web-Prod-\(i).example.com"
        case 2: "db_ünïcødé_\(i)"
        case 3: "数据库-\(i)"
        case 4: "cache 🚀 \(i)"
        case 5: "batch-worker-with-a-name-much-longer-than-any-column-\(i)"
        case 6: "\(i)-digits-first"
        case 7: "שרת-\(i)"
        case 8: "cafe\u{301}-\(i)"
        default: "q&a <\(i)> 'it\"s'"
        }
    }

    /// A libvirt test-driver node with `count` domains with awkward names (a third of them shut off);
    /// the one in the middle is `firstDomainName`.
    /// The node with a directory pool holding every domain's disk as a volume, as a real host keeps them (the
    /// distant fleet: each pool and volume costs round trips of its own).
    static func nodeXMLWithPool(domains count: Int) -> String {
        var pool = "<pool type='dir'><name>default</name><target><path>/var/lib/libvirt/images</path></target>\n"
        for i in 0..<count {
            pool += "  <volume type='file'><name>disk-\(i).qcow2</name><capacity unit='GiB'>\(10 + i % 30)</capacity>"
                + "<target><path>/var/lib/libvirt/images/disk-\(i).qcow2</path><format type='qcow2'/></target></volume>\n"
        }
        let xml = nodeXML(domains: count)
        return xml.replacingOccurrences(of: "</node>", with: pool + "</pool>\n</node>")
    }

    static func nodeXML(domains count: Int) -> String {
        var xml = "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
        for i in 0..<count {
            let name = i == count / 2 ? firstDomainName : awkwardName(i)
            xml += """
            <domain type='test'>
              <name>\(XMLText.escape(name))</name>
              <memory unit='MiB'>\(512 << (i % 4))</memory>
              <vcpu>\(1 + i % 4)</vcpu>
              <os><type>hvm</type></os>
              <devices>
                <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
                  <source file='/var/lib/libvirt/images/disk-\(i).qcow2'/><target dev='vda' bus='virtio'/></disk>
                <interface type='network'><mac address='52:54:00:\(hex(i / 65536 % 256)):\(hex(i / 256 % 256)):\(hex(i % 256))'/>
                  <source network='default'/></interface>
              </devices>
              \(i % 3 == 2 ? "<test:runstate>5</test:runstate>" : "")
            </domain>\n
            """
        }
        xml += """
        <network><name>default</name><bridge name='virbr0'/><forward mode='nat'/>
          <ip address='192.168.122.1' netmask='255.255.255.0'><dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp></ip>
        </network>
        </node>
        """
        return xml
    }
}

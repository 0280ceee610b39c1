#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import StacktopServices

/// The demo cloud's host: a libvirt test-driver node (`test:///path`) with domains in every state,
/// three networks and two storage pools. The test driver runs inside the process, so the demo needs
/// no daemon. `DemoHome` keeps it between runs.
public enum DemoNodeXML {
    public static let xml: String = DemoNodeBuilder().xml
}

/// What the demo host contains, as data; the XML is generated from it so names, paths and MACs
/// stay consistent across domains, volumes and networks.
struct DemoNodeBuilder {
    static let imagesPath = "/var/lib/stacktop-demo/images"
    static let volumesPath = "/var/lib/stacktop-demo/volumes"

    struct Volume {
        var name: String
        var format: String
        var capacityMiB: Int
        var allocationMiB: Int
    }

    enum Console { case none, vncAuto, vnc(port: Int, listen: String), spiceAuto }

    struct Domain {
        var name: String
        /// libvirt `virDomainState`: 1 running, 2 blocked, 3 paused, 4 shutdown, 5 shutoff, 6 crashed, 7 pmsuspended.
        var runstate: Int
        var vcpus: Int
        var memoryMiB: Int
        var rootGiB: Int
        var networks: [String]
        var dataVolume: String? = nil
        var console: Console = .none
        var cdromImage: String? = nil
        var bridge: String? = nil
    }

    static let images = [
        Volume(name: "debian-12.qcow2", format: "qcow2", capacityMiB: 1024, allocationMiB: 412),
        Volume(name: "ubuntu-24.04.qcow2", format: "qcow2", capacityMiB: 3584, allocationMiB: 587),
        Volume(name: "cirros-0.6.2.img", format: "raw", capacityMiB: 117, allocationMiB: 117),
        Volume(name: "fedora 40 cloud.qcow2", format: "qcow2", capacityMiB: 5120, allocationMiB: 398),
    ]

    static let dataVolumes = [
        Volume(name: "data-01", format: "raw", capacityMiB: 100 * 1024, allocationMiB: 6 * 1024),
        Volume(name: "backup vol", format: "raw", capacityMiB: 200 * 1024, allocationMiB: 9 * 1024),
        Volume(name: "logs-büro", format: "qcow2", capacityMiB: 50 * 1024, allocationMiB: 1200),
    ]

    static let domains = [
        Domain(name: "web-01", runstate: 1, vcpus: 2, memoryMiB: 2048, rootGiB: 20, networks: ["default"],
               console: .vncAuto),
        Domain(name: "web-02", runstate: 1, vcpus: 2, memoryMiB: 2048, rootGiB: 20, networks: ["default"],
               console: .vncAuto),
        Domain(name: "web-03", runstate: 3, vcpus: 2, memoryMiB: 2048, rootGiB: 20, networks: ["default"]),
        Domain(name: "db primary", runstate: 1, vcpus: 4, memoryMiB: 8192, rootGiB: 40,
               networks: ["backend", "default"], dataVolume: "data-01"),
        Domain(name: "数据库-replica", runstate: 3, vcpus: 4, memoryMiB: 8192, rootGiB: 40, networks: ["backend"]),
        Domain(name: "Ünïcødé-büild", runstate: 6, vcpus: 2, memoryMiB: 4096, rootGiB: 30, networks: ["default"],
               console: .vnc(port: 5905, listen: "127.0.0.1")),
        Domain(name: "ci runner 3", runstate: 7, vcpus: 4, memoryMiB: 4096, rootGiB: 25, networks: ["default"]),
        Domain(name: "ci runner 4", runstate: 5, vcpus: 4, memoryMiB: 4096, rootGiB: 25, networks: ["default"]),
        Domain(name: "cache-01", runstate: 4, vcpus: 1, memoryMiB: 1024, rootGiB: 10, networks: ["backend"]),
        Domain(name: "lb-edge", runstate: 1, vcpus: 2, memoryMiB: 1024, rootGiB: 10, networks: ["dmz", "default"],
               console: .spiceAuto, bridge: "br-ext"),
        Domain(name: "bastion", runstate: 1, vcpus: 1, memoryMiB: 512, rootGiB: 10, networks: ["dmz"],
               console: .vnc(port: 5901, listen: "0.0.0.0")),
        Domain(name: "monitoring", runstate: 2, vcpus: 2, memoryMiB: 3072, rootGiB: 20,
               networks: ["default", "backend"], console: .vncAuto),
        Domain(name: "backup-agent", runstate: 5, vcpus: 1, memoryMiB: 1024, rootGiB: 10, networks: ["backend"],
               dataVolume: "backup vol"),
        Domain(name: "log collector", runstate: 3, vcpus: 1, memoryMiB: 2048, rootGiB: 15, networks: ["backend"],
               dataVolume: "logs-büro"),
        Domain(name: "staging-api", runstate: 5, vcpus: 2, memoryMiB: 2048, rootGiB: 20, networks: ["default"]),
        Domain(name: "tiny-test", runstate: 5, vcpus: 1, memoryMiB: 256, rootGiB: 1, networks: ["default"],
               cdromImage: "cirros-0.6.2.img"),
    ]

    var xml: String {
        var out = "<node xmlns:test='http://libvirt.org/schemas/domain/test/1.0'>\n"
        out += """
          <cpu><mhz>2400</mhz><model>x86_64</model><nodes>1</nodes><sockets>1</sockets>\
        <cores>8</cores><threads>2</threads><active>16</active></cpu>
          <memory>67108864</memory>\n
        """
        for (index, domain) in Self.domains.enumerated() { out += domainXML(domain, index: index) }
        out += networksXML
        out += poolXML(name: "images", path: Self.imagesPath, volumes: Self.images)
        let roots = Self.domains.map { domain in
            Volume(name: "\(domain.name)-root.qcow2", format: "qcow2", capacityMiB: domain.rootGiB * 1024,
                   allocationMiB: min(domain.rootGiB * 1024, 900 + domain.rootGiB * 37))
        }
        out += poolXML(name: "default", path: Self.volumesPath, volumes: roots + Self.dataVolumes)
        out += "</node>\n"
        return out
    }

    private func domainXML(_ domain: Domain, index: Int) -> String {
        var devices = disk(dev: "vda", format: "qcow2", path: "\(Self.volumesPath)/\(domain.name)-root.qcow2")
        if let data = domain.dataVolume, let volume = Self.dataVolumes.first(where: { $0.name == data }) {
            if index.isMultiple(of: 2) {
                // Exercise both ways a disk can name a pool volume.
                devices += """
                      <disk type='volume' device='disk'><driver name='qemu' type='\(volume.format)'/>\
                <source pool='default' volume='\(XMLText.escape(data))'/><target dev='vdb' bus='virtio'/></disk>\n
                """
            } else {
                devices += disk(dev: "vdb", format: volume.format, path: "\(Self.volumesPath)/\(data)")
            }
        }
        if let image = domain.cdromImage {
            devices += """
                  <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>\
            <source file='\(XMLText.escape("\(Self.imagesPath)/\(image)"))'/><target dev='sda' bus='sata'/>\
            <readonly/></disk>\n
            """
        }
        for (nic, network) in domain.networks.enumerated() {
            devices += """
                  <interface type='network'><mac address='\(mac(domain: index, nic: nic))'/>\
            <source network='\(network)'/><model type='virtio'/></interface>\n
            """
        }
        if let bridge = domain.bridge {
            devices += """
                  <interface type='bridge'><mac address='\(mac(domain: index, nic: 9))'/>\
            <source bridge='\(bridge)'/><model type='e1000'/></interface>\n
            """
        }
        switch domain.console {
        case .none: break
        case .vncAuto: devices += "      <graphics type='vnc' port='-1' autoport='yes' listen='127.0.0.1'/>\n"
        case .vnc(let port, let listen):
            devices += "      <graphics type='vnc' port='\(port)' autoport='no' listen='\(listen)'/>\n"
        case .spiceAuto: devices += "      <graphics type='spice' port='-1' autoport='yes' listen='127.0.0.1'/>\n"
        }
        return """
          <domain type='test'>
            <name>\(XMLText.escape(domain.name))</name>
            <uuid>\(uuid(domain.name))</uuid>
            <memory unit='MiB'>\(domain.memoryMiB)</memory>
            <vcpu>\(domain.vcpus)</vcpu>
            <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
            <devices>
        \(devices)    </devices>
            <test:runstate>\(domain.runstate)</test:runstate>
          </domain>\n
        """
    }

    private func disk(dev: String, format: String, path: String) -> String {
        "      <disk type='file' device='disk'><driver name='qemu' type='\(format)'/>"
            + "<source file='\(XMLText.escape(path))'/><target dev='\(dev)' bus='virtio'/></disk>\n"
    }

    private var networksXML: String {
        """
          <network>
            <name>default</name><uuid>\(uuid("network default"))</uuid>
            <forward mode='nat'/><bridge name='virbr0'/>
            <ip address='192.168.122.1' netmask='255.255.255.0'>
              <dhcp><range start='192.168.122.2' end='192.168.122.254'/></dhcp>
            </ip>
          </network>
          <network>
            <name>backend</name><uuid>\(uuid("network backend"))</uuid>
            <bridge name='virbr1'/>
            <ip address='10.10.0.1' prefix='24'>
              <dhcp><range start='10.10.0.100' end='10.10.0.199'/></dhcp>
            </ip>
          </network>
          <network>
            <name>dmz</name><uuid>\(uuid("network dmz"))</uuid>
            <forward mode='route'/><bridge name='virbr2'/>
            <ip address='172.16.5.1' netmask='255.255.255.0'>
              <dhcp><range start='172.16.5.10' end='172.16.5.50'/></dhcp>
            </ip>
          </network>\n
        """
    }

    private func poolXML(name: String, path: String, volumes: [Volume]) -> String {
        var out = """
          <pool type='dir'>
            <name>\(name)</name><uuid>\(uuid("pool \(name)"))</uuid>
            <target><path>\(path)</path></target>\n
        """
        for volume in volumes {
            let volumePath = "\(path)/\(volume.name)"
            out += """
                <volume type='file'><name>\(XMLText.escape(volume.name))</name>\
            <key>\(XMLText.escape(volumePath))</key>\
            <capacity unit='MiB'>\(volume.capacityMiB)</capacity>\
            <allocation unit='MiB'>\(volume.allocationMiB)</allocation>\
            <target><path>\(XMLText.escape(volumePath))</path><format type='\(volume.format)'/></target></volume>\n
            """
        }
        return out + "  </pool>\n"
    }

    private func mac(domain: Int, nic: Int) -> String {
        let hash = fnv1a(Array("mac \(domain) \(nic)".utf8), seed: 0xcbf2_9ce4_8422_2325)
        return "52:54:00:" + [UInt8(truncatingIfNeeded: domain), UInt8(truncatingIfNeeded: nic),
                              UInt8(truncatingIfNeeded: hash)].map(hex2).joined(separator: ":")
    }

    /// A stable version-4-shaped UUID derived from a name, so the demo's ids never change between runs.
    private func uuid(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let high = fnv1a(bytes, seed: 0xcbf2_9ce4_8422_2325)
        let low = fnv1a(bytes, seed: 0x8422_2325_cbf2_9ce4)
        var raw = (0..<8).map { UInt8(truncatingIfNeeded: high >> (8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (8 * $0)) }
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        let hex = raw.map(hex2).joined()
        let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
            String(hex.dropFirst(range.lowerBound).prefix(range.count))
        }
        return parts.joined(separator: "-")
    }

    private func fnv1a(_ bytes: [UInt8], seed: UInt64) -> UInt64 {
        bytes.reduce(seed) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    private func hex2(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}

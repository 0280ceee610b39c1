import Foundation
import StacktopModel
import StacktopServices

/// The XML a launch writes: the root overlay volume and the domain.
enum LaunchXML {
    /// A qcow2 copy-on-write overlay on the image: the image itself is never written to.
    static func rootOverlay(name: String, capacityBytes: UInt64, backingPath: String, backingFormat: String) -> String {
        """
        <volume><name>\(XMLText.escape(name))</name><capacity unit='bytes'>\(capacityBytes)</capacity>\
        <target><format type='qcow2'/></target>\
        <backingStore><path>\(XMLText.escape(backingPath))</path><format type='\(backingFormat)'/></backingStore></volume>
        """
    }

    /// A domain for `name` with its root disk, optional seed CD-ROM, one NIC per network (each filtered
    /// by the instance's nwfilter when the host has filters), a logged serial console and VNC on loopback.
    static func domain(uuid: String, name: String, type: String, flavor: Flavor, rootPath: String, rootFormat: String,
                       seedPath: String?, networks: [Network], filterName: String?, serialLogPath: String?) -> String {
        var devices: [String] = []
        devices.append("""
            <disk type='file' device='disk'><driver name='qemu' type='\(rootFormat)'/>\
            <source file='\(XMLText.escape(rootPath))'/><target dev='vda' bus='virtio'/></disk>
            """)
        if let seedPath {
            devices.append("""
                <disk type='file' device='cdrom'><driver name='qemu' type='raw'/>\
                <source file='\(XMLText.escape(seedPath))'/><target dev='sda' bus='sata'/><readonly/></disk>
                """)
        }
        for network in networks {
            let filter = filterName.map { "<filterref filter='\($0)'/>" } ?? ""
            devices.append("<interface type='network'><source network='\(XMLText.escape(network.name))'/>"
                           + "<model type='virtio'/>\(filter)</interface>")
        }
        let log = serialLogPath.map { "<log file='\(XMLText.escape($0))' append='on'/>" } ?? ""
        devices.append("<serial type='pty'>\(log)<target port='0'/></serial>")
        devices.append("<console type='pty'><target type='serial' port='0'/></console>")
        devices.append("<graphics type='vnc' autoport='yes' listen='127.0.0.1'/>")
        return """
            <domain type='\(type)'>
              <name>\(XMLText.escape(name))</name>
              <uuid>\(uuid)</uuid>
              <memory unit='MiB'>\(flavor.ramMiB)</memory>
              <vcpu>\(flavor.vcpus)</vcpu>
              <os><type arch='x86_64'>hvm</type><boot dev='hd'/></os>
              <features><acpi/><apic/></features>
              <on_poweroff>destroy</on_poweroff><on_reboot>restart</on_reboot><on_crash>destroy</on_crash>
              <devices>
                \(devices.joined(separator: "\n    "))
              </devices>
            </domain>
            """
    }
}

/// A cloud-init NoCloud seed disk (an ISO labelled `cidata`), made with Debian's genisoimage.
enum SeedDisk {
    static func metaData(instanceID: String, hostname: String, keypair: Keypair?) -> String {
        var lines = ["instance-id: \(instanceID)", "local-hostname: \(hostname)"]
        if let keypair { lines += ["public-keys:", "  - \"\(keypair.publicKey)\""] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The user's user data, or a minimal cloud-config that only installs the key.
    static func userData(_ given: String?, keypair: Keypair?) -> String {
        if let given { return given }
        var text = "#cloud-config\n"
        if let keypair { text += "ssh_authorized_keys:\n  - \"\(keypair.publicKey)\"\n" }
        return text
    }

    /// Builds the ISO in a temporary directory and returns its path; the caller removes the directory.
    static func build(metaData: String, userData: String, in directory: String) throws -> String {
        try Data(metaData.utf8).write(to: URL(fileURLWithPath: directory + "/meta-data"))
        try Data(userData.utf8).write(to: URL(fileURLWithPath: directory + "/user-data"))
        let iso = directory + "/seed.iso"
        let result = try ProcessRunner.run(["genisoimage", "-quiet", "-output", iso, "-volid", "cidata", "-joliet",
                                            "-rock", directory + "/user-data", directory + "/meta-data"])
        guard result.status == 0 else {
            if result.status == 127 {
                throw BackendError.failed(what: "Making the cloud-init seed disk",
                                          reason: "genisoimage was not found; install it with `apt-get install genisoimage`")
            }
            throw BackendError.failed(what: "Making the cloud-init seed disk", reason: result.output)
        }
        return iso
    }
}

import XCTest
@testable import LocalBackend
import StacktopModel

final class LibvirtXMLTreeTests: XCTestCase {
    func testElementsAttributesTextAndEntities() throws {
        let root = try XMLTree.parse("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE node [ <!ELEMENT node ANY> ]>
            <!-- leading comment -->
            <node xmlns:test="http://libvirt.org/schemas/domain/test/1.0" kind='a &amp; b'>
              <name>db &lt;primary&gt; &quot;x&quot; &apos;y&apos;</name>
              <unicode>&#233;&#x4E2D;数据库</unicode>
              <?processing instruction?>
              <empty attr = "1" other='&#60;'/>
              <!-- a comment with <tags> inside -->
              <code><![CDATA[if a < b && c]]></code>
              <test:runstate>5</test:runstate>
            </node>
            """)
        XCTAssertEqual(root.name, "node")
        XCTAssertEqual(root[attribute: "kind"], "a & b")
        XCTAssertEqual(root.text, "", "whitespace between child elements is not text")
        XCTAssertEqual(root.children.map(\.name), ["name", "unicode", "empty", "code", "test:runstate"])
        XCTAssertEqual(root.child("name")?.text, "db <primary> \"x\" 'y'")
        XCTAssertEqual(root.child("unicode")?.text, "é中数据库")
        XCTAssertEqual(root.child("empty")?.attributes,
                       [XMLTree.Attribute(name: "attr", value: "1"), XMLTree.Attribute(name: "other", value: "<")])
        XCTAssertEqual(root.child("code")?.text, "if a < b && c")
        XCTAssertEqual(root.child("test:runstate")?.text, "5")
        XCTAssertNil(root.child("missing"))
    }

    func testNestedPathsAndTrimmedText() throws {
        let root = try XMLTree.parse("<pool><target>\n  <path> /var/lib/x </path>\n</target></pool>")
        XCTAssertEqual(root.first("target", "path")?.trimmedText, "/var/lib/x")
        XCTAssertNil(root.first("target", "format"))
    }

    private func assertParseError(_ xml: String, mentions fragments: [String], line: Int? = nil,
                                  file: StaticString = #filePath, lineNumber: UInt = #line) {
        do {
            let root = try XMLTree.parse(xml)
            XCTFail("parsed malformed XML as <\(root.name)>", file: file, line: lineNumber)
        } catch {
            for fragment in fragments {
                XCTAssertTrue(error.description.contains(fragment), "\"\(error)\" lacks \"\(fragment)\"",
                              file: file, line: lineNumber)
            }
            if let line { XCTAssertEqual(error.line, line, file: file, line: lineNumber) }
        }
    }

    func testMalformedXMLNamesWhatCouldNotBeRead() {
        assertParseError("<domain>\n<devices>\n<disk></devices>\n</domain>",
                         mentions: ["</devices>", "<disk>"], line: 3)
        assertParseError("<domain><name>web", mentions: ["<name>", "never closed"])
        assertParseError("<domain><name>a &bogus; b</name></domain>", mentions: ["&bogus;"])
        assertParseError("<domain><name>a & b</name></domain>", mentions: ["&"])
        assertParseError("<disk type=file/>", mentions: ["type", "<disk>", "not quoted"])
        assertParseError("<disk type='file/>", mentions: ["type", "never closed"])
        assertParseError("<disk type/>", mentions: ["type", "="])
        assertParseError("", mentions: ["empty"])
        assertParseError("   just text", mentions: ["before the root element"])
        assertParseError("<a/><b/>", mentions: ["after the root element"])
        assertParseError("<a><!-- unterminated </a>", mentions: ["comment", "never closed"])
        assertParseError("<a>&#xZZ;</a>", mentions: ["&#xZZ;"])
        assertParseError("<a><</a>", mentions: ["element name"])
    }

    func testDeepNestingDoesNotOverflowTheStack() throws {
        let depth = 20_000
        let xml = String(repeating: "<a>", count: depth) + "x" + String(repeating: "</a>", count: depth)
        var element = try XMLTree.parse(xml)
        var levels = 1
        while let child = element.children.first { element = child; levels += 1 }
        XCTAssertEqual(levels, depth)
        XCTAssertEqual(element.text, "x")
    }

    func testDomainDefinitionReadsDevices() throws {
        let root = try XMLTree.parse("""
            <domain><devices>
              <disk type='block' device='lun'><driver name='qemu' type='raw'/><source dev='/dev/sdb'/>
                <target dev='sdb' bus='scsi'/><readonly/></disk>
              <disk type='volume'><source pool='p' volume='v 1'/><target dev='vdc'/></disk>
              <disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>
              <interface type='direct'><mac address='52:54:00:aa:bb:cc'/><source dev='eth0' mode='vepa'/></interface>
              <graphics type='spice' autoport='yes'><listen type='address' address='::1'/></graphics>
            </devices></domain>
            """)
        let definition = DomainDefinition(xml: root)
        XCTAssertEqual(definition.disks.map(\.disk), [
            InstanceDisk(target: "sdb", source: "/dev/sdb", device: .lun, format: "raw", bus: "scsi", readOnly: true),
            InstanceDisk(target: "vdc", source: "p/v 1"),
            InstanceDisk(target: "hdc", device: .cdrom, bus: "ide"),
        ])
        XCTAssertEqual(definition.disks[1].pool, "p")
        XCTAssertEqual(definition.disks[1].volume, "v 1")
        XCTAssertEqual(definition.interfaces,
                       [InstanceInterface(mac: "52:54:00:aa:bb:cc", network: "eth0", type: "direct")])
        XCTAssertEqual(definition.graphics, [GraphicsConsole(type: "spice", listen: "::1", port: -1, autoport: true)])
    }

    func testNetworkDefinitionComputesSubnets() throws {
        let root = try XMLTree.parse("""
            <network><name>n</name><forward/><bridge name='br9'/>
              <ip address='10.1.2.3' netmask='255.255.0.0'/>
              <ip family='ipv6' address='2001:db8:ca2:2::1' prefix='64'>
                <dhcp><range start='2001:db8:ca2:2::100' end='2001:db8:ca2:2::1ff'/></dhcp></ip>
              <ip address='192.168.7.77' prefix='28'/>
            </network>
            """)
        let definition = NetworkDefinition(xml: root)
        XCTAssertEqual(definition.forwardMode, "nat", "an empty <forward/> means NAT")
        XCTAssertEqual(definition.bridge, "br9")
        XCTAssertEqual(definition.subnets.map(\.cidr), ["10.1.0.0/16", "2001:db8:ca2:2::/64", "192.168.7.64/28"])
        XCTAssertEqual(definition.subnets[1].dhcpStart, "2001:db8:ca2:2::100")
        XCTAssertEqual(definition.subnets[0].gateway, "10.1.2.3")
        XCTAssertEqual(NetworkDefinition(xml: try XMLTree.parse("<network/>")).forwardMode, "isolated")
    }
}

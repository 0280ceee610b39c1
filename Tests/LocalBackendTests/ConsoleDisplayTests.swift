import LocalBackend
import StacktopServices
import XCTest

/// The VNC address from domain XML, checked against what `virsh domdisplay` prints for the same XML.
final class ConsoleDisplayTests: XCTestCase {
    private func domain(_ graphics: String) -> String {
        "<domain type='qemu'><name>web-01</name><devices><serial type='pty'/>\(graphics)</devices></domain>"
    }

    private func display(_ graphics: String, host: String = "kvm1.example", running: Bool = true) throws -> GraphicsDisplay {
        try GraphicsDisplayResolver.display(domainXML: domain(graphics), instanceName: "web-01", hostName: host,
                                            isRunning: running)
    }

    func testAutoportOfARunningGuestIsItsLivePort() throws {
        // The live XML of the shared test guest (autoport, listen on loopback, both attribute and element).
        let shown = try display("""
            <graphics type='vnc' port='5901' autoport='yes' listen='127.0.0.1'>
              <listen type='address' address='127.0.0.1'/>
            </graphics>
            """)
        XCTAssertEqual(shown.endpoint, .tcp(host: "127.0.0.1", port: 5901))
        XCTAssertEqual(shown.uri, "vnc://127.0.0.1:1")
        XCTAssertNil(shown.password)
    }

    func testFixedPortWithPassword() throws {
        let shown = try display("<graphics type='vnc' port='5907' autoport='no' listen='192.0.2.10' passwd='s3cret'/>")
        XCTAssertEqual(shown.uri, "vnc://192.0.2.10:7")
        XCTAssertEqual(shown.password, "s3cret")
    }

    func testWildcardListenMeansTheHost() throws {
        XCTAssertEqual(try display("<graphics type='vnc' port='5900' listen='0.0.0.0'/>").uri, "vnc://kvm1.example:0")
        XCTAssertEqual(try display("<graphics type='vnc' port='5900'><listen type='address' address='::'/></graphics>").uri,
                       "vnc://kvm1.example:0")
        XCTAssertEqual(try display("<graphics type='vnc' port='5902' listen='::1'/>").uri, "vnc://[::1]:2")
        XCTAssertEqual(try display("<graphics type='vnc' port='5900'/>").uri, "vnc://localhost:0")
    }

    func testUnixSocket() throws {
        let shown = try display("<graphics type='vnc'><listen type='socket' socket='/run/libvirt/qemu/web-01.vnc'/></graphics>")
        XCTAssertEqual(shown.endpoint, .socket(path: "/run/libvirt/qemu/web-01.vnc"))
        XCTAssertEqual(shown.uri, "vnc+unix:///run/libvirt/qemu/web-01.vnc")
    }

    func testNoGraphicsAndNotRunningSaySo() {
        XCTAssertThrowsError(try display("")) { error in
            XCTAssertEqual(error as? BackendError, .unavailable(feature: "VNC display", reason: "web-01 has no VNC display; add "
                + "<graphics type='vnc' autoport='yes' listen='127.0.0.1'/> to its definition (virsh edit web-01) and restart it."))
        }
        XCTAssertThrowsError(try display("<graphics type='vnc' port='-1' autoport='yes'/>", running: false)) { error in
            XCTAssertEqual(error as? BackendError, .wrongState(name: "web-01", state: "not running", action: nil,
                                                               needs: .so("its VNC display has no port yet"), advice: "start it first"))
        }
        XCTAssertThrowsError(try display("<graphics type='vnc' port='-1' autoport='yes'/>")) { error in
            guard case .unavailable("VNC display", let reason)? = error as? BackendError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.hasPrefix("libvirt reports no port for the VNC display of web-01"), reason)
        }
        XCTAssertThrowsError(try display("<graphics type='sdl'/>")) { error in
            guard case .unavailable("VNC display", let reason)? = error as? BackendError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("(it has sdl graphics, which stacktop cannot open)"), reason)
        }
    }

    func testSpiceIsUsedWhenThereIsNoVNC() throws {
        XCTAssertEqual(try display("<graphics type='spice' port='5930' listen='127.0.0.1'/>").uri, "spice://127.0.0.1:5930")
    }

    func testURIHost() {
        XCTAssertNil(GraphicsDisplayResolver.uriHost("qemu:///system"))
        XCTAssertNil(GraphicsDisplayResolver.uriHost("test:///tmp/node.xml"))
        XCTAssertEqual(GraphicsDisplayResolver.uriHost("qemu+ssh://root@kvm1/system"), "kvm1")
        XCTAssertEqual(GraphicsDisplayResolver.uriHost("qemu+tcp://kvm2:16509/system"), "kvm2")
        XCTAssertEqual(GraphicsDisplayResolver.uriHost("qemu+ssh://[2001:db8::1]/system"), "2001:db8::1")
    }
}

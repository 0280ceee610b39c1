import XCTest
import Foundation
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// The Floating IPs, Routers and Hypervisors panels with a cloud's data (the demo cloud, a libvirt
/// host, has no floating IPs or routers): rows, details, panel order and screens.
final class NetworkingPanelTests: XCTestCase {
    static let cloud = CloudSnapshot(
        instances: SampleCloud.snapshot.instances,
        hypervisors: [
            Hypervisor(id: "1", hostname: "compute-1", type: "QEMU", state: "up", status: "enabled", hostIP: "192.0.2.11",
                       vcpus: 32, vcpusUsed: 12, memoryMiB: 131_072, memoryUsedMiB: 49_152, localDiskGiB: 900,
                       localDiskUsedGiB: 240, runningVMs: 9),
            Hypervisor(id: "2", hostname: "compute-2", type: "QEMU", state: "down", status: "disabled", runningVMs: 0),
        ],
        floatingIPs: [
            FloatingIP(id: "fip-1", address: "172.24.4.10", status: "ACTIVE", project: "engineering", network: "public",
                       fixedAddress: "10.0.0.5", portID: "port-web", server: "web-01", router: "edge"),
            FloatingIP(id: "fip-2", address: "172.24.4.9", status: "DOWN", project: "engineering", network: "public"),
        ],
        routers: [
            Router(id: "rt-1", name: "edge", status: "ACTIVE", project: "engineering", externalNetwork: "public",
                   externalAddresses: ["172.24.4.2"], interfaces: [
                       RouterInterface(subnet: "private-subnet", cidr: "10.0.0.0/24", address: "10.0.0.1", portID: "p1"),
                       RouterInterface(subnet: "db-subnet", cidr: "10.0.1.0/24", address: "10.0.1.1", portID: "p2")]),
            Router(id: "rt-2", name: "isolated", status: "DOWN", adminStateUp: false, project: "engineering"),
        ],
        ports: [Port(id: "port-web", name: "web-eth0", network: "private", macAddress: "fa:16:3e:00:00:05",
                     fixedIPs: ["10.0.0.5"], deviceOwner: "compute:nova", deviceID: "srv-1", device: "web-01",
                     status: "ACTIVE", project: "engineering")],
        takenAt: SampleCloud.now)

    private func state(_ size: Size, panel: Panel) -> AppState {
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "testcloud"), readOnly: false,
                             size: size, now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(Self.cloud, origin: .live))
        state.panel = panel
        return state
    }

    func testNewPanelsComeAfterTheFirstTenWithoutDigits() {
        XCTAssertEqual(Array(Panel.allCases.suffix(3)), [.floatingIPs, .routers, .hypervisors])
        XCTAssertEqual(Panel.allCases.prefix(10).map(\.digit), Array("1234567890"))
        XCTAssertEqual(Panel.allCases.compactMap(\.digitKey).count, 10)
        XCTAssertEqual(Panel.floatingIPs.digit, Panel.noDigit)
        XCTAssertEqual(Panel.floatingIPs.resourceKind, .floatingIP)
        XCTAssertEqual(Panel.routers.resourceKind, .router)
        XCTAssertEqual(Panel.hypervisors.resourceKind, .hypervisor)
        for (word, panel) in [("fip", Panel.floatingIPs), ("routers", .routers), ("hypervisors", .hypervisors)] {
            XCTAssertEqual(Panel.allCases.first { $0.commandAliases.contains(word) }, panel, word)
        }
        var state = state(Size(width: 120, height: 40), panel: .projects)
        _ = state.handle(.key(.tab))
        XCTAssertEqual(state.panel, .volumeSnapshots, "Tab goes on past the tenth panel")
        _ = state.runCommandLine("hypervisors")
        XCTAssertEqual(state.panel, .hypervisors)
        _ = state.runCommandLine("fip")
        XCTAssertEqual(state.panel, .floatingIPs)
    }

    func testFloatingIPRowsAndDetails() throws {
        let rows = KindSpec.floatingIPs.rows(Self.cloud)
        let now = SampleCloud.now
        XCTAssertEqual(rows[0].values.map { $0.display(now: now) },
                       ["172.24.4.10", "web-01", "10.0.0.5", "public", "edge", "engineering", "active"])
        XCTAssertEqual(rows[1].values.map { $0.display(now: now) }, ["172.24.4.9", "-", "-", "public", "-", "engineering", "down"])
        XCTAssertEqual(rows.map { $0.roles.last ?? nil }, [.stateRunning, .stateShutoff])
        let details = try XCTUnwrap(KindSpec.floatingIPs.details(Self.cloud, "fip-2"))
        XCTAssertEqual(details[1].lines.first?.value, "not associated: press A to map it to a server")
        XCTAssertEqual(KindSpec.floatingIPs.name(Self.cloud, "fip-1"), "172.24.4.10",
                       "actions name a floating IP by its address")
    }

    func testRouterAndHypervisorRows() throws {
        let now = SampleCloud.now
        let routers = KindSpec.routers.rows(Self.cloud)
        XCTAssertEqual(routers[0].values.map { $0.display(now: now) },
                       ["edge", "public", "172.24.4.2", "private-subnet, db-subnet", "up", "engineering", "active"])
        XCTAssertEqual(routers[1].values.map { $0.display(now: now) }, ["isolated", "-", "-", "-", "down", "engineering", "down"])
        let details = try XCTUnwrap(KindSpec.routers.details(Self.cloud, "rt-2"))
        XCTAssertEqual(details[0].lines.last?.value, "none: subnets behind it cannot reach outside")

        let hosts = KindSpec.hypervisors.rows(Self.cloud)
        XCTAssertEqual(hosts[0].values.map { $0.display(now: now) },
                       ["compute-1", "QEMU", "up", "enabled", "12", "32", "48G", "128G", "240G", "900G", "9", "192.0.2.11"])
        XCTAssertEqual(hosts[1].values[4], .missing, "2.88+ hides capacity: shown as -, not 0")
        XCTAssertEqual(hosts[1].roles[2], .stateError)
        let exported = try TableExport.render(.hypervisors, snapshot: Self.cloud, format: .json, columns: [], now: now)
        XCTAssertTrue(exported.contains("\"vcpus_used\": 12"), exported)

        let ports = KindSpec.ports.rows(Self.cloud)
        XCTAssertEqual(ports.first?.values[4], .text("web-01"))
    }

    func testScreensWithCloudData() throws {
        for (panel, size) in [(Panel.floatingIPs, Size(width: 120, height: 40)), (.routers, Size(width: 120, height: 40)),
                              (.hypervisors, Size(width: 120, height: 40)), (.floatingIPs, Size(width: 80, height: 24))] {
            try assertScreenSnapshot(state(size, panel: panel), named: "cloud-\(panel.word)-\(size.width)x\(size.height)")
        }
    }
}

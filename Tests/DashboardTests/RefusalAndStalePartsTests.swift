import XCTest
import StacktopModel
import StacktopServices
import TerminalUI
@testable import Dashboard

/// Issue 11: refused credentials wait for the user, "last good" only when something loaded, a service
/// that fails leaves only its own lists stale; and the tables that now follow the services' own counts.
final class RefusalAndStalePartsTests: XCTestCase {
    private let refusal = "Keystone refused the credentials for user demo (project demo (domain Default)) on "
        + "http://127.0.0.1:5000/v3: check OS_PASSWORD / the application credential."

    private func freshState() -> AppState {
        AppState(backend: BackendDescription(kind: .openstack, endpoint: "peer"), readOnly: false,
                 size: Size(width: 260, height: 24), now: SampleCloud.now)
    }

    private func statusLine(_ state: AppState) -> String {
        let lines = DashboardView.render(state).text.split(separator: "\n", omittingEmptySubsequences: false)
        return String(lines[lines.count - 2])
    }

    func testRefusedCredentialsBeforeAnyDataSayWhatAndHowToRetryWithoutLastGood() {
        var state = freshState()
        _ = state.handle(.loadFailed(message: refusal, waitsForUser: true))
        XCTAssertTrue(state.retryWaitsForUser)
        let line = statusLine(state)
        XCTAssertTrue(line.contains("Nothing loaded from peer: Keystone refused the credentials for user demo"), line)
        XCTAssertTrue(line.contains("check OS_PASSWORD / the application credential, then press r to try again."), line)
        XCTAssertFalse(line.contains("last good"), line)
        XCTAssertFalse(line.contains("Loading"), line)
        // r asks for one more try; a success ends the wait.
        XCTAssertEqual(state.handle(.key(.character("r"))), [.refresh])
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        XCTAssertFalse(state.retryWaitsForUser)
        XCTAssertNil(state.staleSince)
    }

    func testAnOrdinaryFailureStillRetriesAndLastGoodIsWhenTheDataWasRead() {
        var state = freshState()
        var snapshot = SampleCloud.snapshot
        snapshot.takenAt = SampleCloud.now.addingTimeInterval(-90)
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        _ = state.handle(.loadFailed(message: "Could not reach http://127.0.0.1:8774: connection refused."))
        XCTAssertFalse(state.retryWaitsForUser)
        let line = statusLine(state)
        XCTAssertTrue(line.contains("Data is stale (last good \(Format.clock(snapshot.takenAt)), 90s ago)"), line)
        XCTAssertFalse(line.contains("press r"), line)
    }

    func testAStalePartIsNamedWithItsReasonAndTheRestStaysLive() {
        var state = freshState()
        var snapshot = SampleCloud.snapshot
        snapshot.staleParts = [StalePart(what: "projects", reason: "Could not reach http://127.0.0.1:5000/v3: connection refused.",
                                         lastGood: SampleCloud.now.addingTimeInterval(-30))]
        _ = state.handle(.snapshotLoaded(snapshot, origin: .live))
        XCTAssertNil(state.staleSince, "the snapshot itself is live")
        let screen = DashboardView.render(state).text
        XCTAssertTrue(screen.contains("PARTLY STALE"), screen)
        XCTAssertFalse(screen.contains(" STALE  "), screen)
        let line = statusLine(state)
        XCTAssertTrue(line.contains("Projects is stale (last read \(Format.clock(SampleCloud.now.addingTimeInterval(-30)))); "
                                    + "the rest is live: Could not reach http://127.0.0.1:5000/v3"), line)
    }

    func testTheWallSaysPressRInsteadOfRetryingByItself() {
        var state = freshState()
        state.enterWall(WallSettings())
        _ = state.handle(.loadFailed(message: refusal, waitsForUser: true))
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("then press r to try again"), text)
        XCTAssertFalse(text.contains("retrying by itself"), text)
    }

    // MARK: Tables

    func testSubnetsTableListsEveryNetworksSubnetsWithPoolsOnBothKindsOfNetwork() {
        let snapshot = CloudSnapshot(networks: [
            Network(id: "n1", name: "app-net", subnets: [
                Subnet(cidr: "10.50.0.0/24", gateway: "10.50.0.1", id: "s1", name: "app-subnet", ipVersion: 4,
                       dhcpEnabled: false, allocationPools: ["10.50.0.10-10.50.0.99"])]),
            // A libvirt network: its range has no id or name.
            Network(id: "uuid-default", name: "default", subnets: [
                Subnet(cidr: "192.168.122.0/24", gateway: "192.168.122.1", dhcpStart: "192.168.122.2",
                       dhcpEnd: "192.168.122.254")]),
        ])
        let rows = KindSpec.subnets.rows(snapshot)
        XCTAssertEqual(rows.map(\.id), ["s1", "uuid-default/192.168.122.0/24"])
        XCTAssertEqual(rows[0].values.map { $0.display(now: SampleCloud.now) },
                       ["app-subnet", "app-net", "10.50.0.0/24", "4", "10.50.0.1", "no", "10.50.0.10-10.50.0.99", "s1"])
        XCTAssertEqual(rows[1].values.map { $0.display(now: SampleCloud.now) },
                       ["192.168.122.0/24", "default", "192.168.122.0/24", "4", "192.168.122.1", "yes",
                        "192.168.122.2-192.168.122.254", "uuid-default/192.168.122.0/24"])
        let details = KindSpec.subnets.details(snapshot, "s1")
        XCTAssertEqual(details?.first?.lines.first { $0.label == "Allocation pools" }?.value, "10.50.0.10-10.50.0.99")
    }

    func testNetworkPortsAreTheServicesCountWhenItHasOne() {
        let nic = InstanceInterface(mac: "fa:16:3e:00:00:01", network: "app-net")
        let snapshot = CloudSnapshot(
            instances: [Instance(id: "i1", name: "app-01", state: .running, vcpus: 1, memoryMiB: 512, interfaces: [nic])],
            networks: [Network(id: "n1", name: "app-net", portCount: 3), Network(id: "n2", name: "lab")],
            ports: [Port(id: "p1", name: "", network: "app-net", macAddress: "fa:16:3e:00:00:01", deviceOwner: "compute:nova",
                         device: "app-01", status: "ACTIVE"),
                    Port(id: "p2", name: "", network: "app-net", macAddress: "fa:16:3e:00:00:02",
                         deviceOwner: "network:router_interface", device: "app-router", status: "DOWN"),
                    Port(id: "p3", name: "spare", network: "app-net", macAddress: "fa:16:3e:00:00:03", status: "DOWN")])
        let rows = KindSpec.networks.rows(snapshot)
        let portsColumn = KindSpec.networks.columns.firstIndex { $0.key == "ports" }!
        XCTAssertEqual(rows.map { $0.values[portsColumn] }, [.integer(3), .integer(0)])
        let section = KindSpec.networks.details(snapshot, "n1")?.first { $0.title == "Ports" }
        XCTAssertEqual(section?.lines.count, 3)
    }

    func testQuotasShowTheirUnitsAndJSONKeepsTheNumbers() {
        let snapshot = CloudSnapshot(quotas: [ProjectQuotas(project: "demo", usages: [
            QuotaUsage(resource: .gigabytes, used: 5, limit: 1000), QuotaUsage(resource: .ramMiB, used: 512, limit: 51200),
            QuotaUsage(resource: .floatingIPs, used: 0, limit: 50)])])
        let rows = KindSpec.quotas.rows(snapshot)
        let shown = rows.map { row in row.values.prefix(5).map { $0.display(now: SampleCloud.now) } }
        XCTAssertEqual(shown, [["demo", "Volume Storage", "5 GiB", "1000 GiB", "GiB"],
                               ["demo", "RAM", "512 MiB", "50 GiB", "MiB"],
                               ["demo", "Floating IPs", "0", "50", "-"]])
        XCTAssertEqual(rows[0].values[2].exportValue, .number(5))
    }

    func testProjectsCountTheServicesInstancesWhenKnown() {
        let snapshot = CloudSnapshot(projects: [Project(id: "p1", name: "demo", instanceCount: 1),
                                                Project(id: "p2", name: "admin")])
        let rows = KindSpec.projects.rows(snapshot)
        XCTAssertEqual(rows.map { $0.values[3] }, [.integer(1), .integer(0)])
    }

    func testAttachedVolumesShowByNameOnTheirDeviceAndStayOutOfTheDiskFigure() {
        let instance = Instance(id: "i1", name: "app-01", state: .running, vcpus: 1, memoryMiB: 512, disks: [
            InstanceDisk(target: "root", source: "img-1", capacityBytes: 20 << 30),
            InstanceDisk(target: "vdb", source: "data-05", capacityBytes: 1 << 30, volumeID: "v5")])
        XCTAssertEqual(instance.diskGiB, 20)
        let disks = InstanceDetails.sections(instance, now: SampleCloud.now).first { $0.title == "Disks" }
        XCTAssertEqual(disks?.lines.last?.value, "data-05 on /dev/vdb  1G")
    }

    func testTheRawViewIsTitledByTheBackend() {
        var state = AppState(backend: BackendDescription(kind: .openstack, endpoint: "peer", rawDefinitionTitle: "Nova server JSON"),
                             readOnly: false, size: Size(width: 100, height: 24), now: SampleCloud.now)
        _ = state.handle(.snapshotLoaded(SampleCloud.snapshot, origin: .live))
        state.overlays = [.raw(id: "uuid-1", name: "web-01", text: "{}", scroll: 0)]
        let text = DashboardView.render(state).text
        XCTAssertTrue(text.contains("web-01 · Nova server JSON"), text)
        XCTAssertFalse(text.contains("libvirt XML"), text)
    }
}

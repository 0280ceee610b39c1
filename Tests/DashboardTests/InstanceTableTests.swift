import XCTest
import Foundation
import StacktopModel
import StacktopServices
import StacktopTestSupport
import TerminalUI
@testable import Dashboard

/// Horizon's instance table (issue 15, item 6): its columns and widths at three sizes, `-f json` keys,
/// `KIND show`; and the live statistics (item 7): rates from two reads, a first read's "-", sparklines.
final class InstanceTableTests: XCTestCase {
    private func demoState(size: Size, snapshot: CloudSnapshot? = nil) async throws -> AppState {
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: false, theme: .builtIn, glyphs: .unicode,
                             size: size, now: demo.snapshot.takenAt)
        _ = state.handle(.snapshotLoaded(snapshot ?? demo.snapshot, origin: .live))
        return state
    }

    private func screen(_ state: AppState) -> [String] {
        DashboardView.render(state).text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    func testInstancesAt200x60() async throws {
        var state = try await demoState(size: Size(width: 200, height: 60))
        state.panel = .instances
        try assertScreenSnapshot(state, named: "instances-200x60")
    }

    /// Flavor was cut ("custom.2…") at 200 columns while Name had ~48 blank ones; Project in Quotas was ~60 wide.
    func testWidthsComeFromContent() async throws {
        var state = try await demoState(size: Size(width: 200, height: 60))
        state.panel = .instances
        let rows = screen(state)
        XCTAssertTrue(rows.contains { $0.contains(" custom.2c1g ") }, rows.joined(separator: "\n"))
        XCTAssertFalse(rows.contains { $0.contains("…") }, "nothing is cut at 200 columns:\n" + rows.joined(separator: "\n"))
        let header = try XCTUnwrap(rows.first { $0.contains("Name▲") })
        for title in ["ID", "Image", "IP Addresses", "Flavor", "Key Pair", "Status", "AZ", "Task", "Power", "Age"] {
            XCTAssertTrue(header.contains(title), "\(title) in \(header)")
        }
        // Name is as wide as its longest name and one gap: "log collector" (13) then the next column.
        let name = try XCTUnwrap(header.range(of: "Name▲")), image = try XCTUnwrap(header.range(of: "Image"))
        XCTAssertLessThanOrEqual(header.distance(from: name.lowerBound, to: image.lowerBound), 15, header)

        state.panel = .quotas
        let quotas = screen(state)
        let quotaHeader = try XCTUnwrap(quotas.first { $0.contains("Project▲") })
        let project = try XCTUnwrap(quotaHeader.range(of: "Project▲")), resource = try XCTUnwrap(quotaHeader.range(of: "Resource"))
        XCTAssertLessThanOrEqual(quotaHeader.distance(from: project.lowerBound, to: resource.lowerBound), 13, quotaHeader)
    }

    func testTheLayoutNeverCutsOneColumnWhileAnotherHasRoom() {
        let specs = [ColumnSpec("Name", key: "name", width: .flexible(min: 12, weight: 3)),
                     ColumnSpec("Flavor", key: "flavor", width: .fixed(9), priority: 5),
                     ColumnSpec("Project", key: "project", width: .flexible(min: 9, weight: 1), priority: 6)]
        let layout = TableLayout(specs: specs, width: 80, content: [10, 11, 11])
        XCTAssertEqual(layout.columns.map(\.width), [12, 11, 11], "each as wide as it needs, the rest left blank")
        // Too narrow for all: the least important goes before a more important one is cut.
        let narrow = TableLayout(specs: specs, width: 26, content: [14, 11, 11])
        XCTAssertEqual(narrow.columns.map(\.index), [0, 1])
        XCTAssertEqual(narrow.columns.map(\.width), [14, 11])
        // The last one left is cut rather than dropped, when it is the only one that does not fit.
        let cut = TableLayout(specs: specs, width: 24, content: [14, 11, 11])
        XCTAssertEqual(cut.columns.map(\.width), [14, 9])
    }

    func testJSONKeysFollowTheOpenStackCLI() throws {
        let out = try TableExport.render(.instances, snapshot: DemoCloud.snapshot, format: .json, now: DemoCloud.now)
        let rows = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]])
        let first = try XCTUnwrap(rows.first)
        for key in ["id", "name", "image", "addresses", "flavor", "key_name", "status", "availability_zone",
                    "task_state", "power_state", "locked", "created", "ram_mib", "disk_gib", "vcpus", "cpu_percent"] {
            XCTAssertTrue(first.keys.contains(key), "\(key) in \(first.keys.sorted())")
        }
        for old in ["state", "ips", "age", "ram", "disk"] { XCTAssertNil(first[old], old) }
        let db = try XCTUnwrap(rows.first { $0["name"] as? String == "db primary" })
        XCTAssertEqual(db["id"] as? String, "9d85e82d-619a-4896-a40a-31aba154920f", "the whole id, not the short one")
        XCTAssertEqual(db["locked"] as? Bool, true)
        XCTAssertEqual(db["power_state"] as? String, "Running")
        XCTAssertTrue(db["task_state"] is NSNull)
        XCTAssertEqual(db["created"] as? String, "2026-08-22T13:43:20Z")
        XCTAssertEqual(db["ram_mib"] as? Int, 8192)
        XCTAssertEqual(db["disk_gib"] as? Int, 140)
        XCTAssertTrue(db["cpu_percent"] is NSNull, "the demo measures nothing")
        // Scripts that said `-c state` still get the column.
        let picked = try TableExport.render(.instances, snapshot: DemoCloud.snapshot, format: .json,
                                            columns: ["name", "state"], now: DemoCloud.now)
        XCTAssertTrue(picked.contains("\"status\": \"running\""), picked)
    }

    func testShowListsEveryFieldByNameOrID() throws {
        let snapshot = DemoCloud.snapshot
        let json = try XCTUnwrap(TableExport.show(.instances, snapshot: snapshot, name: "db primary", format: .json,
                                                  now: DemoCloud.now))
        XCTAssertEqual(json.matches, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.text.utf8)) as? [String: Any], json.text)
        XCTAssertEqual(object["name"] as? String, "db primary")
        XCTAssertEqual(object["locked"] as? Bool, true)
        XCTAssertEqual(object["security_groups"] as? String, "default", "what only the details say is there too")
        let table = try XCTUnwrap(TableExport.show(.instances, snapshot: snapshot,
                                                   name: "9d85e82d-619a-4896-a40a-31aba154920f", format: .table,
                                                   now: DemoCloud.now)).text
        XCTAssertTrue(table.contains("| Field "), table)
        XCTAssertTrue(table.contains("| created ") && table.contains("2026-08-22T13:43:20Z"), table)
        XCTAssertNil(TableExport.show(.instances, snapshot: snapshot, name: "nosuch", format: .table, now: DemoCloud.now))
        var twice = snapshot
        twice.instances[1].name = twice.instances[0].name
        XCTAssertEqual(TableExport.show(.instances, snapshot: twice, name: twice.instances[0].name, format: .json,
                                        now: DemoCloud.now)?.matches, 2)
        // Another kind, the same way.
        XCTAssertNotNil(TableExport.show(.images, snapshot: snapshot, name: "debian-12", format: .json, now: DemoCloud.now))
    }

    // MARK: live statistics

    private func measured(_ base: CloudSnapshot, at seconds: Double, cpu: UInt64, disk: UInt64) -> CloudSnapshot {
        var snapshot = base
        snapshot.takenAt = base.takenAt.addingTimeInterval(seconds)
        for index in snapshot.instances.indices where snapshot.instances[index].state == .running {
            snapshot.instances[index].cpuTimeNanoseconds = cpu * UInt64(index + 1)
            snapshot.instances[index].usage = InstanceUsage(memoryUsedKiB: 393_216, diskReadBytes: disk,
                                                            diskWriteBytes: disk / 2, networkReceivedBytes: disk * 3,
                                                            networkSentBytes: disk / 4)
        }
        return snapshot
    }

    func testRatesNeedTwoReadsAndShowInTheTableAndDetails() async throws {
        let base = DemoCloud.snapshot
        var state = try await demoState(size: Size(width: 200, height: 60), snapshot: measured(base, at: 0, cpu: 0, disk: 0))
        state.panel = .instances
        let first = state.snapshot!.instances.first { $0.name == "bastion" }!
        XCTAssertNil(first.rates?.cpuPercent, "a first read has no rates")
        XCTAssertEqual(first.rates?.memoryUsedKiB, 393_216)
        for step in 1...12 {
            _ = state.handle(.snapshotLoaded(measured(base, at: Double(step) * 5, cpu: UInt64(step) * 1_000_000_000,
                                                      disk: UInt64(step * step) * 1_048_576), origin: .live))
        }
        let bastion = state.snapshot!.instances.first { $0.name == "bastion" }!
        // bastion is the second instance (index 1): 2 s of CPU per 5 s on 1 vCPU.
        XCTAssertEqual(bastion.rates?.cpuPercent ?? -1, 40, accuracy: 1e-9)
        XCTAssertEqual(state.liveStatistics.tracks[bastion.id]?.cpuPercent.count, 13)
        XCTAssertNil(state.snapshot!.instances.first { $0.state == .shutoff }!.rates, "a stopped guest has none")
        XCTAssertEqual(state.liveStatistics.tracks[bastion.id]?.memoryUsedKiB.last, 393_216)
        try assertScreenSnapshot(state, named: "instances-live-200x60")
        state.now = state.snapshot!.takenAt
        let row = try XCTUnwrap(state.tables[.instances]!.visible.firstIndex { state.tables[.instances]!.rows[$0].id == bastion.id })
        _ = state.handle(.key(.character("g")))
        for _ in 0..<row { _ = state.handle(.key(.down)) }
        _ = state.handle(.key(.enter))
        for _ in 0..<30 { _ = state.handle(.key(.down)) }
        try assertScreenSnapshot(state, named: "instance-details-live-200x60")
    }

    func testACachedSnapshotsRatesAreNotShownAsNow() async throws {
        var cached = DemoCloud.snapshot
        cached.instances[1].rates = InstanceRates(cpuPercent: 55)
        let demo = try await DemoCloudFixture.open()
        var state = AppState(backend: demo.description, readOnly: false, size: Size(width: 120, height: 40),
                             now: demo.snapshot.takenAt)
        _ = state.handle(.snapshotLoaded(cached, origin: .cached))
        XCTAssertNil(state.snapshot!.instances[1].rates)
    }

    func testDetailsSayWhyThereAreNoStatistics() async throws {
        var state = try await demoState(size: Size(width: 120, height: 40))
        state.panel = .instances
        _ = state.handle(.key(.enter))
        for _ in 0..<40 { _ = state.handle(.key(.down)) }
        XCTAssertTrue(screen(state).joined().contains("test driver measures nothing"), screen(state).joined(separator: "\n"))
        state.backend = BackendDescription(kind: .openstack, endpoint: "prod")
        XCTAssertTrue(screen(state).joined(separator: " ").contains("does not expose live statistics"),
                      screen(state).joined(separator: "\n"))
    }
}

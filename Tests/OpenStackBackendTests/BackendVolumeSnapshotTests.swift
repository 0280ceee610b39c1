import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel
import StacktopServices

/// Cinder volume snapshots through the backend, against the scripted transport: the list (paged, named by
/// its volumes, stale or unavailable on its own), create (force only when asked, the in-use refusal said with
/// the way out) and delete by name.
final class BackendVolumeSnapshotTests: XCTestCase {
    private let cinder = "/v3/\(BackendFixture.projectID)"

    private static func snapshot(_ id: String, _ name: String, volume: String, size: Int = 1,
                                 status: String = "available") -> [String: Any] {
        ["id": id, "name": name, "volume_id": volume, "size": size, "status": status, "description": "nightly",
         "created_at": "2026-11-30T10:00:00.000000", "os-extended-snapshot-attributes:project_id": BackendFixture.projectID]
    }

    func testSnapshotsAreReadPageByPageAndNamedByTheirVolumesAndProjects() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/snapshots/detail", query: "marker=s1", json: [
            "snapshots": [Self.snapshot("s2", "", volume: "v-gone", size: 3, status: "error")],
            "snapshots_links": BackendFixture.next("http://cinder.test\(cinder)/snapshots/detail?limit=1&marker=s2")])
        await transport.on(.get, "/snapshots/detail", query: "marker=s2", json: ["snapshots": [] as [Any]])
        await transport.on(.get, "/snapshots/detail", json: [
            "snapshots": [Self.snapshot("s1", "data-nightly", volume: "v1", size: 2)],
            "snapshots_links": BackendFixture.next("http://cinder.test\(cinder)/snapshots/detail?limit=1&marker=s1")])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [
            ["id": "v1", "name": "data", "size": 2, "status": "available"]]])
        await transport.on(.get, "/v3/projects", json: ["projects": [["id": BackendFixture.projectID, "name": "admin"]]])
        // An admin's project list counts servers across projects.
        await transport.on(.get, "/servers/detail", query: "all_tenants=1", json: ["servers": [] as [Any]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(
            pageLimit: 1, parts: SnapshotParts.needed(for: .volumeSnapshot)))

        let snapshot = try await backend.snapshot()

        XCTAssertEqual(snapshot.volumeSnapshots, [
            VolumeSnapshot(id: "s1", name: "data-nightly", volumeID: "v1", volumeName: "data", sizeBytes: 2 << 30,
                           description: "nightly", project: "admin", createdAt: OpenStackDate.parse("2026-11-30T10:00:00.000000")),
            // Its volume is not in the list (gone, or another project's): no name is made up for it.
            VolumeSnapshot(id: "s2", name: "s2", volumeID: "v-gone", volumeName: nil, sizeBytes: 3 << 30, status: "error",
                           description: "nightly", project: "admin", createdAt: OpenStackDate.parse("2026-11-30T10:00:00.000000")),
        ])
        XCTAssertEqual(snapshot.staleParts, [])
        XCTAssertEqual(snapshot.unavailableParts, [])
        let reads = await transport.requests(.get, "/snapshots/detail")
        XCTAssertEqual(reads.count, 3, "every page to the empty last one")
        for read in reads {
            let query = read.url.query ?? ""
            XCTAssertTrue(query.contains("limit=1"), query)
            XCTAssertFalse(query.contains("all_tenants"), "read like the volume list, the token's project only: \(query)")
        }
    }

    func testAFailingSnapshotListGoesStaleAloneAndAForbiddenOneIsUnavailable() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/snapshots/detail", json: ["snapshots": [Self.snapshot("s1", "kept", volume: "v1")]],
                           times: 1)
        await transport.on(.get, "/snapshots/detail", status: 500, json: ["computeFault": ["code": 500, "message": "db down"]],
                           times: 1)
        await transport.on(.get, "/snapshots/detail", status: 403,
                           json: ["forbidden": ["code": 403, "message": "Policy doesn't allow volume:get_all_snapshots"]])
        await transport.on(.get, "/volumes/detail", json: ["volumes": [["id": "v1", "name": "data", "size": 1, "status": "available"]]])
        let backend = BackendFixture.backend(transport, OpenStackBackendOptions(parts: [.volumeSnapshots, .volumes]))

        let first = try await backend.snapshot()
        XCTAssertEqual(first.volumeSnapshots.map(\.name), ["kept"])

        let second = try await backend.snapshot()
        XCTAssertEqual(second.volumeSnapshots.map(\.name), ["kept"], "the last good list stands in")
        XCTAssertEqual(second.volumes.map(\.name), ["data"], "the volumes stay live")
        XCTAssertEqual(second.staleParts.map(\.what), ["volume snapshots"])
        XCTAssertNotNil(second.staleParts.first?.lastGood)
        XCTAssertTrue(second.staleParts.first?.reason.hasPrefix("Listing volume snapshots failed (HTTP 500): db down") == true,
                      second.staleParts.first?.reason ?? "")

        let third = try await backend.snapshot()
        XCTAssertEqual(third.volumeSnapshots, [])
        XCTAssertEqual(third.staleParts, [])
        XCTAssertEqual(third.unavailableParts.map(\.what), ["volume snapshots"])
        XCTAssertTrue(third.unavailability(of: "Volume Snapshots")?.reason.contains("not allowed for your role") == true,
                      third.unavailableParts.first?.reason ?? "")
    }

    func testCreatePostsTheResolvedVolumeAndForceOnlyWhenAsked() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, cinder + "/snapshots", status: 202, headers: ["x-openstack-request-id": "req-s"],
                           json: ["snapshot": Self.snapshot("snap-9", "before-upgrade", volume: "vol-1", status: "creating")])
        let backend = BackendFixture.backend(transport)

        let plain = try await backend.perform(ActionRequest(action: .create, kind: .volumeSnapshot, targets: ["before-upgrade"],
                                                            text: [.volume: "data", .description: "pre 2.0"]))
        let forced = try await backend.perform(ActionRequest(action: .create, kind: .volumeSnapshot, targets: ["hot"],
                                                             text: [.volume: "data", .force: "true"]))

        let posts = await transport.requests(.post, cinder + "/snapshots")
        XCTAssertEqual(posts.count, 2)
        XCTAssertEqual(CreateFixture.json(posts.first?.body), ["snapshot": [
            "name": "before-upgrade", "volume_id": "vol-1", "description": "pre 2.0"]] as NSDictionary,
                       "no force key at all unless asked")
        XCTAssertEqual(CreateFixture.json(posts.last?.body), ["snapshot": [
            "name": "hot", "volume_id": "vol-1", "force": true]] as NSDictionary)
        XCTAssertEqual(plain.message, "Asked Cinder to take snapshot before-upgrade of volume data (id snap-9).")
        XCTAssertEqual(plain.requestIDs, ["req-s"])
        XCTAssertEqual(forced.message, "Asked Cinder to take snapshot hot of volume data while it is in use (id snap-9).")
        XCTAssertTrue(backend.capabilities.supports(.create, on: .volumeSnapshot))
        XCTAssertTrue(backend.capabilities.supports(.delete, on: .volumeSnapshot))
        XCTAssertFalse(backend.capabilities.supports(.update, on: .volumeSnapshot))
    }

    func testCinderRefusingAnInUseVolumeSaysToAddForce() async throws {
        let transport = await CreateFixture.transport()
        await transport.on(.post, cinder + "/snapshots", status: 400, headers: ["x-openstack-request-id": "req-bad"],
                           json: ["badRequest": ["code": 400, "message": "Invalid volume: Volume vol-1 status must be "
                                                    + "available, but current status is: in-use."]])
        let backend = BackendFixture.backend(transport)

        let refusal = await CreateFixture.refusal(backend, try ActionRequest(
            action: .create, kind: .volumeSnapshot, targets: ["s"], text: [.volume: "data"]))
        XCTAssertEqual(refusal, "Create volume snapshot s of volume data failed (HTTP 400): volume data is in use "
            + "(attached to a server), which Cinder snapshots only when told to; add --force to take it anyway (writes "
            + "the guest has not flushed are not in it), or detach the volume first. Request id req-bad.")

        // With --force asked already, Cinder's own words stand: suggesting --force again would be wrong.
        let forced = await CreateFixture.refusal(backend, try ActionRequest(
            action: .create, kind: .volumeSnapshot, targets: ["s"], text: [.volume: "data", .force: "true"]))
        XCTAssertTrue(forced.hasPrefix("Create volume snapshot s of volume data failed (HTTP 400): Invalid volume:"), forced)
        XCTAssertFalse(forced.contains("--force"), forced)

        let noVolume = await CreateFixture.error(backend, ActionRequest(action: .create, kind: .volumeSnapshot, targets: ["s"]))
        XCTAssertEqual(noVolume?.option, .volume)
        let noName = await CreateFixture.error(backend, try ActionRequest(action: .create, kind: .volumeSnapshot, targets: [],
                                                                      text: [.volume: "data"]))
        guard case .missingTarget(.volumeSnapshot, .create, _?)? = noName else { return XCTFail("\(String(describing: noName))") }
        let unknownVolume = await CreateFixture.error(backend, try ActionRequest(
            action: .create, kind: .volumeSnapshot, targets: ["s"], text: [.volume: "nope"]))
        XCTAssertEqual(unknownVolume, .notFound(kind: "volume", name: "nope"))
        let count2 = await transport.requests(.post, cinder + "/snapshots").count

        XCTAssertEqual(count2, 2, "refusals before Cinder send nothing")
    }

    func testDeleteResolvesEveryNameFirstThenDeletesEach() async throws {
        let transport = await BackendFixture.transport()
        await transport.on(.get, "/snapshots/detail", query: "name=nightly",
                           json: ["snapshots": [Self.snapshot("snap-1", "nightly", volume: "v1"),
                                                Self.snapshot("snap-x", "nightly-old", volume: "v1")]])
        await transport.on(.get, "/snapshots/detail", query: "name=weekly",
                           json: ["snapshots": [Self.snapshot("snap-2", "weekly", volume: "v1")]])
        await transport.on(.get, "/snapshots/detail", query: "name=twice",
                           json: ["snapshots": [Self.snapshot("snap-3", "twice", volume: "v1"),
                                                Self.snapshot("snap-4", "twice", volume: "v2")]])
        await transport.on(.get, "/snapshots/detail", json: ["snapshots": [] as [Any]])
        await transport.on(.delete, cinder + "/snapshots/snap-1", status: 202, headers: ["x-openstack-request-id": "req-1"])
        await transport.on(.delete, cinder + "/snapshots/snap-2", status: 202, headers: ["x-openstack-request-id": "req-2"])
        let backend = BackendFixture.backend(transport)

        let outcome = try await backend.perform(ActionRequest(action: .delete, kind: .volumeSnapshot,
                                                              targets: ["nightly", "weekly"]))
        XCTAssertEqual(outcome.message, "Asked to delete volume snapshots nightly, weekly.")
        XCTAssertEqual(outcome.requestIDs, ["req-1", "req-2"])
        let count3 = await transport.requests(.delete, "/snapshots/snap-1").count

        XCTAssertEqual(count3, 1)
        let count4 = await transport.requests(.delete, "/snapshots/snap-2").count

        XCTAssertEqual(count4, 1)

        // One ambiguous or unknown name stops the whole request before anything is deleted.
        let ambiguous = await CreateFixture.error(backend, ActionRequest(action: .delete, kind: .volumeSnapshot,
                                                                         targets: ["weekly", "twice"]))
        XCTAssertEqual(ambiguous, .ambiguousName(kind: "volume snapshot", name: "twice", candidates: ["snap-3", "snap-4"],
                                                 tellApartBy: .id))
        let unknown = await CreateFixture.error(backend, ActionRequest(action: .delete, kind: .volumeSnapshot,
                                                                       targets: ["weekly", "gone"]))
        XCTAssertEqual(unknown, .notFound(kind: "volume-snapshot", name: "gone"))
        let count5 = await transport.requests(.delete, "").count

        XCTAssertEqual(count5, 2, "the refused requests deleted nothing")
    }
}

import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel

final class DecodingImageVolumeTests: XCTestCase {
    func testGlanceImagesList() throws {
        let page = try GlanceDecoder.images(try Samples.data("glance/images-list-response.json"),
                                            projectNamesByID: ["5ef70662f8b34079a6eddb8da9d75fe8": "admin"])
        XCTAssertEqual(page.items.map(\.name), ["cirros-0.3.2-x86_64-disk", "F17-x86_64-cfntools"])
        let cirros = page.items[0]
        XCTAssertEqual(cirros.id, "1bea47ed-f6a9-463b-b423-14b9cca9ad27")
        XCTAssertEqual(cirros.status, "active")
        XCTAssertEqual(cirros.format, "qcow2")
        XCTAssertEqual(cirros.sizeBytes, 13_167_616)
        XCTAssertEqual(cirros.visibility, .public)
        XCTAssertEqual(cirros.minDiskGiB, 0)
        XCTAssertEqual(cirros.minRamMiB, 0)
        XCTAssertEqual(cirros.project, "admin")
        XCTAssertEqual(cirros.createdAt, OpenStackDate.parse("2014-11-07T17:07:06Z"))
        XCTAssertNil(page.next, "the sample is the last page: it has `first` but no `next`")
    }

    func testGlanceQueuedImageWithPropertiesAndNextLink() throws {
        let json = """
        {"images": [{"id": "i1", "name": null, "status": "queued", "disk_format": null, "size": null,
          "visibility": "shared", "min_disk": 10, "min_ram": 1024, "os_distro": "ubuntu", "os_type": "linux",
          "owner": "p1", "created_at": "2024-05-01T10:00:00Z"}],
         "next": "/v2/images?marker=i1", "first": "/v2/images"}
        """
        let page = try GlanceDecoder.images(Data(json.utf8))
        let image = try XCTUnwrap(page.items.first)
        XCTAssertEqual(image.format, "")
        XCTAssertEqual(image.sizeBytes, 0)
        XCTAssertEqual(image.visibility, .shared)
        XCTAssertEqual(image.os, "ubuntu", "os_distro wins over os_type")
        XCTAssertEqual(image.minDiskGiB, 10)
        XCTAssertEqual(image.minRamMiB, 1024)
        XCTAssertEqual(page.next, "/v2/images?marker=i1")
    }

    func testGlanceImageShow() throws {
        let image = try GlanceDecoder.image(try Samples.data("glance/image-show-response.json"))
        XCTAssertEqual(image.name, "cirros-0.3.2-x86_64-disk")
        XCTAssertEqual(image.createdAt, OpenStackDate.parse("2014-05-05T17:15:10Z"))
        XCTAssertEqual(image.project, "5ef70662f8b34079a6eddb8da9d75fe8")
    }

    func testCinderVolumesDetail() throws {
        let page = try CinderDecoder.volumes(try Samples.data("cinder/volumes/v3.69/volumes-list-detailed-response.json"))
        let volume = try XCTUnwrap(page.items.first)
        XCTAssertEqual(volume.id, "cb49b381-9012-40cb-b8ee-80c19a4801b5")
        XCTAssertEqual(volume.name, volume.id, "an unnamed volume is shown by its id")
        XCTAssertEqual(volume.sizeBytes, 10 * 1_073_741_824)
        XCTAssertEqual(volume.status, "creating")
        XCTAssertFalse(volume.bootable)
        XCTAssertEqual(volume.attachedTo, [])
        XCTAssertEqual(volume.project, "89afd400-b646-4bbc-b12b-c0a4d63e5bd3")
        XCTAssertNil(volume.pool)
        XCTAssertNil(page.next)
    }

    func testCinderAttachedBootableVolumeAndNextLink() throws {
        let json = """
        {"volumes": [{"id": "v1", "name": "root", "size": 20, "status": "in-use", "bootable": "true",
          "volume_type": "lvm", "os-vol-tenant-attr:tenant_id": "p1", "os-vol-host-attr:host": "node1@lvm#pool-a",
          "attachments": [{"server_id": "s1", "attachment_id": "a1", "volume_id": "v1", "device": "/dev/vda"},
                          {"server_id": "s2", "attachment_id": "a2", "volume_id": "v1", "device": "/dev/vdb"}]}],
         "volumes_links": [{"href": "https://cinder.example/v3/p1/volumes/detail?marker=v1", "rel": "next"}]}
        """
        let page = try CinderDecoder.volumes(Data(json.utf8), serverNamesByID: ["s1": "web-1"],
                                             projectNamesByID: ["p1": "demo"])
        let volume = try XCTUnwrap(page.items.first)
        XCTAssertTrue(volume.bootable)
        XCTAssertEqual(volume.attachedTo, ["web-1", "s2"])
        XCTAssertEqual(volume.project, "demo")
        XCTAssertEqual(volume.pool, "pool-a")
        XCTAssertEqual(page.next, "https://cinder.example/v3/p1/volumes/detail?marker=v1")
    }

    func testCinderSnapshotsLimitsAndQuotas() throws {
        let snapshots = try CinderDecoder.snapshots(try Samples.data("cinder/snapshots/v3.65/snapshots-list-detailed-response.json"),
                                                    projectNamesByID: ["89afd400-b646-4bbc-b12b-c0a4d63e5bd3": "demo"])
        XCTAssertEqual(snapshots.items, [VolumeSnapshot(
            id: "d0083dc5-8795-4c1a-bc9c-74f70006c205", name: "snap-001",
            volumeID: "7acd675e-4e06-4653-af9f-2ecd546342d6", sizeBytes: 10 * 1_073_741_824, status: "creating",
            description: "Daily backup", project: "demo",
            createdAt: OpenStackDate.parse("2019-03-11T16:24:36.464445"))])
        XCTAssertNil(snapshots.next)

        let limits = try CinderDecoder.limits(try Samples.data("cinder/limits/limits-show-response.json"), project: "p")
        XCTAssertEqual(limits.usages, [QuotaUsage(resource: .volumes, used: 0, limit: 10),
                                       QuotaUsage(resource: .gigabytes, used: 0, limit: 1000),
                                       QuotaUsage(resource: .snapshots, used: 0, limit: 10),
                                       QuotaUsage(resource: .backups, used: 0, limit: 10),
                                       QuotaUsage(resource: .backupGigabytes, used: 0, limit: 1000)])
        let usage = try CinderDecoder.quotaSet(try Samples.data("cinder/quota_sets/quotas-show-usage-response.json"),
                                               project: "fake_tenant")
        XCTAssertEqual(usage.usages.map(\.resource), [.volumes, .gigabytes, .snapshots, .backups, .backupGigabytes,
                                                       .perVolumeGigabytes, .volumeGroups])
        XCTAssertEqual(usage[.gigabytes]?.resource.unit, "GiB")
        XCTAssertEqual(usage[.perVolumeGigabytes]?.limit, -1)
        XCTAssertEqual(usage[.gigabytes]?.limit, 1000, "the per-type gigabytes___DEFAULT__ (-1) is not the total")
    }

    func testCinderMalformedVolumeNamesTheKey() {
        do {
            _ = try CinderDecoder.volumes(Data(#"{"volumes": [{"id": "v", "size": "big", "status": "x"}]}"#.utf8))
            XCTFail("expected a failure")
        } catch {
            XCTAssertEqual(error.service, "Cinder")
            XCTAssertEqual(error.key, "volumes[0].size")
        }
    }

    /// The other two upstream snapshot samples: the base detailed list (the project only an admin sees) and the
    /// plain list, each field read as sent.
    func testCinderSnapshotSamplesReadEveryField() throws {
        let detailed = try CinderDecoder.snapshots(try Samples.data("cinder/snapshots/snapshots-list-detailed-response.json"))
        XCTAssertEqual(detailed.items, [VolumeSnapshot(
            id: "d0083dc5-8795-4c1a-bc9c-74f70006c205", name: "snap-001",
            volumeID: "7acd675e-4e06-4653-af9f-2ecd546342d6", sizeBytes: 10 << 30, status: "creating",
            description: "Daily backup", project: "89afd400-b646-4bbc-b12b-c0a4d63e5bd3",
            createdAt: OpenStackDate.parse("2019-03-11T16:24:36.464445"))])
        let plain = try CinderDecoder.snapshots(try Samples.data("cinder/snapshots/snapshots-list-response.json"))
        XCTAssertEqual(plain.items, [VolumeSnapshot(
            id: "2c228773-50eb-422d-be7e-b5c6ced0c7a9", name: "snap-001",
            volumeID: "428ec041-b999-40d8-8a54-9e98b19406cc", sizeBytes: 10 << 30, status: "creating",
            description: "Daily backup", project: nil, createdAt: OpenStackDate.parse("2019-03-11T16:29:08.973832"))])
        XCTAssertNotNil(plain.items.first?.createdAt)
    }

    /// Hostile snapshots: an unnamed one shows by its id, a next link is kept, and a size no snapshot can have,
    /// a negative one or a missing volume id is a sentence naming the key, never a trap.
    func testCinderSnapshotsFromOutsideAreReadSafely() throws {
        let page = try CinderDecoder.snapshots(Data(#"""
            {"snapshots": [{"id": "s-1", "name": "", "volume_id": "v-1", "size": 1, "status": "error",
                            "description": "", "created_at": "not a date"}],
             "snapshots_links": [{"rel": "next", "href": "http://cinder.test/v3/p/snapshots/detail?marker=s-1"}]}
            """#.utf8))
        XCTAssertEqual(page.items, [VolumeSnapshot(id: "s-1", name: "s-1", volumeID: "v-1", sizeBytes: 1 << 30,
                                                   status: "error")])
        XCTAssertEqual(page.next, "http://cinder.test/v3/p/snapshots/detail?marker=s-1")
        for (body, key) in [(#"{"snapshots": [{"id": "s", "volume_id": "v", "size": 17179869184, "status": "x"}]}"#, "snapshots[0].size"),
                            (#"{"snapshots": [{"id": "s", "volume_id": "v", "size": -1, "status": "x"}]}"#, "snapshots[0].size"),
                            (#"{"snapshots": [{"id": "s", "volume_id": "v", "size": 1e300, "status": "x"}]}"#, "snapshots[0].size"),
                            (#"{"snapshots": [{"id": "s", "size": 1, "status": "x"}]}"#, "snapshots[0].volume_id")] {
            XCTAssertThrowsError(try CinderDecoder.snapshots(Data(body.utf8)), body) { error in
                let failure = error as? DecodingFailure
                XCTAssertEqual(failure?.service, "Cinder", body)
                XCTAssertEqual(failure?.key, key, body)
                XCTAssertTrue("\(error)".hasSuffix("."), "\(error)")
                XCTAssertFalse("\(error)".contains("not valid JSON"), "\(error)")
            }
        }
        // Volumes read their size the same way: a negative one is named, not "not valid JSON".
        XCTAssertThrowsError(try CinderDecoder.volumes(Data(#"{"volumes": [{"id": "v", "size": -3, "status": "x"}]}"#.utf8))) {
            XCTAssertEqual(($0 as? DecodingFailure)?.key, "volumes[0].size")
            XCTAssertEqual(($0 as? DecodingFailure)?.reason, "-3 GiB is not a size a volume can have")
        }
    }
}

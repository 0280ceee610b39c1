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
        let snapshots = try CinderDecoder.snapshots(try Samples.data("cinder/snapshots/v3.65/snapshots-list-detailed-response.json"))
        XCTAssertEqual(snapshots.items, [VolumeSnapshot(
            id: "d0083dc5-8795-4c1a-bc9c-74f70006c205", name: "snap-001",
            volumeID: "7acd675e-4e06-4653-af9f-2ecd546342d6", sizeGiB: 10, status: "creating",
            project: "89afd400-b646-4bbc-b12b-c0a4d63e5bd3",
            createdAt: OpenStackDate.parse("2019-03-11T16:24:36.464445"))])

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
}

import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopModel

final class DecodingNovaTests: XCTestCase {
    func testServersDetailBaseVersionWithFlavorLookup() throws {
        let flavors = try NovaDecoder.flavors(try Samples.data("nova/flavors/flavors-detail-resp.json")).items
        let lookup = NovaLookup(flavorsByID: Dictionary(uniqueKeysWithValues: flavors.map { ($0.id, $0) }),
                                imageNamesByID: ["70a599e0-31e7-49b7-b260-868f441e862b": "cirros"],
                                projectNamesByID: ["6f70656e737461636b20342065766572": "demo"])
        let page = try NovaDecoder.servers(try Samples.data("nova/servers/servers-details-resp.json"), lookup: lookup)
        XCTAssertEqual(page.next, "http://openstack.example.com/v2.1/6f70656e737461636b20342065766572/servers/detail?limit=1&marker=f5dc173b-6804-445a-a6d8-c705dad5b5eb")
        let server = try XCTUnwrap(page.items.first)
        XCTAssertEqual(server.id, "f5dc173b-6804-445a-a6d8-c705dad5b5eb")
        XCTAssertEqual(server.name, "new-server-test")
        XCTAssertEqual(server.state, .running)
        // Before 2.47 the flavor is only an id: sizes come from the flavor list (id "1" is m1.tiny there).
        XCTAssertEqual(server.flavor, "m1.tiny")
        XCTAssertEqual(server.vcpus, 1)
        XCTAssertEqual(server.memoryMiB, 512)
        XCTAssertEqual(server.diskGiB, 1)
        XCTAssertEqual(server.image, "cirros")
        XCTAssertEqual(server.project, "demo")
        XCTAssertEqual(server.hostname, "c3f14e9812ad496baf92ccfb3c61e15f")
        XCTAssertNil(server.keypair)
        XCTAssertEqual(server.securityGroups, ["default"])
        XCTAssertFalse(server.locked)
        XCTAssertEqual(server.interfaces, [InstanceInterface(mac: "00:0c:29:0d:11:74", network: "private",
                                                            type: "network", addresses: ["192.168.1.30"])])
        XCTAssertEqual(server.addresses, ["192.168.1.30"])
        XCTAssertEqual(server.disks.compactMap(\.source), ["70a599e0-31e7-49b7-b260-868f441e862b", "volume_id1", "volume_id2"])
        XCTAssertEqual(server.createdAt, OpenStackDate.parse("2013-09-03T04:01:32Z"))
        XCTAssertEqual(server.createdAt?.timeIntervalSince1970, 1_378_180_892)
    }

    func testServerMicroversion2_100EmbedsTheFlavorAndLock() throws {
        let server = try NovaDecoder.server(try Samples.data("nova/servers/v2.100/server-get-resp.json"))
        XCTAssertEqual(server.id, "0e44cc9c-e052-415d-afbf-469b0d384170")
        XCTAssertEqual(server.flavor, "m1.tiny")
        XCTAssertEqual(server.vcpus, 1)
        XCTAssertEqual(server.memoryMiB, 512)
        XCTAssertEqual(server.diskGiB, 1)
        XCTAssertEqual(server.image, "70a599e0-31e7-49b7-b260-868f441e862b", "without a name the id is shown")
        XCTAssertEqual(server.project, "6f70656e737461636b20342065766572")
        XCTAssertNil(server.hostname)
        XCTAssertFalse(server.locked)
    }

    func testServersListWithoutDetailKeepsIdAndName() throws {
        let page = try NovaDecoder.servers(try Samples.data("nova/servers/v2.100/servers-list-resp.json"))
        XCTAssertEqual(page.items.map(\.id), ["3cfb801c-f03c-45ce-834b-d097b34e9534"])
        XCTAssertEqual(page.items.first?.state, .unknown)
        XCTAssertEqual(page.next, "http://openstack.example.com/v2.1/6f70656e737461636b20342065766572/servers?limit=1&marker=3cfb801c-f03c-45ce-834b-d097b34e9534")
    }

    /// A locked, boot-from-volume server in a resize, as Nova 2.9+ writes it (built here because the
    /// reference samples show only an active, image-booted server).
    func testBootFromVolumeLockedResizingServer() throws {
        let json = """
        {"server": {"id": "s1", "name": "db", "status": "VERIFY_RESIZE", "OS-EXT-STS:vm_state": "resized",
         "OS-EXT-STS:task_state": null, "OS-EXT-STS:power_state": 1, "image": "", "locked": true,
         "key_name": "ops", "flavor": {"original_name": "m1.large", "vcpus": 4, "ram": 8192, "disk": 0},
         "security_groups": [{"name": "web"}, {"name": "web"}, {"name": "ssh"}],
         "addresses": {"public": [{"addr": "10.0.0.5", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01", "version": 4},
                                  {"addr": "172.24.4.9", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:01", "version": 4}],
                       "backend": [{"addr": "192.168.9.2", "OS-EXT-IPS-MAC:mac_addr": "fa:16:3e:00:00:02", "version": 4}]},
         "created": "2024-02-29T23:59:59.123456", "tenant_id": "t1"}}
        """
        let server = try NovaDecoder.server(Data(json.utf8))
        XCTAssertEqual(server.state, .running)
        XCTAssertNil(server.image)
        XCTAssertTrue(server.disks.isEmpty, "no root disk from a zero-disk flavor")
        XCTAssertTrue(server.locked)
        XCTAssertEqual(server.keypair, "ops")
        XCTAssertEqual(server.securityGroups, ["web", "ssh"])
        XCTAssertEqual(server.interfaces.map(\.network), ["backend", "public"])
        XCTAssertEqual(server.interfaces.last?.addresses, ["10.0.0.5", "172.24.4.9"])
        XCTAssertEqual(server.createdAt?.timeIntervalSince1970 ?? 0, 1_709_251_199.123456, accuracy: 0.000_01)
    }

    func testInstanceStatesFromNovaStates() {
        let state = NovaDecoder.instanceState
        XCTAssertEqual(state("BUILD", "building", "spawning", 0), .building)
        XCTAssertEqual(state("ERROR", "error", nil, 0), .error)
        XCTAssertEqual(state("PAUSED", "paused", nil, 3), .paused)
        XCTAssertEqual(state("SUSPENDED", "suspended", nil, 7), .suspended)
        XCTAssertEqual(state("SHUTOFF", "stopped", nil, 4), .shutoff)
        XCTAssertEqual(state("DELETED", "deleted", nil, 0), .shutoff)
        XCTAssertEqual(state("SOFT_DELETED", "soft-delete", nil, 4), .shutoff)
        XCTAssertEqual(state("SHELVED_OFFLOADED", "shelved_offloaded", nil, 0), .shutoff)
        XCTAssertEqual(state("RESIZE", "active", "resize_migrating", 1), .running)
        XCTAssertEqual(state("VERIFY_RESIZE", "resized", nil, 1), .running)
        XCTAssertEqual(state("ACTIVE", "active", "powering-off", 1), .shutdown)
        XCTAssertEqual(state("ACTIVE", "active", nil, 6), .crashed)
        // Without the extended status attributes only `status` is known.
        XCTAssertEqual(state("REBOOT", nil, nil, nil), .running)
        XCTAssertEqual(state("SHUTOFF", nil, nil, nil), .shutoff)
        XCTAssertEqual(state("UNKNOWN", nil, nil, nil), .unknown)
        XCTAssertEqual(state(nil, nil, nil, nil), .unknown)
    }

    func testFlavorsKeypairsLimitsAndQuotaSets() throws {
        let flavors = try NovaDecoder.flavors(try Samples.data("nova/flavors/v2.102/flavors-detail-resp.json"))
        XCTAssertEqual(flavors.items.count, 7)
        XCTAssertEqual(flavors.items[2], Flavor(id: "3", name: "m1.medium", vcpus: 2, ramMiB: 4096, diskGiB: 40))

        let keypair = try XCTUnwrap(NovaDecoder.keypairs(try Samples.data("nova/os-keypairs/keypairs-list-resp.json"),
                                                         project: "demo").items.first)
        XCTAssertEqual(keypair.name, "keypair-50ca852e-273f-4cdc-8949-45feba200837")
        XCTAssertEqual(keypair.fingerprint, "7e:eb:ab:24:ba:d1:e1:88:ae:9a:fb:66:53:df:d3:bd")
        XCTAssertTrue(keypair.publicKey.hasPrefix("ssh-rsa AAAAB3NzaC1yc2E"))
        XCTAssertEqual(keypair.type, "ssh")
        XCTAssertEqual(keypair.project, "demo")

        let limits = try NovaDecoder.limits(try Samples.data("nova/limits/limit-get-resp.json"), project: "demo")
        XCTAssertEqual(limits[.instances], QuotaUsage(resource: .instances, used: 0, limit: 10))
        XCTAssertEqual(limits[.cores], QuotaUsage(resource: .cores, used: 0, limit: 20))
        XCTAssertEqual(limits[.ramMiB], QuotaUsage(resource: .ramMiB, used: 0, limit: 51200))
        XCTAssertEqual(limits[.keypairs]?.limit, 100)
        XCTAssertEqual(limits[.securityGroups]?.isUnlimited, true)
        let newer = try NovaDecoder.limits(try Samples.data("nova/limits/v2.57/limit-get-resp.json"), project: "demo")
        XCTAssertNil(newer[.securityGroups], "2.36+ no longer reports security groups")

        let detail = try NovaDecoder.quotaSet(try Samples.data("nova/os-quota-sets/quotas-show-detail-get-resp.json"),
                                              project: "fake_tenant")
        XCTAssertEqual(detail.project, "fake_tenant")
        XCTAssertEqual(detail[.keypairs], QuotaUsage(resource: .keypairs, used: 0, limit: 100))
        XCTAssertEqual(detail[.ramMiB]?.limit, 51200)
        XCTAssertEqual(detail[.securityGroupRules]?.limit, -1)
        let plain = try NovaDecoder.quotaSet(try Samples.data("nova/os-quota-sets/quotas-show-get-resp.json"),
                                             project: "fake_tenant")
        XCTAssertEqual(plain[.instances], QuotaUsage(resource: .instances, used: 0, limit: 10))
        let quotaWithUse = #"{"quota_set": {"id": "p", "cores": {"in_use": 6, "limit": 20, "reserved": 0}}}"#
        XCTAssertEqual(try NovaDecoder.quotaSet(Data(quotaWithUse.utf8), project: "p")[.cores]?.used, 6)
    }

    func testHypervisorsConsolesAndOutput() throws {
        let old = try NovaDecoder.hypervisors(try Samples.data("nova/os-hypervisors/hypervisors-detail-resp.json"))
        let host = try XCTUnwrap(old.items.first)
        XCTAssertEqual(host.id, "1")
        XCTAssertEqual(host.hostname, "fake-mini")
        XCTAssertEqual(host.vcpus, 2)
        XCTAssertEqual(host.memoryMiB, 8192)
        XCTAssertEqual(host.memoryUsedMiB, 512)
        XCTAssertEqual(host.localDiskGiB, 1028)
        XCTAssertNil(old.next)
        let new = try NovaDecoder.hypervisors(try Samples.data("nova/os-hypervisors/v2.88/hypervisors-detail-resp.json"))
        XCTAssertEqual(new.items.first?.id, "f6d28711-9c10-470e-8b31-c03f498b0032")
        XCTAssertEqual(new.items.first?.hostIP, "192.168.1.135")
        XCTAssertNil(new.items.first?.vcpus)
        XCTAssertEqual(new.next, "http://openstack.example.com/v2.1/6f70656e737461636b20342065766572/os-hypervisors/detail?limit=1&marker=f6d28711-9c10-470e-8b31-c03f498b0032")

        XCTAssertEqual(try NovaDecoder.consoleOutput(try Samples.data("nova/os-console-output/console-output-post-resp.json")),
                       "FAKE CONSOLE OUTPUT\nANOTHER\nLAST LINE")
        let vnc = try NovaDecoder.remoteConsole(try Samples.data("nova/os-remote-consoles/v2.6/create-vnc-console-resp.json"))
        XCTAssertEqual(vnc, RemoteConsole(protocol: "vnc", type: "novnc",
                                          url: "http://example.com:6080/vnc_auto.html?path=%3Ftoken%3Db60bcfc3-5fd4-4d21-986c-e83379107819"))
        let serial = try NovaDecoder.remoteConsole(try Samples.data("nova/os-remote-consoles/get-serial-console-post-resp.json"))
        XCTAssertEqual(serial.protocol, "serial")
        XCTAssertEqual(serial.url, "ws://127.0.0.1:6083/?token=f9906a48-b71e-4f18-baca-c987da3ebdb3")
    }

    func testMalformedBodiesFailWithServicePathAndKey() {
        func failure(_ json: String, _ decode: (Data) throws(DecodingFailure) -> Void) -> DecodingFailure? {
            do { try decode(Data(json.utf8)); return nil } catch { return error }
        }
        let missingName = failure(#"{"servers": [{"id": "a", "name": "x"}, {"id": "b"}]}"#) { data throws(DecodingFailure) in
            _ = try NovaDecoder.servers(data)
        }
        XCTAssertEqual(missingName?.service, "Nova")
        XCTAssertEqual(missingName?.path, "/servers/detail")
        XCTAssertEqual(missingName?.key, "servers[1].name")
        XCTAssertTrue(missingName?.description.contains("Nova") == true)
        XCTAssertTrue(missingName?.description.contains("servers[1].name") == true)

        let wrongType = failure(#"{"flavors": [{"id": "1", "name": "m", "vcpus": "two", "ram": 1, "disk": 1}]}"#) { data throws(DecodingFailure) in
            _ = try NovaDecoder.flavors(data)
        }
        XCTAssertEqual(wrongType?.key, "flavors[0].vcpus")
        XCTAssertEqual(wrongType?.reason, "expected a number but found something else")

        let notJSON = failure("<html>502 Bad Gateway</html>") { data throws(DecodingFailure) in
            _ = try NovaDecoder.server(data, path: "/servers/abc")
        }
        XCTAssertEqual(notJSON?.path, "/servers/abc")
        XCTAssertEqual(notJSON?.key, "")
        XCTAssertEqual(notJSON?.reason, "the body is not valid JSON")

        let noConsole = failure(#"{"other": {}}"#) { data throws(DecodingFailure) in _ = try NovaDecoder.remoteConsole(data) }
        XCTAssertEqual(noConsole?.key, "remote_console")

        // Every list page is read the same way: the list under its key, the next page's link beside it.
        let noList = failure(#"{"hypervisor": []}"#) { data throws(DecodingFailure) in _ = try NovaDecoder.hypervisors(data) }
        XCTAssertEqual(noList?.key, "hypervisors")
        XCTAssertEqual(noList?.reason, "the key \"hypervisors\" is missing")
        let notAnObject = failure("[]") { data throws(DecodingFailure) in _ = try NovaDecoder.servers(data) }
        XCTAssertEqual(notAnObject?.key, "")
        XCTAssertEqual(notAnObject?.reason, "expected an object but found something else")
        let badLinks = failure(#"{"servers": [], "servers_links": {"href": "x"}}"#) { data throws(DecodingFailure) in
            _ = try NovaDecoder.servers(data)
        }
        XCTAssertEqual(badLinks?.key, "servers_links")
        XCTAssertEqual(badLinks?.reason, "expected a list but found something else")
    }
}

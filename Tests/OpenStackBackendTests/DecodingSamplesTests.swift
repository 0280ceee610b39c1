import Foundation
import XCTest
@testable import OpenStackBackend

/// The upstream API reference samples, vendored byte for byte in `Samples/` beside this file (their
/// README names the upstream commits; Apache-2.0 documentation data), so CI needs nothing from outside.
/// STACKTOP_OPENSTACK_SAMPLES points the tests at another copy, e.g. `../shared/openstack-api-samples`.
enum Samples {
    static let root = URL(fileURLWithPath: ProcessInfo.processInfo.environment["STACKTOP_OPENSTACK_SAMPLES"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Samples").path)

    static func requireRoot() throws {
        guard FileManager.default.fileExists(atPath: root.path) else {
            XCTFail("OpenStack API samples not found at \(root.path); they are part of the repository.")
            throw XCTSkip("no samples")
        }
    }

    static func data(_ relative: String) throws -> Data {
        try requireRoot()
        return try Data(contentsOf: root.appendingPathComponent(relative))
    }

    /// Every file under `service` whose name is one of `names`, as paths relative to the root.
    static func files(_ service: String, named names: Set<String>) throws -> [String] {
        try requireRoot()
        let base = root.appendingPathComponent(service)
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in walker where names.contains(url.lastPathComponent) {
            found.append(String(url.path.dropFirst(root.path.count + 1)))
        }
        return found.sorted()
    }
}

/// Walks the sample folders: every file of each name decodes with its decoder, and the count of files seen
/// is checked so a renamed sample cannot silently drop out.
final class DecodingSamplesTests: XCTestCase {
    private func walk(_ service: String, _ names: Set<String>, atLeast minimum: Int,
                      file: StaticString = #filePath, line: UInt = #line,
                      _ decode: (Data) throws -> Int) throws {
        let paths = try Samples.files(service, named: names)
        XCTAssertGreaterThanOrEqual(paths.count, minimum, "samples for \(names.sorted())", file: file, line: line)
        for path in paths {
            do {
                let count = try decode(try Samples.data(path))
                XCTAssertGreaterThan(count, 0, "\(path) decoded to nothing", file: file, line: line)
            } catch {
                XCTFail("\(path): \(error)", file: file, line: line)
            }
        }
    }

    func testNovaSamplesDecode() throws {
        try walk("nova", ["servers-details-resp.json", "servers-list-resp.json"], atLeast: 4) {
            try NovaDecoder.servers($0).items.count
        }
        try walk("nova", ["server-get-resp.json"], atLeast: 2) { _ = try NovaDecoder.server($0); return 1 }
        try walk("nova", ["flavors-detail-resp.json"], atLeast: 2) { try NovaDecoder.flavors($0).items.count }
        try walk("nova", ["keypairs-list-resp.json"], atLeast: 1) { try NovaDecoder.keypairs($0).items.count }
        try walk("nova", ["limit-get-resp.json"], atLeast: 2) { try NovaDecoder.limits($0, project: "p").usages.count }
        try walk("nova", ["quotas-show-get-resp.json", "quotas-show-detail-get-resp.json"], atLeast: 3) {
            try NovaDecoder.quotaSet($0, project: "p").usages.count
        }
        try walk("nova", ["hypervisors-detail-resp.json", "hypervisors-list-resp.json"], atLeast: 3) {
            try NovaDecoder.hypervisors($0).items.count
        }
        try walk("nova", ["console-output-post-resp.json"], atLeast: 1) { try NovaDecoder.consoleOutput($0).count }
        try walk("nova", ["get-vnc-console-post-resp.json", "get-serial-console-post-resp.json",
                          "create-vnc-console-resp.json"], atLeast: 3) { try NovaDecoder.remoteConsole($0).url.count }
    }

    func testGlanceSamplesDecode() throws {
        try walk("glance", ["images-list-response.json"], atLeast: 1) { try GlanceDecoder.images($0).items.count }
        try walk("glance", ["image-show-response.json", "image-create-response.json", "image-update-response.json"],
                 atLeast: 3) { try GlanceDecoder.image($0).id.count }
    }

    func testCinderSamplesDecode() throws {
        try walk("cinder", ["volumes-list-detailed-response.json"], atLeast: 2) { try CinderDecoder.volumes($0).items.count }
        try walk("cinder", ["volume-show-response.json", "volume-create-response.json"], atLeast: 3) {
            try CinderDecoder.volume($0).id.count
        }
        try walk("cinder", ["snapshots-list-response.json", "snapshots-list-detailed-response.json"], atLeast: 3) {
            try CinderDecoder.snapshots($0).items.count
        }
        try walk("cinder", ["limits-show-response.json"], atLeast: 1) { try CinderDecoder.limits($0, project: "p").usages.count }
        try walk("cinder", ["quotas-show-response.json", "quotas-show-usage-response.json"], atLeast: 2) {
            try CinderDecoder.quotaSet($0, project: "p").usages.count
        }
    }

    func testNeutronSamplesDecode() throws {
        try walk("neutron", ["networks-list-response.json"], atLeast: 1) { try NeutronDecoder.networks($0).items.count }
        try walk("neutron", ["network-show-response.json", "network-create-response.json"], atLeast: 2) {
            try NeutronDecoder.network($0).id.count
        }
        try walk("neutron", ["subnets-list-response.json"], atLeast: 1) { try NeutronDecoder.subnets($0).items.count }
        try walk("neutron", ["ports-list-response.json"], atLeast: 1) { try NeutronDecoder.ports($0).items.count }
        try walk("neutron", ["routers-list-response.json"], atLeast: 1) { try NeutronDecoder.routers($0).items.count }
        try walk("neutron", ["floating-ips-list-response.json"], atLeast: 1) { try NeutronDecoder.floatingIPs($0).items.count }
        try walk("neutron", ["security-groups-list-response.json"], atLeast: 1) {
            try NeutronDecoder.securityGroups($0).items.count
        }
        try walk("neutron", ["security-group-rules-list-response.json"], atLeast: 1) {
            try NeutronDecoder.securityGroupRules($0).items.count
        }
        try walk("neutron", ["security-group-rule-create-response.json"], atLeast: 1) {
            try NeutronDecoder.securityGroupRule($0).rule.id.count
        }
        try walk("neutron", ["quotas-list-for-project-response.json", "quota-details-show-for-project-response.json"],
                 atLeast: 2) { try NeutronDecoder.quotas($0, project: "p").usages.count }
    }

    func testKeystoneSamplesDecode() throws {
        try walk("keystone", ["projects-list-response.json", "get-available-project-scopes-response.json"], atLeast: 2) {
            try KeystoneDecoder.projects($0).items.count
        }
        try walk("keystone", ["project-show-response.json"], atLeast: 1) { try KeystoneDecoder.project($0).id.count }
    }
}

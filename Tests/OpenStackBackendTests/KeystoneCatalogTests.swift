import Foundation
import XCTest
@testable import OpenStackBackend
import StacktopServices

/// Builds token bodies from the upstream project-scoped sample, with extra catalog entries and a chosen expiry.
enum KeystoneFixture {
    static func endpoints(_ url: String, regions: [String] = ["RegionOne"]) -> [[String: Any]] {
        regions.flatMap { region in
            ["public", "internal", "admin"].map { interface in
                ["interface": interface, "region": region, "region_id": region,
                 "url": url.replacingOccurrences(of: "{r}", with: region.lowercased())
                     .replacingOccurrences(of: "{i}", with: interface)]
            }
        }
    }

    static func service(_ type: String, _ url: String, regions: [String] = ["RegionOne"]) -> [String: Any] {
        ["type": type, "name": type, "id": UUID().uuidString, "endpoints": endpoints(url, regions: regions)]
    }

    /// The sample token body, plus `services` in its catalog, expiring at `expiresAt`.
    static func tokenBody(services: [[String: Any]] = [], expiresAt: String = "2015-11-07T02:58:43.578887Z") -> Data {
        let sample = try! JSONSerialization.jsonObject(with: KeystoneSamples.data(KeystoneSamples.projectScopedPassword))
        var root = sample as! [String: Any]
        var token = root["token"] as! [String: Any]
        token["catalog"] = (token["catalog"] as! [[String: Any]]) + services
        token["expires_at"] = expiresAt
        root["token"] = token
        return try! JSONSerialization.data(withJSONObject: root)
    }

    static func catalog(_ services: [[String: Any]]) throws -> ServiceCatalog {
        try KeystoneToken(value: Secret("t"), body: tokenBody(services: services)).catalog
    }
}

final class KeystoneCatalogTests: XCTestCase {
    private func catalog() throws -> ServiceCatalog {
        try KeystoneFixture.catalog([
            KeystoneFixture.service("compute", "https://{i}.{r}.example.com:8774/v2.1", regions: ["RegionOne", "RegionTwo"]),
            KeystoneFixture.service("volumev3", "https://{i}.{r}.example.com:8776/v3"),
            KeystoneFixture.service("image", "https://{i}.{r}.example.com:9292"),
        ])
    }

    func testPicksTheEndpointByInterfaceAndRegion() throws {
        let catalog = try catalog()
        XCTAssertEqual(try catalog.endpoint(for: .compute, interface: .public, region: "RegionOne").absoluteString,
                       "https://public.regionone.example.com:8774/v2.1")
        XCTAssertEqual(try catalog.endpoint(for: .compute, interface: .internal, region: "RegionTwo").absoluteString,
                       "https://internal.regiontwo.example.com:8774/v2.1")
        XCTAssertEqual(try catalog.endpoint(for: .compute, interface: .admin, region: nil).absoluteString,
                       "https://admin.regionone.example.com:8774/v2.1")
        // The sample's own identity entry.
        XCTAssertEqual(try catalog.endpoint(for: .identity, interface: .public, region: "RegionOne").absoluteString,
                       "http://example.com/identity")
    }

    func testBlockStorageFallsBackToVolumeV3AndPrefersBlockStorage() throws {
        XCTAssertEqual(try catalog().endpoint(for: .blockStorage, interface: .public, region: nil).absoluteString,
                       "https://public.regionone.example.com:8776/v3")
        let both = try KeystoneFixture.catalog([
            KeystoneFixture.service("volumev3", "https://old/v3"),
            KeystoneFixture.service("block-storage", "https://new/v3"),
        ])
        XCTAssertEqual(try both.endpoint(for: .blockStorage, interface: .public, region: nil).absoluteString, "https://new/v3")
    }

    func testMissingRegionNamesServiceInterfaceRegionAndWhatExists() throws {
        XCTAssertThrowsError(try catalog().endpoint(for: .image, interface: .public, region: "RegionTwo")) { error in
            let message = (error as? BackendError)?.message ?? ""
            XCTAssertTrue(message.contains("public image endpoint in region RegionTwo"), message)
            XCTAssertTrue(message.contains("public in RegionOne"), message)
            XCTAssertTrue(message.contains("OS_REGION_NAME"), message)
        }
    }

    func testMissingServiceSaysTheCloudDoesNotOfferIt() throws {
        XCTAssertThrowsError(try catalog().endpoint(for: .network, interface: .public, region: "RegionOne")) { error in
            let message = (error as? BackendError)?.message ?? ""
            XCTAssertTrue(message.contains("public network endpoint in region RegionOne"), message)
            XCTAssertTrue(message.contains("no network service"), message)
        }
    }
}

import Foundation
import XCTest
@testable import OpenStackBackend

final class KeystoneVersionTests: XCTestCase {
    func testNovaRootPicksTheCurrentVersionAndItsMicroversionRange() throws {
        let versions = APIVersion.parseDocument(KeystoneSamples.data(KeystoneSamples.novaVersions))
        XCTAssertEqual(versions.map(\.id), ["v2.0", "v2.1"])
        let chosen = try XCTUnwrap(APIVersion.select(from: versions, endpoint: URL(string: "http://openstack.example.com/v2.1")))
        XCTAssertEqual(chosen.minVersion, Microversion(2, 1))
        XCTAssertEqual(chosen.maxVersion, Microversion(2, 104))
        XCTAssertEqual(chosen.negotiate(Microversion(2, 96)), Microversion(2, 96))
        XCTAssertEqual(chosen.negotiate(Microversion(2, 200)), Microversion(2, 104))
        XCTAssertNil(chosen.negotiate(Microversion(1, 9)))
        XCTAssertNil(versions[0].maxVersion, "an empty version string means no microversions")
    }

    func testSelectPrefersTheSelfLinkOverCurrent() throws {
        let versions = APIVersion.parseDocument(KeystoneSamples.data(KeystoneSamples.novaVersions))
        XCTAssertEqual(APIVersion.select(from: versions, endpoint: URL(string: "http://openstack.example.com/v2/"))?.id, "v2.0")
        XCTAssertEqual(APIVersion.select(from: versions, endpoint: nil)?.id, "v2.1")
    }

    func testCinderAndKeystoneDocuments() throws {
        let cinder = try XCTUnwrap(APIVersion.select(from: APIVersion.parseDocument(KeystoneSamples.data(KeystoneSamples.cinderVersions)),
                                                     endpoint: nil))
        XCTAssertEqual(cinder.maxVersion, Microversion(3, 71))
        let keystone = APIVersion.parseDocument(KeystoneSamples.data(KeystoneSamples.identityVersions))
        XCTAssertEqual(keystone.map(\.id), ["v3.4", "v2.0"])
        XCTAssertEqual(APIVersion.select(from: keystone, endpoint: URL(string: "http://example.com/identity/v3"))?.id, "v3.4")
        let single = APIVersion.parseDocument(Data(#"{"version": {"id": "v2.1", "status": "CURRENT", "version": "2.96", "min_version": "2.1"}}"#.utf8))
        XCTAssertEqual(single.first?.maxVersion, Microversion(2, 96))
    }

    func testMicroversionHeaders() {
        XCTAssertEqual(ServiceType.compute.microversionHeaders(Microversion(2, 96)),
                       ["OpenStack-API-Version": "compute 2.96", "X-OpenStack-Nova-API-Version": "2.96"])
        XCTAssertEqual(ServiceType.blockStorage.microversionHeaders(Microversion(3, 71)),
                       ["OpenStack-API-Version": "volume 3.71"])
        XCTAssertEqual(ServiceType.image.microversionHeaders(Microversion(2, 1)), [:])
        XCTAssertEqual(Microversion("2.104"), Microversion(2, 104))
        XCTAssertTrue(Microversion(2, 9) < Microversion(2, 10))
    }

    func testDiscoveryThroughTheSessionSendsTheTokenAndAccepts300() async throws {
        let root = "http://nova.example.com:8774/v2.1"
        let transport = ScriptedTransport([
            KeystoneSessionTests.authStep(token: "tok-1"),
            .init(.get, "/v2.1", status: 300, body: KeystoneSamples.data(KeystoneSamples.novaVersions)),
        ])
        let session = KeystoneSession(credentials: KeystoneSessionTests.credentials(), transport: transport,
                                      clock: TestClock(KeystoneSessionTests.expiryDate - 3600).read)
        let version = try await session.discoverVersion(of: .compute)
        XCTAssertEqual(version.maxVersion, Microversion(2, 104))
        let requests = await transport.requests
        XCTAssertEqual(requests[1].url.absoluteString, root)
        XCTAssertEqual(requests[1].header("X-Auth-Token"), "tok-1")
    }
}

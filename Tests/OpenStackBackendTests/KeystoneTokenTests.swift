import Foundation
import XCTest
@testable import OpenStackBackend

final class KeystoneTokenTests: XCTestCase {
    func testProjectScopedSampleDecodes() throws {
        let token = try KeystoneToken(value: Secret("tok"), body: KeystoneSamples.data(KeystoneSamples.projectScopedPassword))
        XCTAssertEqual(token.user, IdentityReference(id: "ee4dfb6e5540447cb3741905149d9b6e", name: "admin"))
        XCTAssertEqual(token.project, IdentityReference(id: "a6944d763bf64ee6a275f1263fae0352", name: "admin"))
        XCTAssertEqual(token.projectDomain?.id, "default")
        XCTAssertEqual(token.roleNames, ["admin"])
        XCTAssertEqual(token.methods, ["password"])
        XCTAssertEqual(token.catalog.services.map(\.type), ["identity"])
        // 2015-11-07T02:58:43.578887Z
        XCTAssertEqual(token.expiresAt.timeIntervalSince1970, 1_446_865_123.578887, accuracy: 0.000_01)
        XCTAssertEqual(token.issuedAt!.timeIntervalSince1970, 1_446_861_523.578929, accuracy: 0.000_01)
    }

    func testApplicationCredentialSampleDecodes() throws {
        let token = try KeystoneToken(value: Secret("tok"),
                                      body: KeystoneSamples.data(KeystoneSamples.applicationCredentialResponse))
        XCTAssertEqual(token.user.name, "demo")
        XCTAssertEqual(token.project?.name, "demo")
        XCTAssertEqual(token.roleNames, ["Member"])
        XCTAssertEqual(token.methods, ["application_credential"])
        XCTAssertEqual(token.expiresAt.timeIntervalSince1970, 1_516_054_445, accuracy: 0.001)
    }

    func testUnscopedSampleHasNoCatalogAndLookupSaysToScopeTheToken() throws {
        let token = try KeystoneToken(value: Secret("tok"), body: KeystoneSamples.data(KeystoneSamples.unscopedPassword))
        XCTAssertNil(token.project)
        XCTAssertThrowsError(try token.catalog.endpoint(for: .compute, interface: .public, region: nil)) { error in
            XCTAssertTrue("\(error)".contains("OS_PROJECT_NAME"), "\(error)")
        }
    }

    func testKeystoneDatesWithAndWithoutZoneAndFraction() {
        XCTAssertEqual(OpenStackDate.parse("1970-01-01T00:00:00Z")?.timeIntervalSince1970, 0)
        XCTAssertEqual(OpenStackDate.parse("2000-03-01T00:00:00")?.timeIntervalSince1970, 951_868_800)
        XCTAssertEqual(OpenStackDate.parse("2026-11-27T05:01:39.000000Z")?.timeIntervalSince1970, 1_795_755_699)
        XCTAssertEqual(OpenStackDate.parse("2026-11-27T07:01:39+02:00")?.timeIntervalSince1970, 1_795_755_699)
        XCTAssertNil(OpenStackDate.parse("yesterday"))
        XCTAssertNil(OpenStackDate.parse("2026-13-01T00:00:00Z"))
    }

    func testMissingExpiryIsAnError() {
        let body = Data(#"{"token": {"user": {"id": "u"}}}"#.utf8)
        XCTAssertThrowsError(try KeystoneToken(value: Secret("t"), body: body))
    }
}

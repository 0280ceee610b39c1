import XCTest
@testable import OpenStackBackend

final class ServiceTypeTests: XCTestCase {
    func testInterfaceAcceptsTheCLISpellings() {
        XCTAssertEqual(EndpointInterface(configValue: "publicURL"), .public)
        XCTAssertEqual(EndpointInterface(configValue: "internal"), .internal)
        XCTAssertEqual(EndpointInterface(configValue: "ADMIN"), .admin)
        XCTAssertNil(EndpointInterface(configValue: "private"))
    }

    func testBlockStorageAcceptsItsOlderCatalogNames() {
        XCTAssertEqual(ServiceType.blockStorage.catalogTypes.first, "block-storage")
        XCTAssertTrue(ServiceType.blockStorage.catalogTypes.contains("volumev3"))
    }
}

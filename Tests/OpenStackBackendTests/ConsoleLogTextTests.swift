import XCTest
@testable import OpenStackBackend

final class ConsoleLogTextTests: XCTestCase {
    func testTheConsoleLogStaysUTF8AndIsCutAtACharacter() {
        XCTAssertEqual(OpenStackCloudBackend.lastBytes(of: "Grüße aus 数据", maxBytes: 1000), "Grüße aus 数据")
        // "数" is three bytes: the cut never leaves half of it.
        XCTAssertEqual(OpenStackCloudBackend.lastBytes(of: "a数据", maxBytes: 5), "据")
        XCTAssertEqual(OpenStackCloudBackend.lastBytes(of: "a数据", maxBytes: 6), "数据")
        XCTAssertEqual(OpenStackCloudBackend.lastBytes(of: "x", maxBytes: 0), "")
    }
}

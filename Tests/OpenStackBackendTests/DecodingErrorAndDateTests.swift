import Foundation
import XCTest
@testable import OpenStackBackend

final class DecodingErrorAndDateTests: XCTestCase {
    private func sentence(_ status: Int, _ body: String) -> String {
        OpenStackErrorText.sentence(status: status, body: Data(body.utf8))
    }

    func testNovaAndCinderFaults() {
        XCTAssertEqual(sentence(404, #"{"itemNotFound": {"message": "Instance abc could not be found.", "code": 404}}"#),
                       "Instance abc could not be found (HTTP 404 Not Found); refresh the list, the resource may have been deleted.")
        XCTAssertEqual(sentence(409, #"{"conflictingRequest": {"code": 409, "message": "Cannot 'stop' instance x while it is in task_state powering-off"}}"#),
                       "Cannot 'stop' instance x while it is in task_state powering-off (HTTP 409 Conflict); wait for the resource's current task to finish, refresh and try again.")
        XCTAssertEqual(sentence(413, #"{"overLimit": {"code": 413, "message": "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes'."}}"#),
                       "VolumeLimitExceeded: Maximum number of volumes allowed (10) exceeded for quota 'volumes' (HTTP 413 Request Entity Too Large); wait a moment or free some quota, then try again.")
    }

    func testNeutronError() {
        XCTAssertEqual(sentence(404, #"{"NeutronError": {"type": "NetworkNotFound", "message": "Network n1 could not be found.", "detail": ""}}"#),
                       "Network n1 could not be found (HTTP 404 Not Found); refresh the list, the resource may have been deleted.")
        XCTAssertEqual(sentence(409, #"{"NeutronError": {"type": "InUse", "message": "Unable to complete operation.", "detail": "One or more ports have an IP allocation from this subnet."}}"#),
                       "Unable to complete operation: One or more ports have an IP allocation from this subnet (HTTP 409 Conflict); wait for the resource's current task to finish, refresh and try again.")
    }

    func testKeystoneError() {
        XCTAssertEqual(sentence(401, #"{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}"#),
                       "The request you have made requires authentication (HTTP 401 Unauthorized); sign in again or check the credentials in clouds.yaml.")
    }

    func testGlanceBodies() {
        XCTAssertEqual(sentence(404, "404 Not Found\n\nNo image found with ID abc\n\n   "),
                       "No image found with ID abc (HTTP 404 Not Found); refresh the list, the resource may have been deleted.")
        let html = "<html>\n <head>\n  <title>403 Forbidden</title>\n </head>\n <body>\n  <h1>403 Forbidden</h1>\n  You are not authorized to complete publicize_image action.<br /><br />\n\n\n\n </body>\n</html>"
        XCTAssertEqual(sentence(403, html),
                       "You are not authorized to complete publicize_image action (HTTP 403 Forbidden); ask a cloud administrator for a role that allows this.")
        XCTAssertEqual(sentence(400, #"{"title": "Bad Request", "description": "Invalid disk format 'qcow3'."}"#),
                       "Bad Request: Invalid disk format 'qcow3' (HTTP 400 Bad Request); check the values you entered and try again.")
        XCTAssertEqual(sentence(409, #"{"errors": [{"status": 409, "title": "Conflict", "detail": "Inventory in use."}]}"#),
                       "Conflict: Inventory in use (HTTP 409 Conflict); wait for the resource's current task to finish, refresh and try again.")
    }

    func testEmptyOrUnreadableBodies() {
        XCTAssertEqual(sentence(503, ""),
                       "The cloud answered with an error (HTTP 503 Service Unavailable); the service had a problem; try again later or ask the cloud operator.")
        XCTAssertEqual(OpenStackErrorText.sentence(status: 599, body: Data([0xff, 0xfe])),
                       "The cloud answered with an error (HTTP 599); the service had a problem; try again later or ask the cloud operator.")
    }

    func testDateForms() throws {
        let base = try XCTUnwrap(OpenStackDate.parse("2016-03-08T20:19:41Z")).timeIntervalSince1970
        XCTAssertEqual(base, 1_457_468_381)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T20:19:41")?.timeIntervalSince1970, base)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T20:19:41+00:00")?.timeIntervalSince1970, base)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T22:19:41+02:00")?.timeIntervalSince1970, base)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T19:19:41-0100")?.timeIntervalSince1970, base)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T20:19:41.5")?.timeIntervalSince1970, base + 0.5)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08T20:19:41.250000Z")?.timeIntervalSince1970, base + 0.25)
        XCTAssertEqual(OpenStackDate.parse("2016-03-08 20:19:41")?.timeIntervalSince1970, base)
        XCTAssertNil(OpenStackDate.parse(""))
        XCTAssertNil(OpenStackDate.parse("2016-03-08"))
        XCTAssertNil(OpenStackDate.parse("2016-13-08T20:19:41Z"))
        XCTAssertNil(OpenStackDate.parse("2016-03-08T20:19:41Zjunk"))
        XCTAssertNil(OpenStackDate.parse("2016-03-08T20:19:41."))
    }
}

import Foundation
import XCTest
import StacktopModel
@testable import OpenStackBackend

/// Horizon's Availability Zone, Task and Power State columns, from the upstream server samples.
final class DecodingNovaPowerStateTests: XCTestCase {
    func testTheUpstreamSamplesGiveZoneTaskAndPowerState() throws {
        for path in ["nova/servers/servers-details-resp.json", "nova/servers/v2.100/servers-details-resp.json"] {
            let servers = try NovaDecoder.servers(try Samples.data(path)).items
            XCTAssertFalse(servers.isEmpty, path)
            for server in servers {
                XCTAssertEqual(server.availabilityZone, "us-west", path)
                XCTAssertNil(server.taskState, "a null task_state is no task: \(path)")
                XCTAssertEqual(server.powerState, .running, path)
            }
        }
        let one = try NovaDecoder.server(try Samples.data("nova/servers/server-get-resp.json"))
        XCTAssertEqual(one.availabilityZone, "us-west")
        XCTAssertEqual(one.powerState?.label, "Running")
    }

    /// The same sample with the fields a stopping server has.
    func testATaskAndEveryPowerNumber() throws {
        let text = String(decoding: try Samples.data("nova/servers/server-get-resp.json"), as: UTF8.self)
        for (number, expected) in [(0, PowerState.noState), (3, .paused), (4, .shutdown), (6, .crashed),
                                   (7, .suspended), (9, .noState)] {
            let changed = text
                .replacingOccurrences(of: "\"OS-EXT-STS:power_state\": 1", with: "\"OS-EXT-STS:power_state\": \(number)")
                .replacingOccurrences(of: "\"OS-EXT-STS:task_state\": null", with: "\"OS-EXT-STS:task_state\": \"powering-off\"")
                .replacingOccurrences(of: "\"OS-EXT-AZ:availability_zone\": \"us-west\"", with: "\"OS-EXT-AZ:availability_zone\": \"\"")
            XCTAssertNotEqual(changed, text)
            let server = try NovaDecoder.server(Data(changed.utf8))
            XCTAssertEqual(server.powerState, expected, "power_state \(number)")
            XCTAssertEqual(server.taskState, "powering-off")
            XCTAssertNil(server.availabilityZone, "an empty zone is shown as none")
        }
    }

    /// A body without the extension fields (a restrictive policy): nothing made up.
    func testWithoutTheExtensionsTheFieldsAreNil() throws {
        let body = #"{"server": {"id": "x", "name": "plain"}}"#
        let server = try NovaDecoder.server(Data(body.utf8))
        XCTAssertNil(server.powerState)
        XCTAssertNil(server.taskState)
        XCTAssertNil(server.availabilityZone)
    }
}

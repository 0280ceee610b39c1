import Foundation
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore
import StacktopTestSupport

/// Resize, snapshot, volumes, interfaces and security groups on the demo host in libvirt's test driver.
/// Hot-plug is not in the test driver: there libvirt's failure is checked, and the real-guest suite does the rest.
final class InstanceDeviceActionTests: XCTestCase {
    private var backend: LocalCloudBackend!
    private var store: StateStore!

    override func setUpWithError() throws {
        (backend, store) = try openDemoBackend(self)
    }

    private func run(_ action: ActionKind, _ target: String, _ text: [OptionKey: String] = [:]) async -> String {
        do {
            return try await backend.perform(ActionRequest(action: action, kind: .instance, targets: [target],
                                                           text: text)).message
        } catch {
            return ErrorText.sentence(error)
        }
    }

    private func refusal(_ action: ActionKind, _ target: String, _ text: [OptionKey: String] = [:],
                         file: StaticString = #filePath, line: UInt = #line) async -> BackendError? {
        await backendError(file: file, line: line) {
            try await backend.perform(ActionRequest(action: action, kind: .instance, targets: [target], text: text))
        }
    }

    private func instance(_ name: String) async throws -> Instance {
        let snapshot = try await backend.snapshot()
        return try XCTUnwrap(snapshot.instances.first { $0.name == name })
    }

    func testResizeRedefinesAShutOffInstanceAndRefusesARunningOne() async throws {
        let running = await refusal(.resize, "web-01", [.flavor: "m1.large"])
        XCTAssertEqual(running, .wrongState(name: "web-01", state: "running", action: .resize, needs: .stateFirst("shut off"),
                                            advice: "shut it off and try again"))
        let message = await run(.resize, "staging-api", [.flavor: "m1.medium"])
        XCTAssertEqual(message, "Resized staging-api to m1.medium (2 vCPUs, 4096 MiB); its disk keeps its size.")
        let resized = try await instance("staging-api")
        XCTAssertEqual(resized.vcpus, 2)
        XCTAssertEqual(resized.memoryMiB, 4096)
        XCTAssertEqual(resized.flavor, "m1.medium")
        let again = await refusal(.resize, "staging-api", [.flavor: "m1.medium"])
        XCTAssertEqual(again, .invalidOption(.flavor, reason: "staging-api already has flavor m1.medium."))
    }

    func testSnapshotCopiesTheDiskIntoAPrivateImage() async throws {
        let refused = await refusal(.snapshot, "web-01")
        XCTAssertEqual(refused, .wrongState(name: "web-01", state: "running", action: .snapshot, needs: .state("shut off or paused"),
                                            advice: "do that first so the copy is consistent"))
        // libvirt's test driver only clones within one pool, so the copy stays beside the disk here.
        let message = await run(.snapshot, "staging-api", [.imageName: "staging-golden", .pool: "default"])
        XCTAssertEqual(message, "Saved staging-api's disk as private image staging-golden in pool default.")
        let images = try await backend.snapshot().images
        let image = try XCTUnwrap(images.first { $0.name == "staging-golden" })
        XCTAssertEqual(image.visibility, .private)
        XCTAssertEqual(image.project, "engineering")
        let taken = await refusal(.snapshot, "staging-api", [.imageName: "staging-golden"])
        XCTAssertEqual(taken, .nameTaken(kind: "image", name: "staging-golden", scope: nil, option: .imageName))
    }

    func testVolumeChecksComeBeforeLibvirt() async throws {
        let web = try await instance("web-01")
        let volumes = try await backend.snapshot().volumes
        let root = try XCTUnwrap(volumes.first { $0.path == web.disks.first?.source })
        let rootDetach = await refusal(.detachVolume, "web-01", [.volume: root.name])
        XCTAssertEqual(rootDetach, .invalidOption(.volume, reason: "\(root.name) is web-01's root disk; it cannot be detached."))
        let attachedElsewhere = await refusal(.attachVolume, "staging-api", [.volume: root.name])
        XCTAssertEqual(attachedElsewhere, .inUse(kind: .volume, name: root.name, by: ["web-01"], use: .alreadyAttachedTo, advice: nil))
        let missing = await refusal(.attachVolume, "staging-api")
        XCTAssertEqual(missing, .invalidOption(.volume, reason: "Attach volume needs --volume, e.g. --volume data-01."))
        // A free volume reaches libvirt; the test driver has no hot-plug and says so in the sentence.
        _ = try await backend.perform(ActionRequest(action: .create, kind: .volume, targets: ["data"], text: [.size: "1"]))
        let attach = await run(.attachVolume, "staging-api", [.volume: "data"])
        XCTAssertTrue(attach.hasPrefix("Attaching data.qcow2 to staging-api failed: ") || attach.hasPrefix("Attached volume data.qcow2"),
                      attach)
    }

    func testSecurityGroupsAreRecordedAndTheLockHoldsForEveryDeviceAction() async throws {
        let added = await run(.addSecurityGroup, "staging-api", [.group: "db"])
        XCTAssertEqual(added, "Added security group db to staging-api; this host has no network filter bound to it, "
                       + "so the rules are recorded but not enforced.")
        let withWeb = try await instance("staging-api")
        XCTAssertTrue(withWeb.securityGroups.contains("db"))
        let twice = await refusal(.addSecurityGroup, "staging-api", [.group: "db"])
        XCTAssertEqual(twice, .invalidOption(.group, reason: "staging-api is already in security group db."))
        _ = await run(.removeSecurityGroup, "staging-api", [.group: "db"])
        let withoutWeb = try await instance("staging-api")
        XCTAssertFalse(withoutWeb.securityGroups.contains("db"))

        _ = await run(.lock, "staging-api")
        let before = try await instance("staging-api")
        for (action, text) in [(ActionKind.resize, [OptionKey.flavor: "m1.large"]), (.snapshot, [:]),
                               (.addSecurityGroup, [.group: "db"]), (.attachVolume, [.volume: "x"])] {
            let refused = await refusal(action, "staging-api", text)
            XCTAssertEqual(refused, .locked(name: "staging-api"), "\(action)")
        }
        let after = try await instance("staging-api")
        XCTAssertEqual(after, before, "a locked instance is not touched")
    }
}

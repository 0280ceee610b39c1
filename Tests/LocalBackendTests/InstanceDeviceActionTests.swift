import Foundation
import XCTest
@testable import LocalBackend
import StacktopModel
import StacktopServices
import StacktopStore

/// Resize, snapshot, volumes, interfaces and security groups on the demo host in libvirt's test driver.
/// Hot-plug is not in the test driver: there the sentence is checked, and the real-guest suite does the rest.
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

    private func instance(_ name: String) async throws -> Instance {
        let snapshot = try await backend.snapshot()
        return try XCTUnwrap(snapshot.instances.first { $0.name == name })
    }

    func testResizeRedefinesAShutOffInstanceAndRefusesARunningOne() async throws {
        let running = await run(.resize, "web-01", [.flavor: "m1.large"])
        XCTAssertEqual(running, "Resize needs web-01 shut off first; shut it off and try again.")
        let message = await run(.resize, "staging-api", [.flavor: "m1.medium"])
        XCTAssertEqual(message, "Resized staging-api to m1.medium (2 vCPUs, 4096 MiB); its disk keeps its size.")
        let resized = try await instance("staging-api")
        XCTAssertEqual(resized.vcpus, 2)
        XCTAssertEqual(resized.memoryMiB, 4096)
        XCTAssertEqual(resized.flavor, "m1.medium")
        let again = await run(.resize, "staging-api", [.flavor: "m1.medium"])
        XCTAssertEqual(again, "staging-api already has flavor m1.medium.")
    }

    func testSnapshotCopiesTheDiskIntoAPrivateImage() async throws {
        let refused = await run(.snapshot, "web-01")
        XCTAssertEqual(refused, "A consistent snapshot needs web-01 shut off or paused; do that first.")
        // libvirt's test driver only clones within one pool, so the copy stays beside the disk here.
        let message = await run(.snapshot, "staging-api", [.imageName: "staging-golden", .pool: "default"])
        XCTAssertEqual(message, "Saved staging-api's disk as private image staging-golden in pool default.")
        let images = try await backend.snapshot().images
        let image = try XCTUnwrap(images.first { $0.name == "staging-golden" })
        XCTAssertEqual(image.visibility, .private)
        XCTAssertEqual(image.project, "engineering")
        let taken = await run(.snapshot, "staging-api", [.imageName: "staging-golden"])
        XCTAssertEqual(taken, "An image named staging-golden already exists; choose another --image-name.")
    }

    func testVolumeChecksComeBeforeLibvirt() async throws {
        let web = try await instance("web-01")
        let volumes = try await backend.snapshot().volumes
        let root = try XCTUnwrap(volumes.first { $0.path == web.disks.first?.source })
        let rootDetach = await run(.detachVolume, "web-01", [.volume: root.name])
        XCTAssertEqual(rootDetach, "\(root.name) is web-01's root disk; it cannot be detached.")
        let attachedElsewhere = await run(.attachVolume, "staging-api", [.volume: root.name])
        XCTAssertEqual(attachedElsewhere, "Volume \(root.name) is already attached to web-01.")
        let missing = await run(.attachVolume, "staging-api")
        XCTAssertEqual(missing, "Attach volume needs --volume, e.g. --volume data-01.")
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
        let twice = await run(.addSecurityGroup, "staging-api", [.group: "db"])
        XCTAssertEqual(twice, "staging-api is already in security group db.")
        _ = await run(.removeSecurityGroup, "staging-api", [.group: "db"])
        let withoutWeb = try await instance("staging-api")
        XCTAssertFalse(withoutWeb.securityGroups.contains("db"))

        _ = await run(.lock, "staging-api")
        let before = try await instance("staging-api")
        for (action, text) in [(ActionKind.resize, [OptionKey.flavor: "m1.large"]), (.snapshot, [:]),
                               (.addSecurityGroup, [.group: "db"]), (.attachVolume, [.volume: "x"])] {
            let message = await run(action, "staging-api", text)
            XCTAssertEqual(message, "staging-api is locked: unlock it first (`stacktop server unlock staging-api`).")
        }
        let after = try await instance("staging-api")
        XCTAssertEqual(after, before, "a locked instance is not touched")
    }
}

import Foundation
import StacktopServices

/// Takes a disk or an interface out of an instance and reports only what happened.
///
/// libvirt's live detach is a request: QEMU tells the guest (ACPI PCI hot-unplug) and the device stays
/// until the guest answers. A guest with no OS, a hung kernel, or one that is paused never answers, and
/// libvirt's own detach call still returns success. So the running guest is asked first and watched until
/// the device leaves its live definition (or `timeout` passes), and only then is the device taken out of
/// the saved definition. When the guest keeps it, nothing else changes: the definition still has it, and
/// the action fails with the reason. `force` takes it out of the saved definition only (libvirt's
/// VIR_DOMAIN_AFFECT_CONFIG): the running guest keeps the device until it is shut off, and it is gone
/// from the next start on.
struct DeviceUnplug {
    let connection: LibvirtConnection
    /// How long to wait for the guest to let go.
    let timeout: Duration

    enum Device {
        case disk(target: String)
        case interface(mac: String)

        func matches(_ element: XMLTree.Element) -> Bool {
            switch self {
            case .disk(let target):
                element.name == "disk" && element.child("target")?[attribute: "dev"] == target
            case .interface(let mac):
                element.name == "interface"
                    && element.child("mac")?[attribute: "address"]?.lowercased() == mac.lowercased()
            }
        }
    }

    enum Result: Equatable {
        /// Gone from the running guest (if it runs) and from the saved definition.
        case removed
        /// `force`: gone from the saved definition; the running guest still has it until it is shut off.
        case removedFromDefinitionOnly
        /// The running guest did not let go within `timeout`; nothing changed.
        case held(paused: Bool)
    }

    /// Nil when the instance has the device neither live nor in its definition.
    func detach(uuid: String, device: Device, xml: String, force: Bool, what: String) throws -> Result? {
        let active = try connection.isActive(uuid: uuid)
        let live = active ? try connection.devices(uuid: uuid, live: true)?.children.first(where: device.matches) : nil
        let saved = try connection.devices(uuid: uuid, live: false)?.children.first(where: device.matches)
        guard live != nil || saved != nil else { return nil }

        if force || live == nil {
            if saved != nil { try connection.detachFromDefinition(uuid: uuid, xml: xml, what: what) }
            return live == nil ? .removed : .removedFromDefinitionOnly
        }
        let deadline = ContinuousClock.now.advanced(by: timeout)
        let alias = live?.child("alias")?[attribute: "name"]
        try connection.requestLiveDetach(uuid: uuid, alias: alias, xml: xml, what: what)
        let released = try Self.wait(until: deadline) {
            try connection.devices(uuid: uuid, live: true)?.children.contains(where: device.matches) != true
        }
        guard released else {
            let paused = (try? connection.domainStatus(uuid))?.state == .paused
            return .held(paused: paused)
        }
        if saved != nil { try connection.detachFromDefinition(uuid: uuid, xml: xml, what: what) }
        return .removed
    }

    /// Polls `done` every 100 ms until it holds or `deadline` passes; checks once more at the end.
    static func wait(until deadline: ContinuousClock.Instant, _ done: () throws -> Bool) throws -> Bool {
        while ContinuousClock.now < deadline {
            if try done() { return true }
            Thread.sleep(forTimeInterval: 0.1)
        }
        return try done()
    }

    /// "10 s", "2.5 s".
    var timeoutText: String {
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        return seconds == seconds.rounded() ? "\(Int(seconds)) s" : "\(seconds) s"
    }

    /// The reason a held device stays, as the clause after "failed: ".
    func heldReason(instance: String, device: String, paused: Bool, kind: String) -> String {
        let why = paused ? "\(instance) is paused, so the guest cannot answer the unplug request"
                         : "the guest did not answer the unplug request"
        let retry = paused ? "unpause \(instance) and try again" : "try again when the guest is up"
        return "\(instance) has not released \(device) after \(timeoutText): \(why), so the \(kind) stays attached "
            + "and in its definition; \(retry) (should the guest answer late, the \(kind) leaves the running guest only, "
            + "and detaching again finishes the job), or add --force to take it out of \(instance)'s definition "
            + "so it is gone once \(instance) is shut off"
    }
}

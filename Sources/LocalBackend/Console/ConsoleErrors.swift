import CLibvirt
import StacktopServices

/// The refusals for a console that cannot open.
enum ConsoleErrors {
    static func notRunning(name: String, state: String) -> BackendError {
        .wrongState(name: name, state: "not running (\(state))", action: nil, needs: .so("its serial console cannot open"),
                    advice: "start it first")
    }

    static func noDevice(name: String) -> BackendError {
        .unavailable(feature: "serial console", reason: "\(name) has no serial console device; add <serial type='pty'/> and "
                     + "<console type='pty'/> to its definition (virsh edit \(name)) and restart it.")
    }

    /// Maps libvirt's answer to virDomainOpenConsole onto the sentences above.
    static func openFailed(name: String, code: Int32, message: String) -> any Error {
        let lowered = message.lowercased()
        if lowered.contains("active console session") { return ConsoleBusy(instanceName: name) }
        if code == Int32(VIR_ERR_OPERATION_INVALID.rawValue) && lowered.contains("not running") {
            return notRunning(name: name, state: "shut off")
        }
        if lowered.contains("cannot find") && lowered.contains("device") { return noDevice(name: name) }
        if code == Int32(VIR_ERR_NO_SUPPORT.rawValue) {
            return BackendError.unavailable(feature: "serial console", reason: "This libvirt connection cannot open serial "
                                            + "consoles (\(message)); connect to a QEMU host (qemu:///system) to use them.")
        }
        return BackendError.failed(what: "Opening the serial console of \(name)", reason: message)
    }
}

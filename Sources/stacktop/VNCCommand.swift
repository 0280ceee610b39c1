import StacktopServices

/// `stacktop vnc INSTANCE`: starts a viewer or prints how to reach the display.
enum VNCCommand {
    static func run(instance name: String, showPassword: Bool, opened: OpenedBackend, readOnly: Bool,
                    environment: [String: String]) -> Int32 {
        if readOnly {
            printError("Refused to open the VNC display of \(name): stacktop is read-only; restart it without --readonly.")
            return 1
        }
        guard let consoles = opened.consoles else {
            printError("This backend has no graphical consoles; connect to a libvirt host with --connect URI.")
            return 1
        }
        do {
            let instance = try ConsoleTargets.find(name, in: opened)
            let result = try runBlocking {
                await VNCLauncher.run(consoles: consoles, instanceID: instance.id, instanceName: instance.name,
                                      environment: environment, showPassword: showPassword)
            }
            if result.failed {
                result.lines.forEach { printError($0) }
                return 1
            }
            result.lines.forEach { printOut($0) }
            return 0
        } catch {
            printError(ErrorText.sentence(error))
            return 1
        }
    }
}

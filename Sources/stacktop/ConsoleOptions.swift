/// The words after `console` and `vnc`; global options may follow the instance name too.
enum ConsoleOptions {
    static func parse(_ command: String, _ words: [String], options: inout Options) throws -> Options.Mode {
        var instance: String?
        var force = false, showPassword = false
        var escape: UInt8 = 0x1d
        var rest = words[...]
        while let option = rest.popOption() {
            let flag = option.flag
            func take() throws -> String { try rest.value(of: option) }
            switch flag {
            case "--force" where command == "console": force = true
            case "--escape" where command == "console":
                let text = try take()
                guard let byte = ConsolePump.escapeByte(text) else {
                    throw UsageError(description: "--escape takes one character or ^X (e.g. ^] or ^O), not \"\(text)\".")
                }
                escape = byte
            case "--show-password" where command == "vnc": showPassword = true
            case "--connect", "-c": options.connect = try take()
            case "--demo": options.demo = true
            case "--reset": options.resetDemo = true
            case "--state": options.statePath = try take()
            case "--readonly", "--read-only": options.readOnly = true
            default:
                guard !flag.hasPrefix("-") || flag == "-", instance == nil else {
                    throw UsageError(description: flag.hasPrefix("-")
                        ? "Unknown option \(flag) for `\(command)`; see stacktop --help."
                        : "`\(command)` takes one instance name, not also \"\(flag)\".")
                }
                instance = option.word
            }
        }
        guard let instance else {
            throw UsageError(description: "`\(command)` needs an instance name, e.g. `stacktop \(command) web-01`.")
        }
        return command == "console" ? .console(instance: instance, force: force, escape: escape)
            : .vnc(instance: instance, showPassword: showPassword)
    }
}

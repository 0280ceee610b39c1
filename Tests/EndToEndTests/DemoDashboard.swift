import SystemTestSupport

extension TmuxHarness {
    /// The built binary's demo dashboard, moved from the Overview to its Instances panel (16 instances).
    static func demoOnInstances(width: Int = 120, height: Int = 40, prefix: String = "", flags: String = "",
                                file: StaticString = #filePath, line: UInt = #line) throws -> TmuxHarness {
        let tmux = try TmuxHarness(width: width, height: height, command: "\(prefix)\(binary.path) --demo\(flags)")
        tmux.waitFor(text: "Limit Summary", file: file, line: line)
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)", file: file, line: line)
        return tmux
    }
}

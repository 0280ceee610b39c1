import SystemTestSupport

extension TmuxHarness {
    /// The built binary's demo dashboard, moved from the Overview to its Instances panel (16 instances).
    static func demoOnInstances(file: StaticString = #filePath, line: UInt = #line) throws -> TmuxHarness {
        let tmux = try TmuxHarness(command: "\(binary.path) --demo")
        tmux.waitFor(text: "Limit Summary", file: file, line: line)
        try tmux.send("2")
        tmux.waitFor(text: "Instances (16)", file: file, line: line)
        return tmux
    }
}

import CTerminalShim

/// What happens when stacktop crashes, in every mode: the terminal is restored at once, the whole
/// backtrace goes to the crash log, and one line on stderr names it. Nothing waits for a key.
public enum CrashReporting {
    /// Swift's backtracer settings, chosen on purpose (DECISIONS.md, "A crash is one line and a log"):
    /// never interactive (it would hold the terminal for 30 s), no colour codes in a file, the full
    /// preset (every thread, registers, images) to stderr, which the crash handler points at the log.
    public static let backtracerSettings = "interactive=no,color=no,output-to=stderr,preset=full,sanitize=no"

    /// Re-executes the process once with `SWIFT_BACKTRACE` set, because the runtime reads it only as
    /// it loads. Does nothing when the user set `SWIFT_BACKTRACE`; returns normally if the exec fails.
    public static func configureBacktracer() {
        _ = st_configure_backtracer(CommandLine.unsafeArgv, backtracerSettings)
    }

    /// Installs the process-wide crash handler writing to `logPath`. Returns a sentence when it could not.
    @discardableResult
    public static func install(logPath: String) -> String? {
        let error = st_crash_install(logPath)
        return error == 0 ? nil : "Crash reporting is off: the crash log path \(logPath) is unusable (\(TerminalError.errnoText(error)))."
    }
}

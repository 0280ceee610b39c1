/// Progress of a long action (an image streaming into a pool), reported without widening the backend
/// protocol: the caller sets a reporter for the task that performs the action, and the backend calls it.
public enum ActionProgress {
    public struct Update: Sendable, Equatable {
        /// "Uploading debian-12.qcow2".
        public var what: String
        public var done: UInt64
        public var total: UInt64

        public init(what: String, done: UInt64, total: UInt64) {
            self.what = what; self.done = done; self.total = total
        }

        /// "Uploading debian-12.qcow2: 45% (120.0 MiB of 268.0 MiB)".
        public var sentence: String {
            let percent = total == 0 ? 100 : Int(Double(done) * 100 / Double(total))
            return "\(what): \(percent)% (\(Self.mib(done)) of \(Self.mib(total)))"
        }

        private static func mib(_ bytes: UInt64) -> String {
            let tenths = (bytes * 10 + 524_288) / 1_048_576
            return "\(tenths / 10).\(tenths % 10) MiB"
        }
    }

    @TaskLocal public static var reporter: (@Sendable (Update) -> Void)?

    /// Calls the current task's reporter, if any.
    public static func report(_ update: Update) { reporter?(update) }
}

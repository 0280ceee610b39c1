/// Progress of a long action (an image streaming into a pool), reported without widening the backend
/// protocol: the caller runs the action inside `withReporter`, and the backend calls `report`.
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

    /// Whoever wants the updates. A struct, never a bare closure, on purpose: with a function type as a
    /// task-local's value, Swift 6.3's optimizer specializes `TaskLocal.withValue` and asks the runtime for
    /// the metadata of the *lowered* function type (`@substituted <A, B> (@in_guaranteed A) -> @out B`),
    /// which the runtime cannot build; it gets null and `swift_task_localValuePush` dereferences it. Debug
    /// builds do not specialize, so only the release binary crashed (DECISIONS.md, "No function types as
    /// generic runtime values"). A nominal wrapper has ordinary metadata.
    public struct Reporter: Sendable {
        public let receive: @Sendable (Update) -> Void
        public init(_ receive: @escaping @Sendable (Update) -> Void) { self.receive = receive }
    }

    @TaskLocal private static var current: Reporter?

    /// Runs `operation` with `reporter` receiving every update reported inside it (and in tasks it starts).
    public static func withReporter<Result: Sendable>(
        _ reporter: Reporter, operation: () async throws -> Result
    ) async rethrows -> Result {
        try await $current.withValue(reporter, operation: operation)
    }

    /// The reporter of the current task, to carry onto a thread that has no task (a URLSession delegate).
    public static var currentReporter: Reporter? { current }

    /// Calls the current task's reporter, if any.
    public static func report(_ update: Update) { current?.receive(update) }
}

import StacktopServices

/// Turns what happened to each target into the one sentence (or the one error) the user sees.
enum InstanceActionReport {
    /// One finished target: its name now, and for rename and delete the extra that the sentence needs.
    struct Done: Equatable {
        var name: String
        var renamedTo: String? = nil
        var deletedDisks: [String] = []
        /// Disks that stay in their pools: volumes made separately, or every disk of a domain stacktop did not launch.
        var keptDisks: [String] = []
        /// Kept volumes the running guest still held when it was powered off.
        var heldAtPowerOff: [String] = []
        /// A domain defined outside stacktop: only its definition was deleted.
        var definedOutside = false
    }

    /// "Powered off web-01 and web-02": what was done, in the past tense, without the full stop.
    static func done(_ action: ActionKind, _ done: [Done]) -> String {
        let names = list(done.map(\.name))
        switch action {
        case .start: return "Started \(names)"
        // Shutdown and reboot only ask the guest; the guest decides when it is done.
        case .stop: return "Asked \(names) to shut down"
        case .powerOff: return "Powered off \(names)"
        case .reboot: return "Asked \(names) to reboot"
        case .hardReboot: return "Hard rebooted \(names)"
        case .pause: return "Paused \(names)"
        case .unpause: return "Unpaused \(names)"
        case .suspend: return "Suspended \(names)"
        case .resume: return "Resumed \(names)"
        case .lock: return "Locked \(names)"
        case .unlock: return "Unlocked \(names)"
        case .rename:
            return list(done.map { "Renamed \($0.name) to \($0.renamedTo ?? $0.name)" })
        case .delete:
            if done.allSatisfy({ $0.keptDisks.isEmpty }) {
                let disks = done.flatMap(\.deletedDisks)
                if disks.isEmpty { return "Deleted \(names)" }
                let what = disks.count == 1 ? "disk" : "disks"
                return "Deleted \(names) with \(done.count == 1 ? "its" : "their") \(what) \(list(disks))"
            }
            let clauses = done.map(deletion)
            return clauses.enumerated().map { $0.offset == 0 ? $0.element : "d" + $0.element.dropFirst() }
                .joined(separator: "; ")
        default: return "\(action.traits.title) done for \(names)"
        }
    }

    /// "Deleted web-01 with its disk web-01-root.qcow2; kept volume data.qcow2": exactly what went and what stayed.
    private static func deletion(_ done: Done) -> String {
        let plural = { (count: Int, one: String) in count == 1 ? one : one + "s" }
        let outside = done.definedOutside && !done.keptDisks.isEmpty
        var text = outside ? "Deleted the definition of \(done.name) (stacktop did not launch it)"
                                       : "Deleted \(done.name)"
        if !done.deletedDisks.isEmpty {
            text += " with its \(plural(done.deletedDisks.count, "disk")) \(list(done.deletedDisks))"
        }
        if !done.keptDisks.isEmpty {
            text += outside ? "; kept its \(plural(done.keptDisks.count, "disk")) \(list(done.keptDisks))"
                                        : "; kept \(plural(done.keptDisks.count, "volume")) \(list(done.keptDisks))"
            if !done.heldAtPowerOff.isEmpty {
                text += ", though \(done.name) still held \(list(done.heldAtPowerOff)) when it was powered off"
            }
        }
        return text
    }

    /// The outcome when nothing failed; else the one error naming what succeeded and what failed, and why.
    /// A single target's error is passed on unchanged, so a locked instance still reads as `.locked`.
    static func outcome(_ action: ActionKind, done: [Done],
                        failed: [(target: String, error: BackendError)]) throws(BackendError) -> ActionOutcome {
        if failed.isEmpty { return ActionOutcome(message: self.done(action, done) + ".") }
        if done.isEmpty, failed.count == 1 { throw failed[0].error }
        let reasons = failed.map { $0.error.message.droppingFinalStop }.joined(separator: "; ")
        let failedNames = list(failed.map(\.target))
        if done.isEmpty {
            // Nothing changed when every failure was a refusal, and the audit log should say refused.
            if failed.allSatisfy({ $0.error.isRefusal }) {
                throw .refusedForEach(action: action, failures: failed.map { .init(target: $0.target, error: $0.error) })
            }
            throw .failed(what: "\(action.traits.title) \(failedNames)", reason: reasons)
        }
        throw .failed(what: "\(self.done(action, done)), but \(failedNames)", reason: reasons)
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}

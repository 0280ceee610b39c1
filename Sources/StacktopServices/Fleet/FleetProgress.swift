import Synchronization
import StacktopModel

/// The instances of a fleet's read under way: each context's latest (its last good data until its read,
/// or its own pieces, arrive), handed on merged and qualified, with how many contexts have finished.
final class FleetProgress: Sendable {
    private struct Pieces {
        var instances: [[Instance]?]
        var finished = 0
        var lastSent = ContinuousClock.now - .seconds(1)
        /// A context has finished with rows: until then one that does is handed on at once, even right after
        /// one that failed or had none (contexts finish together, and the first rows must not wait).
        var rowsFinished = false
    }
    /// Pieces are handed on at most this often (the first finished context at once). Every piece
    /// holds every row so far, and drawing thousands of rows per piece would slow the read it reports on.
    static let pieceInterval = Duration.milliseconds(250)
    private let pieces: Mutex<Pieces>
    private let contexts: [String]
    private let report: @Sendable (PartialSnapshot) -> Void

    init(instances: [[Instance]?], contexts: [String], report: @escaping @Sendable (PartialSnapshot) -> Void) {
        pieces = Mutex(Pieces(instances: instances))
        self.contexts = contexts; self.report = report
    }

    /// A context's own piece (names first, details page by page), its ids local.
    func piece(_ instances: [Instance], of index: Int) {
        let due = pieces.withLock { all -> (instances: [[Instance]?], finished: Int)? in
            all.instances[index] = instances
            guard ContinuousClock.now - all.lastSent >= Self.pieceInterval else { return nil }
            all.lastSent = .now
            return (all.instances, all.finished)
        }
        if let due { send(due) }
    }

    /// A context finished its part of the read (its last good data when it failed): the first one, and the first
    /// with rows, at once (the first rows on screen), the others at the pieces' pace, since the whole read
    /// follows the last of them.
    func finished(_ instances: [Instance], of index: Int) {
        let due = pieces.withLock { all -> (instances: [[Instance]?], finished: Int)? in
            all.instances[index] = instances
            all.finished += 1
            let firstRows = !all.rowsFinished && !instances.isEmpty
            if firstRows { all.rowsFinished = true }
            guard all.finished == 1 || firstRows || ContinuousClock.now - all.lastSent >= Self.pieceInterval else { return nil }
            all.lastSent = .now
            return (all.instances, all.finished)
        }
        if let due { send(due) }
    }

    private func send(_ state: (instances: [[Instance]?], finished: Int)) {
        var merged: [Instance] = []
        for (context, instances) in zip(contexts, state.instances) {
            for instance in instances ?? [] {
                var qualified = instance
                qualified.id = FleetID.qualified(instance.id, context: context)
                merged.append(qualified)
            }
        }
        report(PartialSnapshot(instances: merged, loaded: state.finished, total: contexts.count, noun: "contexts"))
    }
}

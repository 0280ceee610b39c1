import Foundation
import Synchronization
import StacktopModel
import StacktopServices

/// How one list of a snapshot went: read, failed with an error, or not wanted this time.
enum PartRead<Value: Sendable>: Sendable {
    case read(Value)
    case failed(any Error)
    /// The service is not in the catalog or refuses this user (403/404/501): not there, with why.
    case unavailable(String)
    case skipped

    static func attempt(_ wanted: Bool, _ body: () async throws -> Value) async -> PartRead {
        guard wanted else { return .skipped }
        do { return .read(try await body()) } catch { return .failed(error) }
    }

    /// For lists a cloud may not offer: absent or forbidden is `.unavailable` with its sentence.
    static func attemptOffered(_ wanted: Bool, _ body: () async throws -> Value) async -> PartRead {
        guard wanted else { return .skipped }
        do {
            return .read(try await body())
        } catch let error as BackendError where error.isAbsentOrForbidden {
            return .unavailable(ErrorText.sentence(error))
        } catch {
            return .failed(error)
        }
    }

    var wasRead: Bool {
        if case .read = self { return true }
        return false
    }
}

/// The last good value of every list, by name, with when it was read. Values are stored as
/// `any Sendable` and read back as the type the same name was stored with.
final class LastGoodParts: Sendable {
    private let values = Mutex<[String: (value: any Sendable, at: Date)]>([:])

    func remember(_ what: String, _ value: any Sendable, at date: Date) {
        values.withLock { $0[what] = (value, date) }
    }

    func recall<Value: Sendable>(_ what: String, as type: Value.Type) -> (value: Value, at: Date)? {
        values.withLock { stored in stored[what].flatMap { entry in (entry.value as? Value).map { ($0, entry.at) } } }
    }
}

/// Collects the lists of one snapshot: a list whose service failed is replaced by its last good value
/// (or emptiness) and named in `stale` with the reason; refused credentials stop the whole read.
struct SnapshotPartsRead {
    let lastGood: LastGoodParts
    let now = Date()
    private(set) var stale: [StalePart] = []
    private(set) var unavailable: [StalePart] = []
    private var answered = 0
    private var firstError: (any Error)?
    private var refusal: (any Error)?

    init(lastGood: LastGoodParts) { self.lastGood = lastGood }

    mutating func take<Value: Sendable>(_ read: PartRead<Value>, _ what: String, empty: Value) -> Value {
        switch read {
        case .skipped:
            return empty
        case .unavailable(let reason):
            answered += 1   // the cloud answered: it has no such service for this user
            unavailable.append(StalePart(what: what, reason: reason))
            return empty
        case .read(let value):
            answered += 1
            lastGood.remember(what, value, at: now)
            return value
        case .failed(let error):
            if (error as? BackendError)?.stopsRetries == true, refusal == nil { refusal = error }
            if firstError == nil { firstError = error }
            let previous = lastGood.recall(what, as: Value.self)
            stale.append(StalePart(what: what, reason: ErrorText.sentence(error), lastGood: previous?.at))
            return previous?.value ?? empty
        }
    }

    func hasLastGood(_ what: String) -> Bool { lastGood.recall(what, as: [NeutronPort].self) != nil }

    /// Refused credentials always end the read; so does a read where no list answered at all (the
    /// cloud is unreachable): that is a failed refresh, not a partial one.
    func throwIfNothingAnswered() throws {
        if let refusal { throw refusal }
        if answered == 0, let firstError { throw firstError }
    }
}

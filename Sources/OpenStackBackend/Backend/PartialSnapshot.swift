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
    /// Not due this time (ReadCadence): the last answer stands, as it was (value, absence or failure).
    case kept

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
        switch self {
        case .read, .kept: true
        default: false
        }
    }

    var failed: Bool {
        if case .failed = self { return true }
        return false
    }
}

/// Which lists of one snapshot are read now and which keep their last answer (ReadCadence).
struct PartPlan: Sendable {
    let wanted: SnapshotParts
    let due: SnapshotParts
    let cadence: ReadCadence
    let now: Date
    /// Every list but servers starts once this opens (a cold read's first page of servers).
    let after: OneTimeSignal

    /// - Parameter force: read even when not wanted (flavors when servers do not embed them), at its cadence.
    func attempt<Value: Sendable>(_ part: SnapshotParts, force: Bool = false,
                                  _ body: () async throws -> Value) async -> PartRead<Value> {
        guard wanted.contains(part) || force else { return .skipped }
        guard due.contains(part) else { return .kept }
        if part != .servers { await after.wait() }
        let result = await PartRead.attempt(true, body)
        cadence.finished(part, failed: result.failed, at: now)
        return result
    }

    /// A list the service may not offer (missing from the catalog, forbidden): then it is empty, not
    /// stale, and the snapshot says why (the panel shows the sentence; `KIND list` fails with it).
    func offered<Value: Sendable>(_ part: SnapshotParts, _ body: () async throws -> Value) async -> PartRead<Value> {
        guard wanted.contains(part) else { return .skipped }
        guard due.contains(part) else { return .kept }
        await after.wait()
        let result = await PartRead.attemptOffered(true, body)
        cadence.finished(part, failed: result.failed, at: now)
        return result
    }
}

/// The last good value of every list, by name, with when it was read, and how its last read went when
/// that was not a value (a sentence saying the service is absent, or the stale mark of a failure), so a
/// list kept between reads shows as its last read did. Values are stored as `any Sendable` and read back
/// as the type the same name was stored with.
final class LastGoodParts: Sendable {
    private let values = Mutex<[String: (value: any Sendable, at: Date)]>([:])
    private let outcomes = Mutex<[String: LastOutcome]>([:])

    enum LastOutcome: Sendable {
        case unavailable(StalePart)
        case failed(StalePart)
    }

    func remember(_ what: String, _ value: any Sendable, at date: Date) {
        values.withLock { $0[what] = (value, date) }
        outcomes.withLock { $0[what] = nil }
    }

    func remember(_ what: String, outcome: LastOutcome) {
        outcomes.withLock { $0[what] = outcome }
    }

    func lastOutcome(_ what: String) -> LastOutcome? { outcomes.withLock { $0[what] } }

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
            let part = StalePart(what: what, reason: reason)
            unavailable.append(part)
            lastGood.remember(what, outcome: .unavailable(part))
            return empty
        case .kept:
            // Not read this time: what the last read said stands (it does not count as an answer).
            switch lastGood.lastOutcome(what) {
            case .unavailable(let part)?:
                unavailable.append(part)
                return empty
            case .failed(let part)?:
                stale.append(part)
            case nil:
                break
            }
            return lastGood.recall(what, as: Value.self)?.value ?? empty
        case .read(let value):
            answered += 1
            lastGood.remember(what, value, at: now)
            return value
        case .failed(let error):
            if (error as? BackendError)?.stopsRetries == true, refusal == nil { refusal = error }
            if firstError == nil { firstError = error }
            let previous = lastGood.recall(what, as: Value.self)
            let part = StalePart(what: what, reason: ErrorText.sentence(error), lastGood: previous?.at)
            stale.append(part)
            lastGood.remember(what, outcome: .failed(part))
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

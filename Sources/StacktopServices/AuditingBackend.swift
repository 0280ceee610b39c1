import FoundationEssentials
import StacktopModel

/// Writes every mutation that reaches the backend to the audit log: time, project, action, target,
/// result, error and the request ids the cloud gave. Sits inside `ReadOnlyBackend`, so read-only
/// refusals never touch the store (a wall screen must leave it exactly as it was).
public struct AuditingBackend<Base: CloudReader & CloudMutator>: ReadingThrough, CloudMutator {
    public let base: Base
    public let log: any AuditLog
    private let clock: @Sendable () -> Date

    public init(wrapping base: Base, log: any AuditLog, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.base = base; self.log = log; self.clock = clock
    }

    public var capabilities: Capabilities { base.capabilities }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        let project = request.project ?? base.description.currentProject
        let action = "\(request.action.word) \(request.kind.noun)"
        let target = request.targets.joined(separator: ", ")
        do {
            var outcome = try await base.perform(request)
            do {
                try log.append(AuditRecord(time: clock(), project: project, action: action, target: target,
                                           result: .succeeded, requestIDs: outcome.requestIDs))
            } catch {
                outcome.message += " The audit log could not be written (\(ErrorText.sentence(error))); check the state file."
            }
            return outcome
        } catch {
            let result: AuditResult = (error as? BackendError)?.isRefusal == true ? .refused : .failed
            try? log.append(AuditRecord(time: clock(), project: project, action: action, target: target,
                                        result: result, error: ErrorText.sentence(error),
                                        requestIDs: (error as? BackendError)?.requestIDs ?? []))
            throw error
        }
    }
}

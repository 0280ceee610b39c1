import StacktopModel

/// Wraps any backend so that every mutation is refused before it reaches libvirt, the store or an
/// API. Reads pass through. This is the structural half of the read-only guarantee: the UI also hides
/// mutating actions, but even a forgotten check there cannot get past this wrapper.
public struct ReadOnlyBackend<Base: CloudReader & CloudMutator>: CloudReader, CloudMutator {
    public let base: Base

    public init(wrapping base: Base) { self.base = base }

    public var description: BackendDescription { base.description }
    public func snapshot() async throws -> CloudSnapshot { try await base.snapshot() }
    public func rawDefinition(instanceID: String) async throws -> String {
        try await base.rawDefinition(instanceID: instanceID)
    }
    public func events() -> AsyncStream<BackendEvent> { base.events() }

    /// Nothing can be performed in read-only mode.
    public var supportedActions: Set<ActionKind> { [] }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        throw BackendError.readOnly(action: "\(request.action.rawValue) \(request.kind.rawValue) "
            + request.targets.joined(separator: ", "))
    }
}

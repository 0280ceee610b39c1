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

    /// Nothing can be performed in read-only mode; the UI greys out what the base could do.
    public var capabilities: Capabilities { .none }

    /// What the base backend could do outside read-only mode (for greyed-out hints only).
    public var capabilitiesWhenWritable: Capabilities { base.capabilities }

    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        throw BackendError.readOnly(action: request.summary)
    }
}

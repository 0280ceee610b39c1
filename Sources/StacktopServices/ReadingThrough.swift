import StacktopModel

/// A wrapper that reads through its base unchanged and decides only about changes (auditing them, refusing
/// them): the reading side is written once, here.
public protocol ReadingThrough: CloudReader {
    associatedtype Base: CloudReader
    var base: Base { get }
}

extension ReadingThrough {
    public var description: BackendDescription { base.description }
    public func snapshot() async throws -> CloudSnapshot { try await base.snapshot() }
    public func snapshot(_ request: ReadRequest, partial: @escaping @Sendable (PartialSnapshot) -> Void) async throws -> CloudSnapshot {
        try await base.snapshot(request, partial: partial)
    }
    public func rawDefinition(instanceID: String) async throws -> String {
        try await base.rawDefinition(instanceID: instanceID)
    }
    public func events() -> AsyncStream<BackendEvent> { base.events() }
}

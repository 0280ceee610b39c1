import StacktopModel
import StacktopServices

/// The demo cloud as a cloud: it keeps its changes. After every action that reached libvirt's test driver
/// (from the shell or the dashboard; both call `perform`), the driver's host is written back to the demo's
/// node file, so the next `stacktop --demo` opens it as this one left it. The store needs nothing: it is a
/// file already. Read-only never gets this wrapper (nothing to save, and nothing may be written).
public struct PersistentDemoBackend: CloudReader, CloudMutator, ConsoleAccess {
    public let base: LocalCloudBackend
    public let home: DemoHome

    public init(base: LocalCloudBackend, home: DemoHome) {
        self.base = base
        self.home = home
    }

    public var description: BackendDescription { base.description }
    public var capabilities: Capabilities { base.capabilities }
    public func snapshot() async throws -> CloudSnapshot { try await base.snapshot() }
    public func rawDefinition(instanceID: String) async throws -> String {
        try await base.rawDefinition(instanceID: instanceID)
    }
    public func events() -> AsyncStream<BackendEvent> { base.events() }

    /// A failed action is saved too: it may have changed the host before it was refused or rolled back.
    /// An action that worked but could not be saved says so, rather than pretend the next run will see it.
    @concurrent
    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        var outcome: ActionOutcome
        do {
            outcome = try await base.perform(request)
        } catch {
            try? home.save(base.connection)
            throw error
        }
        do {
            try home.save(base.connection)
        } catch {
            outcome.message += " " + ErrorText.sentence(error)
                + " The next stacktop --demo will not show this change."
        }
        return outcome
    }

    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        try await base.consoleLog(instanceID: instanceID, maxBytes: maxBytes)
    }
    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        try await base.graphicsDisplay(instanceID: instanceID)
    }
    public func openSerialConsole(instanceID: String, force: Bool) throws -> any SerialConsoleSession {
        try base.openSerialConsole(instanceID: instanceID, force: force)
    }
}

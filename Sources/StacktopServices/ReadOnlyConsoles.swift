/// Read-only for consoles, in the service layer beside `ReadOnlyBackend`: the log and the display address
/// pass (they change nothing), never the keyboard.
public struct ReadOnlyConsoles: ConsoleAccess {
    let base: any ConsoleAccess
    public init(wrapping base: any ConsoleAccess) { self.base = base }
    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        try await base.consoleLog(instanceID: instanceID, maxBytes: maxBytes)
    }
    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        try await base.graphicsDisplay(instanceID: instanceID)
    }
    public func openSerialConsole(instanceID: String, force: Bool) async throws -> any SerialConsoleSession {
        throw BackendError.readOnly(action: "open a serial console")
    }
}

/// Read-only for consoles, in the service layer beside `ReadOnlyBackend`: the log and the display address
/// pass (they change nothing), never the keyboard.
public struct ReadOnlyConsoles: ConsoleAccess {
    let base: any ConsoleAccess
    public init(wrapping base: any ConsoleAccess) { self.base = base }
    public var serialConsoleIsRemote: Bool { base.serialConsoleIsRemote }
    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        try await base.consoleLog(instanceID: instanceID, maxBytes: maxBytes)
    }
    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        try await base.graphicsDisplay(instanceID: instanceID)
    }
    public func openSerialConsole(instanceID: String, force: Bool) throws -> any SerialConsoleSession {
        throw BackendError.readOnly(action: "open a serial console")
    }
    /// The URL opens a console that types into the guest: refused like the console itself.
    public func serialConsoleURL(instanceID: String) async throws -> String? {
        throw BackendError.readOnly(action: "open a serial console")
    }
}

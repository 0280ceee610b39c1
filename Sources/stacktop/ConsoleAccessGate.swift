import StacktopServices

/// The console side of a backend as the commands and the runner see it: reading the log and
/// finding the display pass through in read-only mode (they change nothing); attaching does not.
enum ConsoleAccessGate {
    static func consoles(of backend: any CloudBackend, readOnly: Bool) -> (any ConsoleAccess)? {
        guard let base = (backend as? AnyCloudBackend)?.base as? any ConsoleAccess ?? backend as? any ConsoleAccess
        else { return nil }
        return readOnly ? ReadOnlyConsoles(wrapping: base) : base
    }
}

/// Lets a type-erased backend be asked for its consoles.
extension AnyCloudBackend: ConsoleAccess {
    private var consoles: any ConsoleAccess {
        get throws {
            guard let consoles = base as? any ConsoleAccess else {
                throw BackendError.unsupported(action: "Opening a guest console")
            }
            return consoles
        }
    }
    func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        try await consoles.consoleLog(instanceID: instanceID, maxBytes: maxBytes)
    }
    func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        try await consoles.graphicsDisplay(instanceID: instanceID)
    }
    func openSerialConsole(instanceID: String, force: Bool) async throws -> any SerialConsoleSession {
        try await consoles.openSerialConsole(instanceID: instanceID, force: force)
    }
}

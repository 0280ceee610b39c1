import StacktopModel

/// A fleet's consoles: each instance's console is its own context's (ids qualified as `id@context`), through
/// that context's gates (a read-only context refuses the keyboard as it does alone).
extension FleetBackend: ConsoleAccess {
    private func consoles(of qualified: String) throws -> (consoles: any ConsoleAccess, local: String) {
        let (backend, local, context) = try member(of: qualified)
        guard let consoles = backend.consoles else {
            throw BackendError.unavailable(feature: "consoles", reason: "\(context) offers no consoles to stacktop.")
        }
        return (consoles, local)
    }

    public func consoleLog(instanceID: String, maxBytes: Int) async throws -> String {
        let (consoles, local) = try consoles(of: instanceID)
        return try await consoles.consoleLog(instanceID: local, maxBytes: maxBytes)
    }

    public func graphicsDisplay(instanceID: String) async throws -> GraphicsDisplay {
        let (consoles, local) = try consoles(of: instanceID)
        return try await consoles.graphicsDisplay(instanceID: local)
    }

    public func openSerialConsole(instanceID: String, force: Bool) async throws -> any SerialConsoleSession {
        let (consoles, local) = try consoles(of: instanceID)
        return try await consoles.openSerialConsole(instanceID: local, force: force)
    }
}

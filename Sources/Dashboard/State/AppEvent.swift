import StacktopModel
import StacktopServices
import TerminalUI

/// Everything that can change the state arrives as one of these, on one stream.
public enum AppEvent: Sendable, Equatable {
    case key(Key)
    case resize(Size)
    case snapshotLoaded(CloudSnapshot, origin: DataOrigin)
    case loadFailed(message: String)
    case backend(BackendEvent)
    case rawDefinitionLoaded(id: String, text: String)
    case rawDefinitionFailed(id: String, message: String)
    case themeLoaded(Theme)
    case themeFailed(message: String)
    /// Time passed (ages, stale counters).
    case tick(Date)
    /// A mutation finished; `message` is the backend's sentence (success or why it failed).
    case actionFinished(ActionRequest, message: String, failed: Bool)
    case auditLoaded([AuditRecord])
    case auditFailed(message: String)
}

/// Work the state asks the outside world to do; results come back as events.
public enum Effect: Sendable, Equatable {
    case quit
    case refresh
    case loadRawDefinition(id: String)
    case loadTheme(nameOrPath: String)
    /// Repaint every cell (Ctrl-L).
    case redrawAll
    /// Run a mutation that has passed the confirmation gate.
    case perform(ActionRequest)
    case loadAudit
}

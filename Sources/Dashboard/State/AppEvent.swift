import StacktopModel
import StacktopServices
import TerminalUI

/// Everything that can change the state arrives as one of these, on one stream.
public enum AppEvent: Sendable, Equatable {
    /// The event loop began: load the first snapshot and listen for backend events.
    case started
    /// The loop woke up at `now` (after input, a result, or its timeout): due refreshes, ages and the
    /// wall's clock (`utcOffsetSeconds`: the local time zone's offset now) follow the clock.
    case clock(Date, utcOffsetSeconds: Int = 0)
    case key(Key)
    /// A click or wheel notch; the drawn layout says what is under it (`DashboardView.regions`).
    case mouse(MouseEvent)
    case resize(Size)
    case snapshotLoaded(CloudSnapshot, origin: DataOrigin)
    /// Instances of the read on its way, before it finishes (AppState+Partial).
    case snapshotPartial(PartialSnapshot)
    /// A refresh failed. `waitsForUser`: retrying by itself cannot help (refused credentials), so the
    /// dashboard waits for `r` instead of backing off and trying again.
    case loadFailed(message: String, waitsForUser: Bool = false)
    case backend(BackendEvent)
    case rawDefinitionLoaded(id: String, text: String)
    case rawDefinitionFailed(id: String, message: String)
    case themeLoaded(Theme)
    case themeFailed(message: String)
    /// Time passed (ages, stale counters).
    case tick(Date)
    /// A mutation finished; `message` is the backend's sentence (success or why it failed).
    case actionFinished(ActionRequest, message: String, failed: Bool)
    /// A long action is under way ("Uploading debian-12.qcow2: 45% (…)").
    case actionProgress(ActionRequest, text: String)
    case auditLoaded([AuditRecord])
    case auditFailed(message: String)
    /// The serial console was handed back (Ctrl-]); `message` says how it ended, or why it could not open.
    case consoleClosed(message: String, failed: Bool)
    /// The serial console is in use by someone else: `message` says so and offers F to take it over.
    case consoleBusy(instanceID: String, name: String, message: String)
    /// The guest's recent serial output for the console-log pane (the whole tail, replacing what was shown).
    case consoleLogLoaded(instanceID: String, text: String)
    case consoleLogFailed(instanceID: String, message: String)
    /// How to reach an instance's graphical display: a viewer was started, or what to type (SSH case).
    case vncResult(instanceName: String, lines: [String], failed: Bool)
    /// The backend's event stream ended after it lost its connection: subscribe again once a
    /// refresh succeeds.
    case backendEventsEnded
    /// `:ctx NAME` is being carried out: the old backend is closed and the new one is opening. `cached` is the
    /// store's last snapshot of it; `readOnly` is --readonly or the context's own mark.
    case contextSwitching(StacktopContext, description: BackendDescription, readOnly: Bool, cached: CloudSnapshot?)
    /// The context's backend opened: the runner holds it (`Effect.adoptContext` makes it the one in use).
    case contextOpened(name: String, description: BackendDescription, capabilities: Capabilities,
                       writableCapabilities: Capabilities, notice: String?)
    case contextFailed(name: String, message: String)
    /// What the backend can do changed (a fleet learns it as its contexts open).
    case capabilitiesChanged(Capabilities)
}

/// Work the state asks the outside world to do; results come back as events. The runner performs
/// every effect `handle` returns, and keeps no state of its own about them.
public enum Effect: Sendable, Equatable {
    case quit
    /// Read a fresh snapshot now. `handle` returns it only when no read is on its way (one asked for
    /// meanwhile follows the current one), so a slow backend never has reads piled up behind it.
    case refresh
    /// Keep this live snapshot as the store's last-known one (drawn at once on the next start).
    case saveSnapshot(CloudSnapshot)
    /// Listen to the backend's events (again, after a lost connection came back).
    case subscribeEvents
    case loadRawDefinition(id: String)
    case loadTheme(nameOrPath: String)
    /// Repaint every cell (Ctrl-L).
    case redrawAll
    /// Run a mutation that has passed the confirmation gate.
    case perform(ActionRequest)
    case loadAudit
    /// Hand the terminal to the instance's serial console until the escape key (Ctrl-]).
    case openConsole(instanceID: String, name: String, force: Bool)
    /// Read (and while the pane is open, keep reading) the instance's serial output.
    case loadConsoleLog(instanceID: String)
    /// The console-log pane closed: stop reading.
    case stopConsoleLog
    /// Find the instance's VNC display and open a viewer, or explain how to reach it over SSH.
    case openVNC(instanceID: String, name: String)
    /// Keep a line run from `:` in the history file (the state directory), newest last.
    case recordCommand(String)
    /// Close the backend in use and open this context's (answered by `.contextSwitching`, then
    /// `.contextOpened` or `.contextFailed`).
    case switchContext(StacktopContext)
    /// Make the backend opened for the context the one every later effect uses.
    case adoptContext
    /// Ctrl-Z: give the terminal back as it was, stop the process (SIGTSTP) and, once continued, repaint.
    case suspend
}

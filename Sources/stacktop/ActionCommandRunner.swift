import FoundationEssentials
import Glibc
import StacktopServices

/// `stacktop KIND ACTION NAME…`: the same gate as the dashboard (capability, then confirmation), asked
/// on the terminal; a script must say `--yes`, because a pipe cannot answer a question.
enum ActionCommandRunner {
    static func run(_ command: ActionCommand, opened: OpenedBackend, readOnly: Bool) -> Int32 {
        var request = command.request
        if request.project == nil { request.project = opened.backend.description.currentProject }
        // Read-only refuses in the backend wrapper too; saying so here avoids asking a pointless question.
        if readOnly {
            printError(BackendError.readOnly(action: request.summary).message)
            return 1
        }
        if let refusal = opened.backend.capabilities.refusal(request.action, on: request.kind) {
            printError(refusal.message)
            return 1
        }
        // Deleting servers names the disks that go and the volumes that stay, read fresh from the backend.
        let backendForPreview = opened.backend
        let preview = !command.confirmed && request.action == .delete && request.kind == .instance
            ? try? runBlocking { try await backendForPreview.snapshot() } : nil
        let confirmation = command.confirmed ? .none : ConfirmationPolicy.requirement(for: request, snapshot: preview)
        if let question = confirmation.question {
            guard isatty(STDIN_FILENO) == 1 else {
                printError("Refusing to \(request.summary) without confirmation: stdin is not a terminal. "
                           + "Add --yes to confirm in a script.")
                return 1
            }
            printError(question + " ", terminator: "")
            let answer = readLine() ?? ""
            guard confirmation.accepts(answer) else {
                printError("Cancelled: nothing was changed.")
                return 1
            }
        }
        let backend = opened.backend
        let finalRequest = request
        do {
            let throttle = ProgressThrottle()
            let showProgress = isatty(STDERR_FILENO) == 1
            let reporter = ActionProgress.Reporter { update in
                guard showProgress, throttle.shouldReport(update) else { return }
                printError(update.sentence + "   ", terminator: update.done >= update.total ? "\r\n" : "\r")
            }
            let outcome = try runBlocking {
                try await ActionProgress.withReporter(reporter) { try await backend.perform(finalRequest) }
            }
            printOut(outcome.message)
            return 0
        } catch {
            printError(ErrorText.sentence(error))
            return 1
        }
    }
}

import StacktopServices
import TerminalUI

extension AppState {
    /// Keys while the `:` line is open: editing, Tab completion with its list of candidates, and history.
    mutating func handlePaletteKey(_ key: Key, text: String) -> [Effect] {
        switch key {
        case .escape:
            if palette.isOpen {
                palette.close()
            } else {
                leaveCommandLine()
            }
        case .enter:
            leaveCommandLine()
            let recorded = palette.history.add(text)
            let effects = runCommandLine(text)
            return recorded ? [.recordCommand(text.trimmingSpaces)] + effects : effects
        case .tab:
            palette.isOpen ? choose(by: 1) : openCompletion(text)
        case .backTab:
            palette.isOpen ? choose(by: -1) : openCompletion(text)
        case .up:
            if palette.isOpen {
                choose(by: -1)
            } else if let older = palette.history.older(typing: text) {
                input = .command(older)
            }
        case .down:
            if palette.isOpen {
                choose(by: 1)
            } else if let newer = palette.history.newer() {
                input = .command(newer)
            }
        case .backspace:
            palette.close()
            palette.history.stopRecalling()
            input = text.isEmpty ? .normal : .command(String(text.dropLast()))
        case .character(let c):
            palette.close()
            palette.history.stopRecalling()
            input = .command(text + String(c))
        case .ctrl("u"):
            palette.close()
            input = .command("")
        case .ctrl("c"):
            quitRequested = true
            return [.quit]
        default:
            break
        }
        return []
    }

    private mutating func leaveCommandLine() {
        input = .normal
        palette.close()
        palette.history.stopRecalling()
    }

    /// Tab: one candidate is taken at once; several open the list with the best one on the line.
    private mutating func openCompletion(_ text: String) {
        let (base, candidates) = CommandCompletion.complete(text, in: self)
        guard let best = candidates.first else {
            status = StatusMessage("Nothing to complete for \":\(text)\"; press ? for the commands.")
            return
        }
        if candidates.count == 1 {
            palette.close()
            input = .command(base + best + " ")
            return
        }
        palette.base = base
        palette.candidates = candidates
        palette.selected = 0
        input = .command(palette.chosenLine)
    }

    private mutating func choose(by step: Int) {
        let count = palette.candidates.count
        palette.selected = ((palette.selected + step) % count + count) % count
        input = .command(palette.chosenLine)
    }
}

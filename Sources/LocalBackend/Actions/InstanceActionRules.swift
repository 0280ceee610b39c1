import StacktopServices

/// What one instance action will do, decided from the domain's state before libvirt is touched.
enum InstanceActionPlan: Equatable {
    case libvirt(DomainCall)
    case setLocked(Bool)
    case rename(to: String)
    case delete
}

/// The state rules: which action is allowed in which state, and the sentence when it is not.
/// Pure, so every refusal is decided (and tested) without a hypervisor.
enum InstanceActionRules {
    static func plan(_ action: ActionKind, status: DomainStatus, locked: Bool,
                     newName: String? = nil) throws(BackendError) -> InstanceActionPlan {
        let name = status.name
        let state = status.state
        if locked && action != .unlock { throw .locked(name: name) }
        func refuse(_ sentence: String) -> BackendError { .refused(reason: sentence) }
        let isNow = "it is \(state.phrase)"

        switch action {
        case .start:
            if status.active {
                throw refuse(state == .running ? "\(name) is already running."
                             : state == .paused ? "\(name) is paused; unpause it instead."
                             : "Start needs \(name) shut off, but \(isNow); power it off first.")
            }
            return .libvirt(.create)
        case .stop:
            switch state {
            case .running: return .libvirt(.shutdown)
            case .paused:
                throw refuse("\(name) is paused, so its guest cannot shut down; unpause it first, or power it off.")
            case .shuttingDown:
                throw refuse("\(name) is already shutting down; power it off if it does not finish.")
            case .saved:
                throw refuse("\(name) is suspended, so it is already off; resume it first to shut it down cleanly.")
            default:
                if !status.active { throw refuse("\(name) is already shut off.") }
                throw refuse("Shut off needs \(name) running, but \(isNow); power it off instead.")
            }
        case .powerOff:
            if status.active { return .libvirt(.destroy) }
            throw refuse(state == .saved ? "\(name) is suspended, so it is already off."
                         : "\(name) is already shut off.")
        case .reboot:
            switch state {
            case .running: return .libvirt(.reboot)
            case .paused: throw refuse("\(name) is paused; unpause it first, or hard reboot it.")
            default:
                if !status.active { throw refuse("Reboot needs \(name) running, but \(isNow); start it instead.") }
                throw refuse("Reboot needs \(name) running, but \(isNow); hard reboot it instead.")
            }
        case .hardReboot:
            if status.active { return .libvirt(.reset) }
            throw refuse("Hard reboot needs \(name) running, but \(isNow); "
                         + (state == .saved ? "resume it instead." : "start it instead."))
        case .pause:
            if state == .running { return .libvirt(.suspend) }
            throw refuse(state == .paused ? "\(name) is already paused." : "Pause needs \(name) running, but \(isNow).")
        case .unpause:
            switch state {
            case .paused: return .libvirt(.resume)
            case .running: throw refuse("\(name) is not paused; it is already running.")
            case .saved: throw refuse("\(name) is suspended, not paused; resume it instead.")
            default: throw refuse("Unpause needs \(name) paused, but \(isNow).")
            }
        case .suspend:
            if state == .running || state == .paused { return .libvirt(.managedSave) }
            throw refuse(state == .saved ? "\(name) is already suspended."
                         : "Suspend needs \(name) running, but \(isNow).")
        case .resume:
            switch state {
            case .saved: return .libvirt(.create)
            case .paused: throw refuse("\(name) is paused, not suspended; unpause it instead.")
            case .running: throw refuse("\(name) is already running.")
            default:
                if !status.active { throw refuse("\(name) has no suspended state to resume; start it instead.") }
                throw refuse("Resume needs \(name) suspended, but \(isNow).")
            }
        case .lock:
            if locked { throw refuse("\(name) is already locked.") }
            return .setLocked(true)
        case .unlock:
            if !locked { throw refuse("\(name) is not locked.") }
            return .setLocked(false)
        case .rename:
            let newName = (newName ?? "").trimmingWhitespace
            if newName.isEmpty { throw refuse("Rename needs a new name for \(name); give it with --name NEW.") }
            if newName == name { throw refuse("\(name) already has that name; give a different one.") }
            if state == .saved {
                throw refuse(
                    "Rename needs \(name) shut off, but it is suspended; resume it, shut it off and try again.")
            }
            if status.active { throw refuse("Rename needs \(name) shut off first; shut it off and try again.") }
            return .rename(to: newName)
        case .delete:
            return .delete
        default:
            throw .unsupported(action: "\(action.traits.title) server")
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text.removeFirst() }
        while text.last?.isWhitespace == true { text.removeLast() }
        return String(text)
    }
}

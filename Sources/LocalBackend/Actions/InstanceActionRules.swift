import StacktopServices

/// What one instance action will do, decided from the domain's state before libvirt is touched.
enum InstanceActionPlan: Equatable {
    case libvirt(DomainCall)
    case setLocked(Bool)
    case rename(to: String)
    case delete
}

/// The state rules: which action is allowed in which state, and the refusal (with its data) when it is not.
/// Pure, so every refusal is decided (and tested) without a hypervisor.
enum InstanceActionRules {
    static func plan(_ action: ActionKind, status: DomainStatus, locked: Bool,
                     newName: String? = nil) throws(BackendError) -> InstanceActionPlan {
        let name = status.name
        let state = status.state
        if locked && action != .unlock { throw .locked(name: name) }
        let phrase = state.phrase
        /// `action` cannot start from the state it is in (or has nothing to do in it).
        func clash(_ needs: BackendError.StateNeed, _ advice: String? = nil, state: String = phrase) -> BackendError {
            .wrongState(name: name, state: state, action: action, needs: needs, advice: advice)
        }

        switch action {
        case .start:
            if status.active {
                throw state == .running ? clash(.already)
                    : state == .paused ? clash(.plain, "unpause it instead")
                    : clash(.state("shut off"), "power it off first")
            }
            return .libvirt(.create)
        case .stop:
            switch state {
            case .running: return .libvirt(.shutdown)
            case .paused: throw clash(.so("its guest cannot shut down"), "unpause it first, or power it off")
            case .shuttingDown: throw clash(.already, "power it off if it does not finish")
            case .saved: throw clash(.so("it is already off"), "resume it first to shut it down cleanly")
            default:
                if !status.active { throw clash(.already, state: DomainRunState.shutOff.phrase) }
                throw clash(.state("running"), "power it off instead")
            }
        case .powerOff:
            if status.active { return .libvirt(.destroy) }
            throw state == .saved ? clash(.so("it is already off")) : clash(.already, state: DomainRunState.shutOff.phrase)
        case .reboot:
            switch state {
            case .running: return .libvirt(.reboot)
            case .paused: throw clash(.plain, "unpause it first, or hard reboot it")
            default:
                throw clash(.state("running"), status.active ? "hard reboot it instead" : "start it instead")
            }
        case .hardReboot:
            if status.active { return .libvirt(.reset) }
            throw clash(.state("running"), state == .saved ? "resume it instead" : "start it instead")
        case .pause:
            if state == .running { return .libvirt(.suspend) }
            throw state == .paused ? clash(.already) : clash(.state("running"))
        case .unpause:
            switch state {
            case .paused: return .libvirt(.resume)
            case .running: throw clash(.plain, "it is already running", state: "not paused")
            case .saved: throw clash(.not("paused"), "resume it instead")
            default: throw clash(.state("paused"))
            }
        case .suspend:
            if state == .running || state == .paused { return .libvirt(.managedSave) }
            throw state == .saved ? clash(.already) : clash(.state("running"))
        case .resume:
            switch state {
            case .saved: return .libvirt(.create)
            case .paused: throw clash(.not("suspended"), "unpause it instead")
            case .running: throw clash(.already)
            default:
                if !status.active { throw clash(.not("suspended"), "start it instead") }
                throw clash(.state("suspended"))
            }
        case .lock:
            if locked { throw clash(.already, state: "locked") }
            return .setLocked(true)
        case .unlock:
            if !locked { throw clash(.plain, state: "not locked") }
            return .setLocked(false)
        case .rename:
            let newName = (newName ?? "").trimmingWhitespace
            if newName.isEmpty {
                throw .invalidOption(.name, reason: "Rename needs a new name for \(name); give it with --name NEW.")
            }
            if newName == name { throw .invalidOption(.name, reason: "\(name) already has that name; give a different one.") }
            if state == .saved { throw clash(.state("shut off"), "resume it, shut it off and try again") }
            if status.active { throw clash(.stateFirst("shut off"), "shut it off and try again") }
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

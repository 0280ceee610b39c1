/// A failure the user sees. `message` is one sentence: what failed and what to do.
public enum BackendError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The backend refused a mutation because stacktop runs read-only.
    case readOnly(action: String)
    /// The backend could not be reached or opened.
    case unreachable(endpoint: String, reason: String)
    /// The backend does not offer this action.
    case unsupported(action: String)
    /// Something was asked for that does not exist.
    case notFound(kind: String, name: String)
    /// The state store could not be read or written.
    case store(path: String, reason: String)
    /// Anything else the backend reported.
    case failed(what: String, reason: String)
    /// No name was given for an action that needs one. `usage` is the command to show, if any.
    case missingTarget(kind: ResourceKind, action: ActionKind, usage: String?)
    /// Several names were given for an action that takes one. `usage` is the command to show, if any.
    case oneAtATime(kind: ResourceKind, action: ActionKind, usage: String?)
    /// An option is missing or unusable in a way the schema cannot see (it depends on the other options,
    /// on what exists, or on a file the option names). `reason` is the whole sentence: how this action
    /// uses the option is the action's own knowledge, so the sentence is written where it is checked.
    case invalidOption(OptionKey, reason: String)
    /// The name is taken. `scope` starts the sentence when the name is unique only within something
    /// ("Pool default"); `option` is the option that gives the name, when it is not the target.
    case nameTaken(kind: String, name: String, scope: String?, option: OptionKey?)
    /// Several things answer to the name; `candidates` are what tells them apart (ids, pools, projects).
    case ambiguousName(kind: String, name: String, candidates: [String], tellApartBy: Distinction)
    /// The thing is in a state the action cannot start from (or already in the one it would reach).
    /// `action` is nil for what is not an `ActionKind` (opening a console); `advice` is what to do instead.
    case wrongState(name: String, state: String, action: ActionKind?, needs: StateNeed, advice: String?)
    /// Something else holds the thing (`by`: instances, snapshots); `advice` is what to do first.
    case inUse(kind: ResourceKind, name: String, by: [String], use: Use, advice: String?)
    /// This host, connection, guest or cloud cannot do it as it is set up (a remote libvirt URI, the demo's
    /// test driver, a guest without the device, a missing host package, a kind the backend lacks).
    /// `reason` is the whole sentence, since what to set up is different every time.
    case unavailable(feature: String, reason: String)
    /// The same action was refused for every one of several targets; each target's own refusal is kept.
    case refusedForEach(action: ActionKind, failures: [TargetFailure])
    /// Refused before anything changed, for one-off reasons no caller branches on (no free disk slot, the
    /// default security group, a test's own refusal): `reason` is the whole sentence. A reason that
    /// recurs, or that a caller needs to tell apart, gets a case of its own above.
    case refused(reason: String)
    /// A create, resize or attach would go over a quota.
    case quotaExceeded(project: String, resource: String, limit: Int, inUse: Int, requested: Int)
    /// The instance is locked: every action but unlock is refused.
    case locked(name: String)
    /// The cloud answered with an error; `reason` is its message made readable.
    case remote(what: String, status: Int, reason: String, requestID: String?)
    /// The identity service refused the password or application credential (`reason` is the whole
    /// sentence). Trying again with the same secret cannot help and counts towards a lockout, so
    /// nothing retries it by itself (`stopsRetries`).
    case credentialsRefused(reason: String)

    /// One line with any control character in quoted text shown, not obeyed (`ErrorText.visible`).
    public var message: String { ErrorText.visible(sentence) }

    fileprivate var sentence: String {
        switch self {
        case .readOnly(let action):
            "Refused to \(action): stacktop is read-only here (--readonly, the wall, or a context marked readonly); make changes from a session that is not."
        case .unreachable(let endpoint, let reason) where endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://"):
            "Could not reach \(endpoint): \(reason). Check the address (auth_url in clouds.yaml or OS_AUTH_URL) and "
                + "that the cloud answers from this machine."
        case .unreachable(let endpoint, let reason):
            "Could not connect to \(endpoint): \(reason). Check the URI and that libvirtd is running, or use --demo."
        case .unsupported(let action):
            "\(action) is not supported by this backend."
        case .notFound(let kind, let name):
            "No \(kind) named \"\(name)\" exists; check the name with `stacktop \(kind) list`."
        case .store(let path, let reason):
            "The state store \(path) could not be used: \(reason). Move it aside or pass --state PATH to use another file."
        case .failed(let what, let reason):
            "\(what) failed: \(reason)."
        case .missingTarget(let kind, let action, let usage?):
            "Name the \(kind.noun) to \(action.word): \(usage)."
        case .missingTarget(let kind, .create, nil), .missingTarget(let kind, .upload, nil):
            "Give the new \(kind.noun) a name, e.g. `\(kind.rawValue) create NAME`."
        case .missingTarget(let kind, let action, nil):
            "Nothing to \(action.word): name the \(kind.noun)."
        case .oneAtATime(.instance, .rename, _):
            "Rename one server at a time; each needs its own new name."
        case .oneAtATime(let kind, let action, let usage):
            "\(action.traits.title) works on one \(kind.noun) at a time" + (usage.map { ": \($0)." } ?? "; name exactly one.")
        case .nameTaken(let kind, let name, let scope, let option):
            (scope.map { "\($0) already has \(Self.article(kind)) \(kind) named \(name)" }
                ?? "\(Self.article(kind).capitalizedFirst) \(kind) named \(name) already exists")
                + (option.map { "; choose another \($0)." } ?? "; pick another name.")
        case .ambiguousName(let kind, let name, let candidates, .id):
            "\(candidates.count) \(kind)s are named \"\(name)\" (ids \(candidates.joined(separator: ", "))); "
                + "name the one you mean by its id."
        case .ambiguousName(let kind, let name, let candidates, .pool):
            "Several \(kind)s are named \(name) (in pools \(candidates.joined(separator: ", "))); "
                + "use the \(kind)'s path as its name."
        case .ambiguousName(let kind, let name, let candidates, .project):
            "Several \(kind)s are named \(name) (projects \(candidates.joined(separator: ", "))); "
                + "switch project with :project NAME first."
        case .wrongState(let name, let state, let action, let needs, let advice):
            Self.stateClash(name: name, state: state, title: action?.traits.title ?? "It", needs: needs)
                + (advice.map { "; \($0)." } ?? ".")
        case .inUse(let kind, let name, let by, let use, let advice):
            "\(kind.noun.capitalizedFirst) \(name) \(use.phrase(by))" + (advice.map { "; \($0)." } ?? ".")
        case .refusedForEach(let action, let failures):
            "\(action.traits.title) failed for \(Self.list(failures.map(\.target))): "
                + failures.map { $0.error.sentence.droppingFinalStop }.joined(separator: "; ") + "."
        case .invalidOption(_, let reason), .unavailable(_, let reason), .refused(let reason),
             .credentialsRefused(let reason):
            reason
        case .quotaExceeded(let project, let resource, let limit, let inUse, let requested):
            "Quota exceeded for \(resource) in project \(project): \(inUse) of \(limit) in use and \(requested) more "
                + "requested. Free some up or ask an admin to raise the quota."
        case .locked(let name):
            "\(name) is locked: unlock it first (`stacktop server unlock \(name)`)."
        case .remote(let what, let status, let reason, let requestID):
            "\(what) failed (HTTP \(status)): \(reason)" + (reason.hasSuffix(".") ? "" : ".")
                + (requestID.map { " Request id \($0)." } ?? "")
        }
    }

    /// Refusals change nothing; the audit log records them as refused rather than failed.
    public var isRefusal: Bool {
        switch self {
        case .readOnly, .unsupported, .refused, .quotaExceeded, .locked, .credentialsRefused, .missingTarget, .oneAtATime,
             .invalidOption, .nameTaken, .ambiguousName, .wrongState, .inUse, .unavailable, .refusedForEach: true
        default: false
        }
    }

    /// Retrying by itself would only repeat the refusal (and could lock the account): wait for the user.
    public var stopsRetries: Bool {
        if case .credentialsRefused = self { return true }
        return false
    }

    /// The request id the cloud gave, for the audit log.
    public var requestIDs: [String] {
        if case .remote(_, _, _, let id?) = self { return [id] }
        return []
    }

    public var description: String { message }
}

extension BackendError {
    /// How several things with one name are told apart.
    public enum Distinction: Sendable, Equatable {
        /// By id: "2 servers are named "web" (ids a, b); name the one you mean by its id."
        case id
        /// By storage pool: "Several volumes are named x (in pools a, b); use the volume's path as its name."
        case pool
        /// By project: "Several security groups are named x (projects a, b); switch project with :project NAME first."
        case project
    }

    /// How the state clashes with the action, which is also how the sentence begins.
    public enum StateNeed: Sendable, Equatable {
        /// "Reboot needs db-01 running, but it is shut off"
        case state(String)
        /// "Resize needs db-01 shut off first" (the state it is in goes without saying)
        case stateFirst(String)
        /// "db-01 is suspended, not paused"
        case not(String)
        /// "db-01 is suspended, so it is already off"
        case so(String)
        /// "db-01 is already running"
        case already
        /// "db-01 is paused"
        case plain
    }

    /// What holds the thing, as "Volume data …" goes on.
    public enum Use: Sendable, Equatable {
        /// "is attached to web-01"
        case attachedTo
        /// "is already attached to web-01" (attaching it again)
        case alreadyAttachedTo
        /// "is attached to web-01, which is running and holds the file's lock": `state` is the one holder's.
        case holdingLock(state: String)
        /// "is in use by running web-01"
        case runningIn
        /// "is used by web-01, web-02"
        case usedBy
        /// "still has ports of web-01"
        case portsOf
        /// "has snapshots nightly, weekly, which would go with it"
        case snapshots

        func phrase(_ by: [String]) -> String {
            let names = by.joined(separator: ", ")
            return switch self {
            case .attachedTo: "is attached to \(names)"
            case .alreadyAttachedTo: "is already attached to \(names)"
            case .holdingLock(let state) where by.count == 1: "is attached to \(names), which is \(state) and holds the file's lock"
            case .holdingLock: "is attached to \(names), which are not shut off and hold the file's lock"
            case .runningIn: "is in use by running \(names)"
            case .usedBy: "is used by \(names)"
            case .portsOf: "still has ports of \(names)"
            case .snapshots: "has snapshots \(names), which would go with it"
            }
        }
    }

    /// One target's refusal among several.
    public struct TargetFailure: Sendable, Equatable {
        public var target: String
        public var error: BackendError
        public init(target: String, error: BackendError) { self.target = target; self.error = error }
    }

    /// The option a refusal is about, for a form to point at.
    public var option: OptionKey? {
        if case .invalidOption(let key, _) = self { return key }
        if case .nameTaken(_, _, _, let key?) = self { return key }
        return nil
    }

    private static func stateClash(name: String, state: String, title: String, needs: StateNeed) -> String {
        switch needs {
        case .state(let needed): "\(title) needs \(name) \(needed), but it is \(state)"
        case .stateFirst(let needed): "\(title) needs \(name) \(needed) first"
        case .not(let expected): "\(name) is \(state), not \(expected)"
        case .so(let consequence): "\(name) is \(state), so \(consequence)"
        case .already: "\(name) is already \(state)"
        case .plain: "\(name) is \(state)"
        }
    }

    private static func article(_ noun: String) -> String {
        noun.first.map { "aeiou".contains($0) } == true ? "an" : "a"
    }

    /// "a", "a and b", "a, b and c".
    static func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
    }
}

private extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
    var droppingFinalStop: String { hasSuffix(".") ? String(dropLast()) : self }
}

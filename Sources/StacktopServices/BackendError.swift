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
    /// Refused before anything changed; `reason` is the whole sentence (in use, wrong state…).
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

    private var sentence: String {
        switch self {
        case .readOnly(let action):
            "Refused to \(action): stacktop is read-only; restart it without --readonly to make changes."
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
        case .refused(let reason), .credentialsRefused(let reason):
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
        case .readOnly, .unsupported, .refused, .quotaExceeded, .locked, .credentialsRefused: true
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

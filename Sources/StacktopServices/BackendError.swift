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

    public var message: String {
        switch self {
        case .readOnly(let action):
            "Refused to \(action): stacktop is read-only; restart it without --readonly to make changes."
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
        }
    }

    public var description: String { message }
}

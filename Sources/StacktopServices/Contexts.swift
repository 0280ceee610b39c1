import TextSafety

/// One place stacktop can open, as k9s has contexts: a libvirt host named in stacktop's config.yaml, a cloud
/// in clouds.yaml, or what the command line chose when it matches neither. A plain value, so the dashboard
/// lists them, the executable opens them, and a fleet view can open them all.
public struct StacktopContext: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable {
        case libvirt, openstack, demo
        /// Several contexts at once (`:fleet`); `endpoint` lists their names, comma-separated (all when empty).
        case fleet
    }

    /// Unique among the contexts; what `--context NAME` and `:ctx NAME` take.
    public var name: String
    public var kind: Kind
    /// The libvirt URI, or the cloud's auth URL ("" when clouds.yaml gives none, e.g. it lives in secure.yaml).
    public var endpoint: String
    /// Every change is refused below the UI (`ReadOnlyBackend`), as with --readonly.
    public var readOnly: Bool
    /// The file that defines it, nil for the command line's choice.
    public var file: String?
    /// 1-based line of its name in `file`.
    public var line: Int?

    public init(name: String, kind: Kind, endpoint: String, readOnly: Bool = false, file: String? = nil,
                line: Int? = nil) {
        self.name = name; self.kind = kind; self.endpoint = endpoint; self.readOnly = readOnly
        self.file = file; self.line = line
    }

    /// "config.yaml:3", "clouds.yaml:12", "command line": where a person finds it.
    public var origin: String {
        guard let file else { return "command line" }
        let base = file.split(separator: "/").last.map(String.init) ?? file
        return line.map { "\(base):\($0)" } ?? base
    }
}

/// The contexts stacktop knows, in the order they are listed: config.yaml's hosts, then clouds.yaml's clouds.
public struct ContextList: Sendable, Equatable {
    public var contexts: [StacktopContext]
    /// Why some contexts may be missing (a clouds.yaml that could not be read): shown under the list.
    public var problems: [String]

    public init(_ contexts: [StacktopContext] = [], problems: [String] = []) {
        self.contexts = contexts; self.problems = problems
    }

    public var names: [String] { contexts.map(\.name) }

    public subscript(name: String) -> StacktopContext? { contexts.first { $0.name == name } }

    /// The sentence for a name that is not a context, listing the ones that are.
    public func unknown(_ name: String) -> String {
        let shown = TerminalText.sanitize(name)
        guard !contexts.isEmpty else {
            return "There is no context named \"\(shown)\": no contexts are configured; name libvirt hosts under hosts: "
                + "in stacktop's config.yaml or clouds in clouds.yaml."
        }
        return "There is no context named \"\(shown)\"; the known ones are "
            + contexts.map { TerminalText.sanitize($0.name) }.joined(separator: ", ") + "."
    }

    /// The context a running backend is, when one matches: a libvirt URI or a cloud name.
    public func matching(kind: StacktopContext.Kind, endpoint: String, cloudName: String?) -> StacktopContext? {
        switch kind {
        case .libvirt: contexts.first { $0.kind == .libvirt && $0.endpoint == endpoint }
        case .openstack:
            // A clouds.yaml cloud by its name; the one made from OS_* variables (no file) by its auth URL.
            contexts.first { $0.kind == .openstack && ($0.name == cloudName || ($0.file == nil && $0.endpoint == endpoint)) }
        case .demo: contexts.first { $0.kind == .demo }
        case .fleet: nil
        }
    }
}

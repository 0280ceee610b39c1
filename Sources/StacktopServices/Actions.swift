import StacktopModel

/// Every mutation stacktop knows, as one value in one place: its command word, its key in the
/// dashboard, and how careful the UI must be. `ConfirmationPolicy` turns the traits into prompts;
/// `ReadOnlyBackend` refuses every one of them.
public enum ActionKind: String, Sendable, Codable, CaseIterable {
    // Any kind (delete is declared last, so menus and help list it last).
    case create, update
    // Instance lifecycle (the `openstack server` verbs).
    case start, stop, powerOff = "poweroff", reboot, hardReboot = "hard-reboot"
    case pause, unpause, suspend, resume, lock, unlock, rename
    case resize, confirmResize = "confirm-resize", revertResize = "revert-resize", snapshot
    case attachVolume = "attach-volume", detachVolume = "detach-volume"
    case attachInterface = "attach-interface", detachInterface = "detach-interface"
    case addSecurityGroup = "add-security-group", removeSecurityGroup = "remove-security-group"
    // Volumes and images.
    case extend, upload
    // Floating IPs.
    case associate, disassociate
    case delete

    public struct Traits: Sendable, Equatable {
        /// What the UI shows ("Shut off", "Hard reboot").
        public var title: String
        /// The key that runs it on the selected rows, if it has one.
        public var key: Character?
        /// Disrupts something that works (a running guest, an attachment): asks `y` first.
        public var destructive: Bool
        /// Destroys data that cannot be brought back: asks the user to type the name (or the count).
        public var destroysData: Bool

        public init(_ title: String, key: Character? = nil, destructive: Bool = false, destroysData: Bool = false) {
            self.title = title; self.key = key; self.destructive = destructive || destroysData
            self.destroysData = destroysData
        }
    }

    public var traits: Traits {
        switch self {
        case .create: Traits("Create", key: "c")
        case .delete: Traits("Delete", key: "D", destroysData: true)
        case .update: Traits("Edit", key: "e")
        case .start: Traits("Start", key: "S")
        case .stop: Traits("Shut off", key: "O", destructive: true)
        case .powerOff: Traits("Power off", key: "P", destructive: true)
        case .reboot: Traits("Reboot", key: "R", destructive: true)
        case .hardReboot: Traits("Hard reboot", key: "H", destructive: true)
        case .pause: Traits("Pause", key: "p")
        case .unpause: Traits("Unpause", key: "u")
        case .suspend: Traits("Suspend", key: "z")
        case .resume: Traits("Resume", key: "Z")
        case .lock: Traits("Lock", key: "L")
        case .unlock: Traits("Unlock", key: "U")
        case .rename: Traits("Rename", key: "n")
        case .resize: Traits("Resize", key: "F")
        case .confirmResize: Traits("Confirm resize")
        case .revertResize: Traits("Revert resize", destructive: true)
        case .snapshot: Traits("Snapshot", key: "N")
        case .attachVolume: Traits("Attach volume", key: "A")
        case .detachVolume: Traits("Detach volume", key: "X", destructive: true)
        case .attachInterface: Traits("Attach interface")
        case .detachInterface: Traits("Detach interface", destructive: true)
        case .addSecurityGroup: Traits("Add security group")
        case .removeSecurityGroup: Traits("Remove security group", destructive: true)
        case .extend: Traits("Extend", key: "x")
        case .upload: Traits("Upload", key: "c")
        case .associate: Traits("Associate", key: "A")
        case .disassociate: Traits("Disassociate", key: "X", destructive: true)
        }
    }

    /// The word after KIND on the command line, e.g. `stacktop server hard-reboot web-01`.
    public var word: String { rawValue }

    public static func named(_ word: String) -> ActionKind? {
        let lower = word.lowercased()
        if let exact = ActionKind(rawValue: lower) { return exact }
        switch lower {
        case "launch", "new", "import": return .create
        case "rm", "remove", "destroy": return .delete
        case "set", "edit": return .update
        case "shutdown", "shutoff": return .stop
        default: return nil
        }
    }
}

/// One action on one kind: the unit a backend declares it supports.
public struct Capability: Sendable, Hashable {
    public var kind: ResourceKind
    public var action: ActionKind
    public init(_ kind: ResourceKind, _ action: ActionKind) { self.kind = kind; self.action = action }
}

/// What a backend can do, and for the kinds it cannot touch at all, why not (said to the user as is).
public struct Capabilities: Sendable, Equatable {
    public var supported: Set<Capability>
    /// e.g. `.floatingIP: "libvirt has no floating IPs: guests on a NAT network reach out through the host."`
    public var unsupportedKinds: [ResourceKind: String]

    public init(supported: Set<Capability> = [], unsupportedKinds: [ResourceKind: String] = [:]) {
        self.supported = supported; self.unsupportedKinds = unsupportedKinds
    }

    public static let none = Capabilities()

    public func supports(_ action: ActionKind, on kind: ResourceKind) -> Bool {
        supported.contains(Capability(kind, action))
    }

    /// The actions offered for `kind`, in declaration order.
    public func actions(for kind: ResourceKind) -> [ActionKind] {
        ActionKind.allCases.filter { supports($0, on: kind) }
    }

    /// nil when supported; else the refusal, whose message is the sentence to show.
    public func refusal(_ action: ActionKind, on kind: ResourceKind) -> BackendError? {
        if supports(action, on: kind) { return nil }
        if let reason = unsupportedKinds[kind] { return .unavailable(feature: kind.noun, reason: reason) }
        return .unsupported(action: "\(action.traits.title) \(kind.noun)")
    }
}

/// One mutation asked for: an action on named targets of one kind, with typed options
/// (`--flavor m1.small` arrives as `[.flavor: .text("m1.small")]`, `--size 10` as `[.size: .integer(10)]`).
public struct ActionRequest: Sendable, Equatable {
    public var action: ActionKind
    public var kind: ResourceKind
    public var targets: [String]
    public var options: OptionValues
    /// The project the user is working in, for quota checks and the audit log.
    public var project: String?

    public init(action: ActionKind, kind: ResourceKind, targets: [String], options: OptionValues = [:],
                project: String? = nil) {
        self.action = action; self.kind = kind; self.targets = targets; self.options = options
        self.project = project
    }

    /// Options as the user typed them, parsed through the schema of this kind and action; a value
    /// that does not parse, or a key the action does not take, is refused with the command line's sentence.
    public init(action: ActionKind, kind: ResourceKind, targets: [String], text: [OptionKey: String],
                project: String? = nil) throws(ActionCommand.ParseError) {
        self.init(action: action, kind: kind, targets: targets,
                  options: try ActionSchema.values(from: text, for: kind, action), project: project)
    }

    /// "reboot server web-01, web-02": how logs and errors name the request.
    public var summary: String {
        "\(action.word) \(kind.noun)" + (targets.isEmpty ? "" : " " + targets.joined(separator: ", "))
    }
}

/// How a performed action ended.
public struct ActionOutcome: Sendable, Equatable {
    /// One sentence for the status line ("Shut off web-01.").
    public var message: String
    /// Request ids the remote side gave (OpenStack `x-openstack-request-id`), for the audit log.
    public var requestIDs: [String]

    public init(message: String, requestIDs: [String] = []) {
        self.message = message; self.requestIDs = requestIDs
    }
}

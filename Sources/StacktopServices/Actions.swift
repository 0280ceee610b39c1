import StacktopModel

/// A resource kind, as the command grammar names it (`stacktop KIND ACTION NAME`).
public enum ResourceKind: String, Sendable, Codable, CaseIterable {
    case instance, image, volume, network, securityGroup = "secgroup", quota, flavor, keypair, project

    /// Names accepted on the command line and after `:` (the `openstack` CLI's words included).
    public var aliases: [String] {
        switch self {
        case .instance: ["instance", "instances", "server", "servers", "vm", "vms"]
        case .image: ["image", "images", "img"]
        case .volume: ["volume", "volumes", "vol"]
        case .network: ["network", "networks", "net"]
        case .securityGroup: ["secgroup", "secgroups", "security-group", "sg"]
        case .quota: ["quota", "quotas"]
        case .flavor: ["flavor", "flavors"]
        case .keypair: ["keypair", "keypairs", "key"]
        case .project: ["project", "projects"]
        }
    }

    public static func named(_ word: String) -> ResourceKind? {
        let lower = word.lowercased()
        return allCases.first { $0.aliases.contains(lower) }
    }
}

/// Every mutation stacktop knows, as one value in one place: its name, its key, and how careful
/// the UI must be. The action issues fill this in; the read-only guarantee already covers them all.
public enum ActionKind: String, Sendable, Codable, CaseIterable {
    case start, stop, reboot, delete, create

    public struct Traits: Sendable, Equatable {
        public var title: String
        public var destructive: Bool
        public var needsConfirmation: Bool
    }

    public var traits: Traits {
        switch self {
        case .start: Traits(title: "Start", destructive: false, needsConfirmation: false)
        case .stop: Traits(title: "Shut off", destructive: false, needsConfirmation: true)
        case .reboot: Traits(title: "Reboot", destructive: false, needsConfirmation: true)
        case .delete: Traits(title: "Delete", destructive: true, needsConfirmation: true)
        case .create: Traits(title: "Create", destructive: false, needsConfirmation: false)
        }
    }
}

/// One mutation asked for: an action on named targets of one kind, with options.
public struct ActionRequest: Sendable, Equatable {
    public var action: ActionKind
    public var kind: ResourceKind
    public var targets: [String]
    public var options: [String: String]

    public init(action: ActionKind, kind: ResourceKind, targets: [String], options: [String: String] = [:]) {
        self.action = action; self.kind = kind; self.targets = targets; self.options = options
    }
}

public struct ActionOutcome: Sendable, Equatable {
    public var message: String
    public init(message: String) { self.message = message }
}

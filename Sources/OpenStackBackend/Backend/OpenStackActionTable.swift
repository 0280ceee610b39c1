import StacktopServices

/// Which part of the OpenStack backend carries out each action: the one table. `capabilities` is derived
/// from it and `perform` dispatches through it, so an action cannot be offered without a handler, nor handled
/// without being offered.
enum OpenStackHandler: Sendable {
    /// `performCreateSide`: requests with a body of their own (create, attach, resize, associate…).
    case withBody
    /// `perform`'s by-name path: every target resolved to an id first, then one call each (server actions,
    /// deletes).
    case byTarget
}

enum OpenStackActionTable {
    static let handlers: [Capability: OpenStackHandler] = {
        var table: [Capability: OpenStackHandler] = [:]
        func add(_ kind: ResourceKind, _ actions: [ActionKind], _ handler: OpenStackHandler) {
            for action in actions { table[Capability(kind, action)] = handler }
        }
        add(.instance, [.create, .attachVolume, .detachVolume, .resize, .confirmResize, .revertResize, .snapshot], .withBody)
        add(.instance, Array(ServerAction.bodies.keys) + [.rename, .delete], .byTarget)
        add(.volume, [.create, .extend], .withBody)
        add(.volume, [.delete], .byTarget)
        add(.volumeSnapshot, [.create], .withBody)
        add(.volumeSnapshot, [.delete], .byTarget)
        add(.image, [.create, .upload], .withBody)
        add(.image, [.delete], .byTarget)
        add(.securityGroup, [.create, .delete], .withBody)
        add(.securityGroupRule, [.create], .withBody)
        add(.securityGroupRule, [.delete], .byTarget)
        add(.network, [.create], .withBody)
        add(.network, [.delete], .byTarget)
        add(.keypair, [.create], .withBody)
        add(.keypair, [.delete], .byTarget)
        // Neutron's networking beyond networks. Default Neutron policy lets a project member do all of these on
        // the project's own resources (a router's gateway may be any external network), so admins and members
        // are offered the same; a stricter cloud's 403 becomes a sentence.
        add(.floatingIP, [.create, .associate, .disassociate], .withBody)
        add(.floatingIP, [.delete], .byTarget)
        add(.router, [.create, .update, .attachInterface, .detachInterface], .withBody)
        add(.router, [.delete], .byTarget)
        add(.subnet, [.create], .withBody)
        add(.subnet, [.delete], .byTarget)
        add(.port, [.create], .withBody)
        add(.port, [.delete], .byTarget)
        return table
    }()

    static func handler(for request: ActionRequest) -> OpenStackHandler? {
        handlers[Capability(request.kind, request.action)]
    }
}

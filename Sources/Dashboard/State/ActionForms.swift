import StacktopModel
import StacktopServices

/// The form an action opens when it needs more than a name, derived from its schema: one field per
/// declared option, in the schema's order, with its label, whether it is required, its default and its
/// help, so a form cannot offer what the command line refuses or miss what it takes. What the schema
/// cannot know comes from the snapshot (`FormChoices`: the flavors to pick from, the volumes free to
/// attach) and from a few per-action touches (`FormTouches`: titles, starting values, quota notes).
enum ActionForms {
    static func form(for action: ActionKind, kind: ResourceKind, targets: [String], snapshot: CloudSnapshot?,
                     project: String?) -> FormState? {
        let options = ActionSchema.options(for: kind, action)
        guard !options.isEmpty else { return nil }
        let context = FormContext(kind: kind, action: action, target: targets.first ?? "", snapshot: snapshot ?? CloudSnapshot(),
                                  project: project)
        let asks = action == .create || action == .upload || options.contains(where: \.required)
            || FormTouches.alwaysAsks(kind, action)
        guard asks else { return nil }
        let fields = options.map { option in
            var field = FormField(option: option.key, label: option.key.label,
                                  value: FormChoices.value(for: option, context),
                                  required: option.required || (option.key == .name && targets.isEmpty && action != .update),
                                  help: option.help)
            FormTouches.adjust(&field, context)
            return field
        }
        let request = ActionRequest(action: action, kind: kind, targets: targets, project: project)
        return FormState(title: FormTouches.title(context), request: request, fields: fields,
                         notes: FormTouches.notes(context))
    }

    static func choice(_ options: [String], selecting preferred: String? = nil) -> FormField.Value {
        .choice(options: options, selected: preferred.flatMap { options.firstIndex(of: $0) } ?? 0)
    }
}

/// What a form is about: the action, its target, and the snapshot its choices come from.
struct FormContext {
    var kind: ResourceKind
    var action: ActionKind
    var target: String
    var snapshot: CloudSnapshot
    var project: String?

    /// Owned by the project the user works in (or by nobody in particular).
    func isMine(_ owner: String?) -> Bool { owner == nil || project == nil || owner == project }

    var targetInstance: Instance? { snapshot.instances.first { $0.name == target } }
}

/// A field's starting value from its option's kind and the snapshot: a choice among what exists where
/// the option names something (a flavor, a network), the schema's choices and default otherwise.
enum FormChoices {
    static func value(for option: ActionOption, _ context: FormContext) -> FormField.Value {
        let optional = !option.required
        switch option.value {
        case .flag:
            return .choice(options: ["no", "yes"], selected: 0)
        case .choice(let words):
            return ActionForms.choice((optional && option.defaultValue == nil ? [FormField.none] : []) + words,
                                      selecting: option.defaultValue)
        case .ipProtocol:
            return ActionForms.choice(["any", "tcp", "udp", "icmp"], selecting: option.defaultValue)
        case .list:
            let names = candidates(for: option.key, context) ?? []
            let preferred = option.defaultValue.map { $0.split(separator: ",").map(String.init) } ?? names.prefix(1).map { $0 }
            return .multiChoice(options: names, selected: Set(preferred.compactMap { names.firstIndex(of: $0) }))
        default:
            if let names = candidates(for: option.key, context) {
                return ActionForms.choice(optional ? [FormField.none] + names : names)
            }
            return .text(option.defaultValue.flatMap { literal($0) } ?? "")
        }
    }

    /// A default the user could type as is ("1", "ingress"), not a description ("NAME-snap").
    private static func literal(_ text: String) -> String? { text.contains("NAME") ? nil : text }

    /// Names to choose from for an option that names something; nil for free text.
    static func candidates(for key: OptionKey, _ context: FormContext) -> [String]? {
        let snapshot = context.snapshot
        switch (key, context.kind, context.action) {
        case (.volume, .instance, .attachVolume):
            return snapshot.volumes.filter { $0.attachedTo.isEmpty }.map(\.name)
        case (.volume, .instance, .detachVolume):
            return snapshot.volumes.filter { $0.attachedTo.contains(context.target) && !$0.bootable }.map(\.name)
        case (.volume, .instance, .create):
            return snapshot.volumes.filter { $0.attachedTo.isEmpty && $0.bootable }.map(\.name)
        case (.volume, _, _):
            return snapshot.volumes.map(\.name)
        case (.group, .instance, .removeSecurityGroup):
            return context.targetInstance?.securityGroups ?? []
        case (.group, .instance, .addSecurityGroup):
            let current = context.targetInstance?.securityGroups ?? []
            return unique(snapshot.securityGroups.filter { context.isMine($0.project) && !current.contains($0.name) }.map(\.name))
        case (.group, _, _), (.securityGroups, _, _):
            return unique(snapshot.securityGroups.filter { context.isMine($0.project) }.map(\.name))
        case (.mac, _, _):
            return context.targetInstance?.interfaces.map(\.mac) ?? []
        case (.subnet, .router, .detachInterface):
            return snapshot.routers.first { $0.name == context.target }?.interfaces.map(\.subnet) ?? []
        case (.flavor, _, _):
            return snapshot.flavors.map(\.name)
        case (.image, _, _):
            return snapshot.images.map(\.name)
        case (.network, .floatingIP, _):
            return snapshot.networks.filter(\.external).map(\.name)
        case (.network, _, _), (.networks, _, _):
            return snapshot.networks.map(\.name)
        case (.keypair, _, _):
            return snapshot.keypairs.filter { context.isMine($0.project) }.map(\.name)
        case (.server, _, _):
            return unique(snapshot.instances.filter { context.isMine($0.project) }.map(\.name))
        default:
            return nil
        }
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

/// The little a schema cannot say about a form: its title, starting values that depend on the target,
/// the quota left, and which actions ask even though nothing is required.
enum FormTouches {
    /// Actions whose options all have defaults but that should still show them first.
    static func alwaysAsks(_ kind: ResourceKind, _ action: ActionKind) -> Bool {
        switch (kind, action) {
        case (.instance, .snapshot), (.volume, .snapshot): true
        default: false
        }
    }

    static func title(_ context: FormContext) -> String {
        let target = context.target
        switch (context.kind, context.action) {
        case (.instance, .create): return "Launch instance"
        case (.image, .create), (.image, .upload): return "Upload an image"
        case (.keypair, .create): return "Create or import a key pair"
        case (.floatingIP, .create): return "Allocate a floating IP"
        case (.securityGroupRule, .create): return "Add a rule"
        case (.instance, .attachVolume): return "Attach a volume to \(target)"
        case (.instance, .detachVolume): return "Detach a volume from \(target)"
        case (.instance, .attachInterface): return "Attach an interface to \(target)"
        case (.instance, .detachInterface): return "Detach an interface from \(target)"
        case (.floatingIP, .associate): return "Associate \(target) with a server"
        case (.router, .attachInterface): return "Attach a subnet to \(target)"
        case (.router, .detachInterface): return "Detach a subnet from \(target)"
        case (_, .create): return "Create a \(context.kind.noun)"
        case (.instance, .addSecurityGroup), (.instance, .removeSecurityGroup):
            return "\(context.action.traits.title): \(target)"
        default: return "\(context.action.traits.title) \(target)"
        }
    }

    /// Starting values that depend on the target (its current name, flavor or size).
    static func adjust(_ field: inout FormField, _ context: FormContext) {
        let target = context.target
        switch (context.kind, context.action, field.option) {
        case (.instance, .rename, .name):
            field.value = .text(target)
        case (.instance, .resize, .flavor):
            if case .choice(let names, _) = field.value {
                field.value = ActionForms.choice(names, selecting: context.targetInstance?.flavor)
            }
        case (.instance, .snapshot, .imageName):
            field.value = .text("\(target)-snapshot")
        case (.volume, .snapshot, .name):
            field.value = .text("\(target.split(separator: ".").first ?? "")-snap")
        case (.volume, .extend, .size):
            let size = context.snapshot.volumes.first { $0.name == target }.map { Int($0.sizeBytes >> 30) }
            field.value = .text(size.map { String($0 + 10) } ?? "")
        case (.volume, .create, .size), (.flavor, .create, .disk):
            field.value = .text("10")
        case (.flavor, .create, .vcpus):
            field.value = .text("1")
        case (.flavor, .create, .ram):
            field.value = .text("1024")
        case (.network, .create, .cidr):
            field.value = .text("10.20.0.0/24")
        case (.securityGroupRule, .create, .remoteIP):
            field.value = .text("0.0.0.0/0")
        case (.instance, .create, .image):
            if case .choice(let names, _) = field.value {
                field.value = ActionForms.choice(names, selecting: context.snapshot.images.first?.name)
            }
        case (.instance, .create, .volume):
            field.label = "Or boot volume"
            field.help = "A free bootable volume, used instead of an image."
        case (.floatingIP, .create, .network):
            // The first external network rather than "the only one": a form shows which it is.
            if case .choice(let names, _) = field.value, names.count > 1 { field.value = .choice(options: names, selected: 1) }
        case (.router, .create, .externalNetwork):
            let externals = context.snapshot.networks.filter(\.external).map(\.name)
            field.value = .text(externals.first ?? "")
        default:
            break
        }
        if case .choice(let names, _) = field.value, names.isEmpty || names == [FormField.none], field.required {
            field.help = "Nothing to choose from: " + field.help
        }
    }

    static func notes(_ context: FormContext) -> [String] {
        let snapshot = context.snapshot, project = context.project
        switch (context.kind, context.action) {
        case (.instance, .create): return quotaNotes(snapshot, project, [.instances, .cores, .ramMiB])
        case (.instance, .resize): return ["Current flavor: \(context.targetInstance?.flavor ?? "unknown")."]
        case (.instance, .addSecurityGroup), (.instance, .removeSecurityGroup):
            let current = context.targetInstance?.securityGroups ?? []
            return ["In groups now: " + (current.isEmpty ? "none" : current.joined(separator: ", ")) + "."]
        case (.volume, .create): return quotaNotes(snapshot, project, [.volumes, .gigabytes])
        case (.volume, .extend):
            let size = snapshot.volumes.first { $0.name == context.target }.map { Int($0.sizeBytes >> 30) }
            return ["Current size: \(size.map { "\($0) GiB" } ?? "unknown")."]
        case (.volumeSnapshot, .create): return quotaNotes(snapshot, project, [.snapshots])
        case (.network, .create): return quotaNotes(snapshot, project, [.networks])
        case (.securityGroup, .create): return quotaNotes(snapshot, project, [.securityGroups])
        case (.securityGroupRule, .create): return quotaNotes(snapshot, project, [.securityGroupRules])
        case (.keypair, .create): return quotaNotes(snapshot, project, [.keypairs])
        default: return []
        }
    }

    /// "Quota left in engineering: instances 1 of 12, vCPUs 3 of 27": a create shows it before it is asked.
    static func quotaNotes(_ snapshot: CloudSnapshot, _ project: String?, _ resources: [QuotaResource]) -> [String] {
        guard let quotas = snapshot.quotas.first(where: { $0.project == project }) ?? snapshot.quotas.first else { return [] }
        let parts = resources.compactMap { resource -> String? in
            guard let usage = quotas[resource] else { return nil }
            guard let remaining = usage.remaining else { return "\(resource.label) unlimited" }
            func amount(_ value: Int) -> String {
                switch resource {
                case .ramMiB: Format.mebibytes(value)
                case .gigabytes: "\(value)G"
                default: String(value)
                }
            }
            return "\(resource.label) \(amount(remaining)) of \(amount(usage.limit))"
        }
        return parts.isEmpty ? [] : ["Quota left in \(quotas.project): " + parts.joined(separator: ", ") + "."]
    }
}

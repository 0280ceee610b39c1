import StacktopModel
import StacktopServices

/// Which actions need more than a name before they can run, and the form that asks for it. The
/// option names are the command line's (`stacktop server create web --image debian-12 --flavor m1.small`).
enum ActionForms {
    static func form(for action: ActionKind, kind: ResourceKind, targets: [String], snapshot: CloudSnapshot?,
                     project: String?) -> FormState? {
        let snapshot = snapshot ?? CloudSnapshot()
        let request = ActionRequest(action: action, kind: kind, targets: targets, project: project)
        let target = targets.first ?? ""
        switch (kind, action) {
        case (.instance, .create):
            return launchWizard(request: request, snapshot: snapshot, project: project)
        case (.instance, .rename):
            return FormState(title: "Rename \(target)", request: request, fields: [
                FormField(option: .name, label: "New name", value: .text(target), required: true),
            ])
        case (.instance, .resize):
            let current = snapshot.instances.first { $0.name == target }?.flavor
            return FormState(title: "Resize \(target)", request: request, fields: [
                FormField(option: .flavor, label: "Flavor", value: choice(snapshot.flavors.map(\.name), selecting: current),
                          required: true, help: "The instance must be shut off; ←→ to choose."),
            ], notes: ["Current flavor: \(current ?? "unknown")."])
        case (.instance, .snapshot):
            return FormState(title: "Snapshot \(target)", request: request, fields: [
                FormField(option: .imageName, label: "Image name", value: .text("\(target)-snapshot"), required: true),
            ])
        case (.instance, .attachVolume):
            let available = snapshot.volumes.filter { $0.attachedTo.isEmpty }.map(\.name)
            return FormState(title: "Attach a volume to \(target)", request: request, fields: [
                FormField(option: .volume, label: "Volume", value: choice(available), required: true,
                          help: available.isEmpty ? "No volume is free; create one on the Volumes panel." : "←→ to choose."),
            ])
        case (.instance, .detachVolume):
            let attached = snapshot.volumes.filter { $0.attachedTo.contains(target) && !$0.bootable }.map(\.name)
            return FormState(title: "Detach a volume from \(target)", request: request, fields: [
                FormField(option: .volume, label: "Volume", value: choice(attached), required: true),
            ])
        case (.instance, .addSecurityGroup), (.instance, .removeSecurityGroup):
            let instance = snapshot.instances.first { $0.name == target }
            let current = instance?.securityGroups ?? []
            let names = action == .addSecurityGroup
                ? uniqueNames(snapshot.securityGroups.filter { $0.project == nil || $0.project == instance?.project }
                    .map(\.name).filter { !current.contains($0) })
                : current
            return FormState(title: "\(action.traits.title) · \(target)", request: request, fields: [
                FormField(option: .group, label: "Security group", value: choice(names), required: true),
            ], notes: ["In groups now: " + (current.isEmpty ? "none" : current.joined(separator: ", ")) + "."])
        case (.instance, .attachInterface):
            return FormState(title: "Attach an interface to \(target)", request: request, fields: [
                FormField(option: .network, label: "Network", value: choice(snapshot.networks.map(\.name)), required: true),
            ])
        case (.instance, .detachInterface):
            let macs = snapshot.instances.first { $0.name == target }?.interfaces.map(\.mac) ?? []
            return FormState(title: "Detach an interface from \(target)", request: request, fields: [
                FormField(option: .mac, label: "Interface (MAC)", value: choice(macs), required: true),
            ])
        case (.volume, .create):
            return FormState(title: "Create a volume", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .size, label: "Size (GiB)", value: .text("10"), required: true),
                FormField(option: .image, label: "From image", value: choice([FormField.none] + snapshot.images.map(\.name)),
                          help: "(none) makes a blank volume."),
            ], notes: quotaNotes(snapshot, project, [.volumes, .gigabytes]))
        case (.volume, .snapshot):
            return FormState(title: "Snapshot \(target)", request: request, fields: [
                FormField(option: .name, label: "Copy's name", value: .text("\(target.split(separator: ".").first ?? "")-snap"),
                          required: true, help: "A point-in-time copy beside the volume."),
            ])
        case (.volume, .extend):
            let size = snapshot.volumes.first { $0.name == target }.map { Int($0.sizeBytes >> 30) }
            return FormState(title: "Extend \(target)", request: request, fields: [
                FormField(option: .size, label: "New size (GiB)", value: .text(size.map { String($0 + 10) } ?? ""),
                          required: true, help: "Volumes only grow."),
            ], notes: ["Current size: \(size.map { "\($0) GiB" } ?? "unknown")."])
        case (.image, .create), (.image, .upload):
            return FormState(title: "Upload an image", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .file, label: "Local file", value: .text(""), required: true,
                          help: "A qcow2 or raw file on this machine; the format is detected."),
                FormField(option: .visibility, label: "Visibility", value: choice(["public", "private"])),
            ])
        case (.network, .create):
            return FormState(title: "Create a network", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .mode, label: "Mode", value: choice(["nat", "isolated"])),
                FormField(option: .cidr, label: "Subnet CIDR", value: .text("10.20.0.0/24"), required: true),
                FormField(option: .gateway, label: "Gateway", value: .text(""), help: "Empty: the first address."),
                FormField(option: .dhcp, label: "DHCP range", value: .text(""),
                          help: "START-END, e.g. 10.20.0.100-10.20.0.200; empty: no DHCP."),
            ], notes: quotaNotes(snapshot, project, [.networks]))
        case (.securityGroup, .create):
            return FormState(title: "Create a security group", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .description, label: "Description", value: .text("")),
            ], notes: quotaNotes(snapshot, project, [.securityGroups]))
        case (.securityGroupRule, .create):
            return FormState(title: "Add a rule", request: request, fields: [
                FormField(option: .group, label: "Security group", value: choice(snapshot.securityGroups
                    .filter { $0.project == nil || $0.project == project }.map(\.name)), required: true),
                FormField(option: .direction, label: "Direction", value: choice(["ingress", "egress"])),
                FormField(option: .ipProtocol, label: "Protocol", value: choice(["tcp", "udp", "icmp", "any"])),
                FormField(option: .port, label: "Port or range", value: .text(""), help: "22, or 8000-8080; empty: all."),
                FormField(option: .remoteIP, label: "Remote CIDR", value: .text("0.0.0.0/0")),
            ], notes: quotaNotes(snapshot, project, [.securityGroupRules]))
        case (.keypair, .create):
            return FormState(title: "Create or import a key pair", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .publicKey, label: "Public key file", value: .text(""),
                          help: "Empty: a new key is generated and its private key is saved once (0600)."),
                FormField(option: .privateKey, label: "Save private key to", value: .text(""),
                          help: "Where a generated private key is written."),
            ], notes: quotaNotes(snapshot, project, [.keypairs]))
        case (.floatingIP, .create):
            let externals = snapshot.networks.filter(\.external).map(\.name)
            return FormState(title: "Allocate a floating IP", request: request, fields: [
                FormField(option: .network, label: "External network", value: choice(externals), required: true,
                          help: externals.isEmpty ? "This cloud lists no external network." : "←→ to choose."),
            ])
        case (.floatingIP, .associate):
            let servers = snapshot.instances.filter { project == nil || $0.project == nil || $0.project == project }.map(\.name)
            return FormState(title: "Associate \(target) with a server", request: request, fields: [
                FormField(option: .server, label: "Server", value: choice(uniqueNames(servers)), required: true),
                FormField(option: .fixedIP, label: "Fixed IP", value: .text(""),
                          help: "Empty: the server's first address."),
            ])
        case (.router, .create):
            let externals = snapshot.networks.filter(\.external).map(\.name)
            return FormState(title: "Create a router", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .externalNetwork, label: "Gateway network", value: .text(externals.first ?? ""),
                          help: "An external network (\(externals.isEmpty ? "none listed" : externals.joined(separator: ", "))); empty: no gateway."),
            ])
        case (.router, .attachInterface):
            return FormState(title: "Attach a subnet to \(target)", request: request, fields: [
                FormField(option: .subnet, label: "Subnet", value: .text(""), required: true, help: "The subnet's name or id."),
            ])
        case (.router, .detachInterface):
            let attached = snapshot.routers.first { $0.name == target }?.interfaces.map(\.subnet) ?? []
            return FormState(title: "Detach a subnet from \(target)", request: request, fields: [
                FormField(option: .subnet, label: "Subnet", value: choice(attached), required: true),
            ])
        case (.flavor, .create):
            return FormState(title: "Create a flavor", request: request, fields: [
                FormField(option: .name, label: "Name", value: .text(""), required: true),
                FormField(option: .vcpus, label: "vCPUs", value: .text("1"), required: true),
                FormField(option: .ram, label: "RAM (MiB)", value: .text("1024"), required: true),
                FormField(option: .disk, label: "Disk (GiB)", value: .text("10"), required: true),
            ])
        default:
            return nil
        }
    }

    /// Name, source, flavor, networks, security groups, key pair, count, user data; the quota left heads it.
    static func launchWizard(request: ActionRequest, snapshot: CloudSnapshot, project: String?) -> FormState {
        let mine = { (owner: String?) in owner == nil || project == nil || owner == project }
        let bootable = snapshot.volumes.filter { $0.attachedTo.isEmpty && $0.bootable }.map(\.name)
        return FormState(title: "Launch instance", request: request, fields: [
            FormField(option: .name, label: "Name", value: .text(""), required: true),
            FormField(option: .image, label: "Image", value: choice([FormField.none] + snapshot.images.map(\.name),
                                                                     selecting: snapshot.images.first?.name),
                      help: "The root disk is a copy-on-write overlay of this image. (none): boot from a volume."),
            FormField(option: .volume, label: "Or boot volume", value: choice([FormField.none] + bootable),
                      help: "A free bootable volume, used instead of an image."),
            FormField(option: .flavor, label: "Flavor", value: choice(snapshot.flavors.map(\.name),
                                                                       selecting: snapshot.flavors.first?.name),
                      required: true),
            FormField(option: .networks, label: "Networks", value: .multiChoice(options: snapshot.networks.map(\.name),
                                                                                 selected: snapshot.networks.isEmpty ? [] : [0]),
                      help: "Digits toggle networks (1 = the first)."),
            FormField(option: .securityGroups, label: "Security groups", value: .multiChoice(
                options: uniqueNames(snapshot.securityGroups.filter { mine($0.project) }.map(\.name)),
                selected: [0]), help: "Digits toggle groups."),
            FormField(option: .keypair, label: "Key pair", value: choice([FormField.none]
                + snapshot.keypairs.filter { mine($0.project) }.map(\.name))),
            FormField(option: .count, label: "Count", value: .text("1"), required: true),
            FormField(option: .userData, label: "User data file", value: .text(""),
                      help: "Optional cloud-init user data (a file on this machine)."),
        ], notes: quotaNotes(snapshot, project, [.instances, .cores, .ramMiB]))
    }

    static func choice(_ options: [String], selecting preferred: String? = nil) -> FormField.Value {
        .choice(options: options, selected: preferred.flatMap { options.firstIndex(of: $0) } ?? 0)
    }

    private static func uniqueNames(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
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

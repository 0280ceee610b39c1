import Foundation
import StacktopModel
import StacktopServices
import StacktopStore

/// Actions that live only in the state store on a libvirt host: flavors, key pairs, security groups
/// and their rules, quotas. (Security groups also become nwfilters; see `NWFilterXML`.)
struct CatalogActions {
    let store: StateStore
    /// Quota checks count what exists now.
    let snapshot: @Sendable () throws -> CloudSnapshot
    let keys: KeyTool
    /// Where group filters live, to update them when rules change (nil: store only).
    var connection: LibvirtConnection? = nil

    /// nil when the request is not one of these.
    func perform(_ request: ActionRequest) throws -> ActionOutcome? {
        switch (request.kind, request.action) {
        case (.flavor, .create): return try createFlavor(request)
        case (.flavor, .delete): return try deleteFlavors(request)
        case (.keypair, .create): return try createKeypair(request)
        case (.keypair, .delete): return try deleteKeypairs(request)
        case (.securityGroup, .create): return try createGroup(request)
        case (.securityGroup, .delete): return try deleteGroups(request)
        case (.securityGroupRule, .create): return try createRule(request)
        case (.securityGroupRule, .delete): return try deleteRules(request)
        case (.quota, .update): return try updateQuota(request)
        default: return nil
        }
    }

    // MARK: flavors

    private func createFlavor(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        guard try store.flavors().allSatisfy({ $0.name != name }) else {
            throw BackendError.nameTaken(kind: "flavor", name: name, scope: nil, option: nil)
        }
        let vcpus = try ActionOptions.positiveInt(request, .vcpus)
        let ram = try ActionOptions.positiveInt(request, .ram)
        let disk = try ActionOptions.positiveInt(request, .disk, allowZero: true)
        try store.upsertFlavor(Flavor(id: UUID().uuidString.lowercased(), name: name, vcpus: vcpus, ramMiB: ram, diskGiB: disk))
        return ActionOutcome(message: "Created flavor \(name) (\(vcpus) vCPUs, \(ram) MiB RAM, \(disk) GiB disk).")
    }

    private func deleteFlavors(_ request: ActionRequest) throws -> ActionOutcome {
        let known = Set(try store.flavors().map(\.name))
        for name in request.targets where !known.contains(name) { throw BackendError.notFound(kind: "flavor", name: name) }
        for name in request.targets { try store.deleteFlavor(named: name) }
        return ActionOutcome(message: "Deleted flavor \(request.targets.joined(separator: ", ")); "
                             + "instances already using it keep their size.")
    }

    // MARK: key pairs

    private func createKeypair(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        let project = request.project
        guard try store.keypairs().allSatisfy({ $0.name != name }) else {
            throw BackendError.nameTaken(kind: "key pair", name: name, scope: nil, option: nil)
        }
        try QuotaCheck.require(.keypairs, adding: 1, project: project, snapshot: try snapshot())
        if let publicKeyPath = request[.publicKey] {
            let publicKey = try keys.readPublicKey(at: publicKeyPath)
            let fingerprint = try keys.fingerprint(of: publicKey)
            try store.upsertKeypair(Keypair(name: name, fingerprint: fingerprint, publicKey: publicKey, project: project,
                                            createdAt: Date()))
            return ActionOutcome(message: "Imported key pair \(name) (\(fingerprint)).")
        }
        guard let privatePath = request[.privateKey] else {
            throw BackendError.invalidOption(.privateKey, reason: "Say where to save the new private key with --private-key PATH "
                                       + "(it is shown nowhere else), or import one with --public-key FILE.")
        }
        let generated = try keys.generate(comment: name, savingPrivateKeyTo: privatePath)
        try store.upsertKeypair(Keypair(name: name, fingerprint: generated.fingerprint, publicKey: generated.publicKey,
                                        project: project, createdAt: Date()))
        return ActionOutcome(message: "Created key pair \(name); its private key is in \(privatePath) (mode 0600), "
                             + "and nowhere else.")
    }

    private func deleteKeypairs(_ request: ActionRequest) throws -> ActionOutcome {
        let known = Set(try store.keypairs().map(\.name))
        for name in request.targets where !known.contains(name) { throw BackendError.notFound(kind: "keypair", name: name) }
        for name in request.targets { try store.deleteKeypair(named: name) }
        return ActionOutcome(message: "Deleted key pair \(request.targets.joined(separator: ", ")).")
    }

    // MARK: security groups

    private func group(named name: String, project: String?) throws -> SecurityGroup {
        let groups = try store.securityGroups().filter { $0.name == name || $0.id == name }
        let mine = groups.filter { $0.project == project || $0.project == nil }
        if let only = (mine.count == 1 ? mine : groups.count == 1 ? groups : []).first { return only }
        if groups.isEmpty { throw BackendError.notFound(kind: "secgroup", name: name) }
        throw BackendError.ambiguousName(kind: "security group", name: name, candidates: groups.map { $0.project ?? "none" },
                                         tellApartBy: .project)
    }

    private func createGroup(_ request: ActionRequest) throws -> ActionOutcome {
        let name = try ActionOptions.name(request)
        let existing = try store.securityGroups()
        guard !existing.contains(where: { $0.name == name && $0.project == request.project }) else {
            throw BackendError.nameTaken(kind: "security group", name: name, scope: "Project \(request.project ?? "none")", option: nil)
        }
        try QuotaCheck.require(.securityGroups, adding: 1, project: request.project, snapshot: try snapshot())
        // As in Neutron, a new group lets everything out and nothing in until rules say otherwise.
        let group = SecurityGroup(id: UUID().uuidString.lowercased(), name: name,
                                  description: request[.description] ?? "", project: request.project,
                                  rules: [SecurityGroupRule(id: UUID().uuidString.lowercased(), direction: .egress)])
        try store.upsertSecurityGroup(group)
        return ActionOutcome(message: "Created security group \(name) (all egress allowed, no ingress yet).")
    }

    private func deleteGroups(_ request: ActionRequest) throws -> ActionOutcome {
        let instances = try snapshot().instances
        var groups: [SecurityGroup] = []
        for name in request.targets {
            let group = try group(named: name, project: request.project)
            // As in Neutron: every project has its default group, and stacktop would make it again on the next start.
            guard group.name != "default" else {
                // One of a kind (only this group, only on delete), so its sentence stays its own.
                throw BackendError.refused(reason: "The default security group of project \(group.project ?? "none") cannot "
                                           + "be deleted, as in OpenStack; remove its rules instead.")
            }
            let users = instances.filter(group.isUsed(by:)).map(\.name)
            try BackendError.refuseIfHeld(.securityGroup, name, by: users, .usedBy, advice: "remove it from those instances first")
            groups.append(group)
        }
        for group in groups { try store.deleteSecurityGroup(id: group.id) }
        return ActionOutcome(message: "Deleted security group \(request.targets.joined(separator: ", ")).")
    }

    private func createRule(_ request: ActionRequest) throws -> ActionOutcome {
        guard let groupName = request[.group] ?? request.targets.first else {
            throw BackendError.invalidOption(.group, reason: "Say which security group gets the rule with --group NAME.")
        }
        let group = try group(named: groupName, project: request.project)
        try QuotaCheck.require(.securityGroupRules, adding: 1, project: group.project, snapshot: try snapshot())
        let rule = try RuleOptions.rule(from: request)
        try store.addSecurityGroupRule(rule, toGroup: group.id)
        let live = try refreshFilter(groupID: group.id)
        return ActionOutcome(message: "Added \(RuleOptions.describe(rule)) to security group \(group.name)\(live).")
    }

    private func deleteRules(_ request: ActionRequest) throws -> ActionOutcome {
        let rules = try store.securityGroups().flatMap { group in group.rules.map { (group, $0) } }
        for id in request.targets where !rules.contains(where: { $0.1.id == id }) {
            throw BackendError.notFound(kind: "secgroup-rule", name: id)
        }
        for id in request.targets { try store.deleteSecurityGroupRule(id: id) }
        var live = ""
        for groupID in Set(rules.filter { request.targets.contains($0.1.id) }.map(\.0.id)) { live = try refreshFilter(groupID: groupID) }
        return ActionOutcome(message: "Deleted \(request.targets.count == 1 ? "rule" : "\(request.targets.count) rules") "
                             + request.targets.joined(separator: ", ") + "\(live).")
    }

    /// Redefines the group's nwfilter if instances use it: the filters they reference pick it up live.
    private func refreshFilter(groupID: String) throws -> String {
        guard let connection, connection.supportsNetworkFilters,
              let group = try store.securityGroups().first(where: { $0.id == groupID }) else { return "" }
        let name = NWFilterXML.groupFilterName(group)
        guard connection.networkFilterExists(name) else { return "" }
        try connection.defineNetworkFilter(xml: NWFilterXML.group(group, groupAddresses: NWFilterXML.groupAddresses(try snapshot())),
                                           name: name)
        return "; the running instances' filters are updated"
    }

    // MARK: quotas

    /// `quota update PROJECT --instances 20 --cores 40`; the project `default` sets the defaults.
    private func updateQuota(_ request: ActionRequest) throws -> ActionOutcome {
        guard let project = request.targets.first else {
            throw BackendError.missingTarget(kind: .project, action: .update,
                                             usage: "`quota update engineering --instances 20` (or `default`)")
        }
        let known = Set(try store.projects().map(\.name))
        guard project == "default" || known.contains(project) else { throw BackendError.notFound(kind: "project", name: project) }
        var changed: [String] = []
        for (key, value) in request.options.sorted {
            guard let resource = QuotaResource.named(key.word) else {
                throw BackendError.invalidOption(key, reason: "Unknown quota \"\(key.word)\"; quotas are "
                    + QuotaResource.libvirtResources.map { "--" + $0.optionName }.joined(separator: ", ") + ".")
            }
            guard case .integer(let limit) = value, limit >= -1 else {
                throw BackendError.invalidOption(key, reason: "The \(resource.label) quota must be a whole number, "
                                                 + "or -1 for unlimited, not \"\(value.text)\".")
            }
            if project == "default" {
                try store.setQuotaDefault(limit, for: resource)
            } else {
                try store.setQuotaLimit(limit, for: resource, project: project)
            }
            changed.append("\(resource.label) \(limit == -1 ? "unlimited" : String(limit))")
        }
        guard !changed.isEmpty else {
            throw BackendError.invalidOption(.instances, reason: "Say which quota to change, e.g. --instances 20.")
        }
        let whose = project == "default" ? "the default quotas" : "the quotas of \(project)"
        return ActionOutcome(message: "Set \(whose): " + changed.joined(separator: ", ") + ".")
    }
}

extension QuotaResource {
    /// The command line's spelling: --instances, --cores, --ram, --security-groups…
    public var optionName: String { rawValue.replacingOccurrences(of: "_", with: "-") }

    public static func named(_ word: String) -> QuotaResource? {
        let normal = word.lowercased().replacingOccurrences(of: "_", with: "-")
        if normal == "vcpus" { return .cores }
        return libvirtResources.first { $0.optionName == normal }
    }
}

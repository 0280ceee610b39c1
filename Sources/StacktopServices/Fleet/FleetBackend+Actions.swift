import StacktopModel

/// Actions in a fleet: each target goes to its own context's backend (every one through its own gates:
/// read-only, audit, capabilities), in the order the contexts are listed; what one context refuses or
/// fails is said beside what the others did.
extension FleetBackend {
    public func perform(_ request: ActionRequest) async throws -> ActionOutcome {
        if request.targets.isEmpty {
            throw BackendError.refused(reason: "The fleet view does not know which context should \(request.action.word) "
                                       + "a \(request.kind.noun); open that context alone (:ctx NAME) and do it there.")
        }
        var groups: [(context: String, targets: [String])] = []
        for target in request.targets {
            let (local, context) = try resolve(target, kind: request.kind)
            if let at = groups.firstIndex(where: { $0.context == context }) {
                groups[at].targets.append(local)
            } else {
                groups.append((context, [local]))
            }
        }
        groups.sort { a, b in contextNames.firstIndex(of: a.context)! < contextNames.firstIndex(of: b.context)! }
        var done: [String] = [], failed: [String] = [], requestIDs: [String] = []
        for group in groups {
            var part = request
            part.targets = group.targets
            do {
                let (backend, _, _) = try member(of: FleetID.qualified(group.targets[0], context: group.context))
                let outcome = try await backend.backend.perform(part)
                done.append("\(group.context): \(outcome.message)")
                requestIDs += outcome.requestIDs
            } catch {
                failed.append("\(group.context): \(ErrorText.sentence(error))")
            }
        }
        if failed.isEmpty { return ActionOutcome(message: done.joined(separator: " "), requestIDs: requestIDs) }
        let said = done.isEmpty ? "Nothing was done. " : "Done on " + done.joined(separator: " ") + " "
        throw BackendError.refused(reason: said + "Not done on " + failed.joined(separator: " "))
    }

    /// A target's local name and context: "web-01@lab-a" as it says; a bare "web-01" where exactly one
    /// context has it (the last data read of each decides), else the sentence that asks for NAME@CONTEXT.
    func resolve(_ target: String, kind: ResourceKind) throws -> (local: String, context: String) {
        if let split = FleetID.split(target, among: contextNames) { return split }
        let holders = state.withLock { states in
            zip(sources, states).compactMap { source, member -> String? in
                guard let snapshot = member.lastGood, Self.holds(snapshot, kind: kind, name: target) else { return nil }
                return source.context.name
            }
        }
        switch holders.count {
        case 1: return (target, holders[0])
        case 0:
            throw BackendError.refused(reason: "No context of this fleet has a \(kind.noun) named \"\(ErrorText.visible(target))\"; "
                                       + "check the name, or name it as NAME@CONTEXT.")
        default:
            throw BackendError.refused(reason: "\(holders.joined(separator: ", ")) each have a \(kind.noun) named "
                                       + "\"\(ErrorText.visible(target))\"; name the one you mean as "
                                       + "\(ErrorText.visible(target))@\(holders[0]).")
        }
    }

    /// Whether a context's snapshot has an item of `kind` called `name` (or with that id), for the kinds
    /// actions name; any other kind is taken as held, and its backend decides.
    static func holds(_ snapshot: CloudSnapshot, kind: ResourceKind, name: String) -> Bool {
        func among(_ pairs: [(String, String)]) -> Bool { pairs.contains { $0.0 == name || $0.1 == name } }
        switch kind {
        case .instance: return among(snapshot.instances.map { ($0.name, $0.id) })
        case .image: return among(snapshot.images.map { ($0.name, $0.id) })
        case .volume: return among(snapshot.volumes.map { ($0.name, $0.id) })
        case .network: return among(snapshot.networks.map { ($0.name, $0.id) })
        case .securityGroup: return among(snapshot.securityGroups.map { ($0.name, $0.id) })
        case .keypair: return among(snapshot.keypairs.map { ($0.name, $0.name) })
        case .flavor: return among(snapshot.flavors.map { ($0.name, $0.id) })
        default: return true
        }
    }
}

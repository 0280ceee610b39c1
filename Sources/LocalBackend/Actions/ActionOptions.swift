import Foundation
import StacktopModel
import StacktopServices

extension BackendError {
    /// Refuses to go on while anything in `holders` (instances, snapshots) holds `name`; returns when nothing does.
    static func refuseIfHeld(_ kind: ResourceKind, _ name: String, by holders: [String], _ use: Use,
                             advice: String?) throws {
        guard holders.isEmpty else { throw inUse(kind: kind, name: name, by: holders, use: use, advice: advice) }
    }
}

/// Reading an action's options with sentences for what is missing or malformed.
enum ActionOptions {
    /// A create names its new item as its target (`flavor create tiny`) or with --name.
    static func name(_ request: ActionRequest) throws -> String {
        guard let name = request.targets.first ?? request[.name], !name.isEmpty else {
            throw BackendError.missingTarget(kind: request.kind, action: request.action, usage: nil)
        }
        return name
    }

    /// A number the schema parsed; its range was checked there, the sign is checked again for typed callers.
    static func positiveInt(_ request: ActionRequest, _ key: OptionKey, allowZero: Bool = false) throws -> Int {
        guard let value = request.integer(key) else {
            throw BackendError.invalidOption(key, reason: "\(request.action.traits.title) \(request.kind.noun) needs \(key) NUMBER.")
        }
        guard value > 0 || (allowZero && value == 0) else {
            throw BackendError.invalidOption(key, reason: "\(key) must be a whole number\(allowZero ? "" : " above zero"), "
                                             + "not \"\(value)\".")
        }
        return value
    }
}

/// Quota enforcement on every create: the error names the quota, its limit and the current usage.
enum QuotaCheck {
    static func require(_ resource: QuotaResource, adding amount: Int, project: String?, snapshot: CloudSnapshot) throws {
        guard let project, let usage = snapshot.quotas.first(where: { $0.project == project })?[resource],
              !usage.isUnlimited else { return }
        if usage.used + amount > usage.limit {
            throw BackendError.quotaExceeded(project: project, resource: resource.label, limit: usage.limit,
                                             inUse: usage.used, requested: amount)
        }
    }
}

/// `--direction ingress --protocol tcp --port 22 --remote-ip 0.0.0.0/0` → a rule, checked by `RuleSyntax`
/// (shared with OpenStack): no `--protocol` means any protocol, as in Neutron.
enum RuleOptions {
    static func rule(from request: ActionRequest) throws -> SecurityGroupRule {
        let parsed: RuleSyntax.Rule
        do {
            parsed = try RuleSyntax.rule(request)
        } catch {
            throw error.refusal
        }
        return SecurityGroupRule(id: UUID().uuidString.lowercased(),
                                 direction: SecurityGroupRule.Direction(rawValue: parsed.direction) ?? .ingress,
                                 ethertype: parsed.ethertype, protocol: parsed.ipProtocol,
                                 portMin: parsed.ports?.lowerBound, portMax: parsed.ports?.upperBound, remoteCIDR: parsed.remote)
    }

    static func describe(_ rule: SecurityGroupRule) -> String {
        "\(rule.direction.rawValue) \(rule.protocol ?? "any")"
            + (rule.portMin == nil ? "" : " port \(rule.portRangeLabel)")
            + (rule.remoteCIDR.map { " from \($0)" } ?? "")
    }
}

/// Just enough CIDR checking to refuse typos before they reach a filter (`RuleSyntax`, shared with OpenStack).
enum CIDR {
    static func isValid(_ text: String) -> Bool { RuleSyntax.isCIDR(text) }
}

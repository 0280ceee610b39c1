import Foundation
import StacktopModel
import StacktopServices

/// Reading an action's options with sentences for what is missing or malformed.
enum ActionOptions {
    /// A create names its new item as its target (`flavor create tiny`) or with --name.
    static func name(_ request: ActionRequest) throws -> String {
        guard let name = request.targets.first ?? request.options["name"], !name.isEmpty else {
            throw BackendError.refused(reason: "Give the new \(request.kind.noun) a name, e.g. `\(request.kind.rawValue) create NAME`.")
        }
        return name
    }

    static func positiveInt(_ request: ActionRequest, _ key: String, allowZero: Bool = false) throws -> Int {
        guard let text = request.options[key] else {
            throw BackendError.refused(reason: "\(request.action.traits.title) \(request.kind.noun) needs --\(key) NUMBER.")
        }
        guard let value = Int(text), value > 0 || (allowZero && value == 0) else {
            throw BackendError.refused(reason: "--\(key) must be a whole number\(allowZero ? "" : " above zero"), not \"\(text)\".")
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

/// `--direction ingress --protocol tcp --port 22 --remote-ip 0.0.0.0/0` → a rule, checked.
enum RuleOptions {
    static func rule(from options: [String: String]) throws -> SecurityGroupRule {
        let direction = SecurityGroupRule.Direction(rawValue: options["direction"] ?? "ingress")
        guard let direction else {
            throw BackendError.refused(reason: "--direction is ingress or egress, not \"\(options["direction"] ?? "")\".")
        }
        var proto = options["protocol"]?.lowercased()
        if proto == "any" || proto == "all" { proto = nil }
        guard proto == nil || ["tcp", "udp", "icmp"].contains(proto!) else {
            throw BackendError.refused(reason: "--protocol is tcp, udp, icmp or any, not \"\(proto!)\".")
        }
        var portMin: Int?, portMax: Int?
        if let port = options["port"], !port.isEmpty {
            guard proto == "tcp" || proto == "udp" else {
                throw BackendError.refused(reason: "Ports need --protocol tcp or udp.")
            }
            let parts = port.split(separator: "-").map { Int($0) }
            guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
                  (1...65535).contains(low), (low...65535).contains(high) else {
                throw BackendError.refused(reason: "--port is a port (22) or a range (8000-8080) within 1-65535, not \"\(port)\".")
            }
            portMin = low; portMax = high
        }
        let remote = options["remote-ip"].flatMap { $0.isEmpty ? nil : $0 }
        if let remote, !CIDR.isValid(remote) {
            throw BackendError.refused(reason: "--remote-ip must be a network such as 10.0.0.0/8 or 0.0.0.0/0, not \"\(remote)\".")
        }
        let ethertype = remote?.contains(":") == true ? "IPv6" : "IPv4"
        return SecurityGroupRule(id: UUID().uuidString.lowercased(), direction: direction, ethertype: ethertype,
                                 protocol: proto, portMin: portMin, portMax: portMax, remoteCIDR: remote)
    }

    static func describe(_ rule: SecurityGroupRule) -> String {
        "\(rule.direction.rawValue) \(rule.protocol ?? "any")"
            + (rule.portMin == nil ? "" : " port \(rule.portRangeLabel)")
            + (rule.remoteCIDR.map { " from \($0)" } ?? "")
    }
}

/// Just enough CIDR checking to refuse typos before they reach a filter.
enum CIDR {
    static func isValid(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let prefix = Int(parts[1]) else { return false }
        if parts[0].contains(":") { return (0...128).contains(prefix) && parts[0].allSatisfy { $0.isHexDigit || $0 == ":" } }
        let octets = parts[0].split(separator: ".", omittingEmptySubsequences: false).map { Int($0) }
        return (0...32).contains(prefix) && octets.count == 4 && octets.allSatisfy { ($0 ?? -1) >= 0 && ($0 ?? 256) <= 255 }
    }
}

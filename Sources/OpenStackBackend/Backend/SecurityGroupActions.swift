import Foundation
import StacktopModel
import StacktopServices

/// Security groups and their rules on Neutron.
extension OpenStackCloudBackend {
    func createSecurityGroup(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop secgroup create NAME [--description TEXT]`")
        let body = try Self.json(["security_group": ["name": name, "description": Self.option(request, "description") ?? ""]])
        let response = try await client.send(.network, "v2.0/security-groups", method: .post, body: body,
                                             what: "Create security group \(name)")
        let id = (Self.object(response.body)?["security_group"] as? [String: Any])?["id"] as? String
        return ActionOutcome(message: "Created security group \(name)" + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestID.map { [$0] } ?? [])
    }

    func deleteSecurityGroups(_ request: ActionRequest) async throws -> ActionOutcome {
        guard !request.targets.isEmpty else {
            throw BackendError.refused(reason: "Nothing to delete: name the security group.")
        }
        // Every name first, so one unknown name deletes nothing.
        var ids: [String] = []
        for name in request.targets { ids.append(try await securityGroupID(name)) }
        var requestIDs: [String] = []
        for (name, id) in zip(request.targets, ids) {
            let response = try await client.send(.network, "v2.0/security-groups/\(Self.pathComponent(id))",
                                                 method: .delete, what: "Delete security group \(name)")
            if let requestID = response.requestID { requestIDs.append(requestID) }
        }
        let noun = request.targets.count == 1 ? "security group" : "security groups"
        return ActionOutcome(message: "Deleted \(noun) \(request.targets.joined(separator: ", ")).", requestIDs: requestIDs)
    }

    /// `--group G [--direction ingress|egress] [--protocol tcp|udp|icmp|any] [--port 22|8000-8080] [--remote-ip CIDR]`.
    func createSecurityGroupRule(_ request: ActionRequest) async throws -> ActionOutcome {
        // The form sends the group as an option; the command line may name it as the target.
        guard let group = Self.option(request, "group") ?? request.targets.first, request.targets.count <= 1 else {
            throw BackendError.refused(reason: "Name the security group the rule belongs to: add --group GROUP.")
        }
        let direction = Self.option(request, "direction")?.lowercased() ?? "ingress"
        guard ["ingress", "egress"].contains(direction) else {
            throw BackendError.refused(reason: "--direction is ingress or egress, not \"\(direction)\".")
        }
        let proto = Self.option(request, "protocol")?.lowercased() ?? "tcp"
        guard ["tcp", "udp", "icmp", "any"].contains(proto) else {
            throw BackendError.refused(reason: "--protocol is tcp, udp, icmp or any, not \"\(proto)\".")
        }
        let ports = try Self.portRange(Self.option(request, "port"), protocol: proto)
        let remote = Self.option(request, "remote-ip")
        if let remote, !Self.looksLikeCIDR(remote) {
            throw BackendError.refused(reason: "--remote-ip is an address range such as 0.0.0.0/0 or 10.0.0.0/8, not \"\(remote)\".")
        }
        var rule: [String: Any] = ["security_group_id": try await securityGroupID(group), "direction": direction,
                                   "ethertype": remote?.contains(":") == true ? "IPv6" : "IPv4"]
        if proto != "any" { rule["protocol"] = proto }
        if let ports { rule["port_range_min"] = ports.lowerBound; rule["port_range_max"] = ports.upperBound }
        if let remote { rule["remote_ip_prefix"] = remote }
        let response = try await client.send(.network, "v2.0/security-group-rules", method: .post,
                                             body: try Self.json(["security_group_rule": rule]),
                                             what: "Add a rule to security group \(group)")
        let id = (Self.object(response.body)?["security_group_rule"] as? [String: Any])?["id"] as? String
        let portText = ports.map { $0.count == 1 ? " port \($0.lowerBound)" : " ports \($0.lowerBound)-\($0.upperBound)" } ?? ""
        let peer = remote.map { (direction == "ingress" ? " from " : " to ") + $0 } ?? ""
        return ActionOutcome(message: "Added an \(direction) rule to security group \(group): \(proto)\(portText)\(peer)"
                                + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestID.map { [$0] } ?? [])
    }

    /// "22" or "8000-8080"; nil for all ports. ICMP and "any" have no ports.
    static func portRange(_ text: String?, protocol proto: String) throws -> ClosedRange<Int>? {
        guard let text else { return nil }
        guard proto == "tcp" || proto == "udp" else {
            throw BackendError.refused(reason: "--port applies to tcp and udp only; drop it for \(proto).")
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
              (1...65535).contains(low), (low...65535).contains(high) else {
            throw BackendError.refused(reason: "--port is a port such as 22 or a range such as 8000-8080 (1 to 65535), not \"\(text)\".")
        }
        return low...high
    }

    static func looksLikeCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let bits = Int(parts[1]) else { return false }
        let address = String(parts[0])
        if address.contains(":") { return (0...128).contains(bits) && address.allSatisfy { $0.isHexDigit || $0 == ":" } }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false).compactMap { Int($0) }
        return (0...32).contains(bits) && octets.count == 4 && octets.allSatisfy { (0...255).contains($0) }
    }
}

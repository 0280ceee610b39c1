import Foundation
import StacktopModel
import StacktopServices

/// Security groups and their rules on Neutron.
extension OpenStackCloudBackend {
    func createSecurityGroup(_ request: ActionRequest) async throws -> ActionOutcome {
        let name = try Self.single(request, "`stacktop secgroup create NAME [--description TEXT]`")
        let body = try Self.json(SecurityGroupCreateRequest(securityGroup: .init(name: name,
                                                                                 description: Self.option(request, .description) ?? "")))
        let response = try await client.send(.network, "v2.0/security-groups", method: .post, body: body,
                                             what: "Create security group \(name)")
        let id = Self.answerField(response.body, "security_group")
        return ActionOutcome(message: "Created security group \(name)" + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }

    func deleteSecurityGroups(_ request: ActionRequest) async throws -> ActionOutcome {
        guard !request.targets.isEmpty else {
            throw BackendError.missingTarget(kind: .securityGroup, action: .delete, usage: nil)
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
        guard let group = Self.option(request, .group) ?? request.targets.first, request.targets.count <= 1 else {
            throw BackendError.invalidOption(.group, reason: "Name the security group the rule belongs to: add --group GROUP.")
        }
        // Checked by `RuleSyntax`, shared with libvirt: no --protocol means any protocol, as in Neutron.
        let parsed: RuleSyntax.Rule
        do {
            parsed = try RuleSyntax.rule(request)
        } catch {
            throw error.refusal
        }
        let direction = parsed.direction, ports = parsed.ports, remote = parsed.remote
        let proto = parsed.ipProtocol ?? "any"
        let rule = SecurityGroupRuleCreateRequest.Rule(securityGroupID: try await securityGroupID(group), direction: direction,
                                                       ethertype: parsed.ethertype, protocol: parsed.ipProtocol,
                                                       portRangeMin: ports?.lowerBound, portRangeMax: ports?.upperBound,
                                                       remoteIPPrefix: remote)
        let response = try await client.send(.network, "v2.0/security-group-rules", method: .post,
                                             body: try Self.json(SecurityGroupRuleCreateRequest(securityGroupRule: rule)),
                                             what: "Add a rule to security group \(group)")
        let id = Self.answerField(response.body, "security_group_rule")
        let portText = ports.map { $0.count == 1 ? " port \($0.lowerBound)" : " ports \($0.lowerBound)-\($0.upperBound)" } ?? ""
        let peer = remote.map { (direction == "ingress" ? " from " : " to ") + $0 } ?? ""
        return ActionOutcome(message: "Added an \(direction) rule to security group \(group): \(proto)\(portText)\(peer)"
                                + (id.map { " (id \($0))" } ?? "") + ".",
                             requestIDs: response.requestIDs)
    }
}

/// `POST /v2.0/security-groups`: the description is always sent, empty when not given.
struct SecurityGroupCreateRequest: Encodable {
    var securityGroup: Group
    struct Group: Encodable { var name: String; var description: String }
    enum CodingKeys: String, CodingKey { case securityGroup = "security_group" }
}

/// `POST /v2.0/security-group-rules`: no protocol means any protocol, as in Neutron; ports and the
/// remote prefix only when given.
struct SecurityGroupRuleCreateRequest: Encodable {
    var securityGroupRule: Rule
    enum CodingKeys: String, CodingKey { case securityGroupRule = "security_group_rule" }

    struct Rule: Encodable {
        var securityGroupID: String
        var direction: String
        var ethertype: String
        var `protocol`: String?
        var portRangeMin: Int?
        var portRangeMax: Int?
        var remoteIPPrefix: String?

        enum CodingKeys: String, CodingKey {
            case direction, ethertype, `protocol`, securityGroupID = "security_group_id"
            case portRangeMin = "port_range_min", portRangeMax = "port_range_max", remoteIPPrefix = "remote_ip_prefix"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopModel

/// A rule from `GET /v2.0/security-group-rules`, with the group it belongs to.
public struct NeutronSecurityGroupRule: Sendable, Equatable {
    public var groupID: String
    public var rule: SecurityGroupRule
    public init(groupID: String, rule: SecurityGroupRule) { self.groupID = groupID; self.rule = rule }
}

private struct WireRule: Decodable {
    var id: String
    var direction: String
    var ethertype: String?
    var `protocol`: String?
    var port_range_min: Int?
    var port_range_max: Int?
    var remote_ip_prefix: String?
    var remote_group_id: String?
    var security_group_id: String

    /// `groupNames` resolves `remote_group_id` to a name, as the model keeps remote groups by name.
    func rule(_ groupNames: [String: String]) throws(DecodingFailure) -> SecurityGroupRule {
        guard let direction = SecurityGroupRule.Direction(rawValue: direction) else {
            throw DecodingFailure(service: NeutronDecoder.service, path: "", key: "direction",
                                  reason: "unknown direction \"\(self.direction)\"")
        }
        return SecurityGroupRule(id: id, direction: direction, ethertype: ethertype ?? "IPv4",
                                 protocol: `protocol`, portMin: port_range_min, portMax: port_range_max,
                                 remoteCIDR: remote_ip_prefix,
                                 remoteGroup: remote_group_id.map { groupNames[$0] ?? $0 })
    }
}

extension NeutronDecoder {
    /// `GET /v2.0/security-groups`, rules included. A remote group in the same page is named; others keep their id.
    public static func securityGroups(_ data: Data, projectNamesByID: [String: String] = [:],
                                      path: String = "/v2.0/security-groups") throws(DecodingFailure) -> OpenStackPage<SecurityGroup> {
        struct Wire: Decodable {
            var id: String
            var name: String
            var description: String?
            var project_id: String?
            var tenant_id: String?
            var security_group_rules: [WireRule]?
        }
        let page = try WireDecoder.page(Wire.self, key: "security_groups", from: data, service: service, path: path)
        let names = Dictionary(page.items.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        var items: [SecurityGroup] = []
        for (index, wire) in page.items.enumerated() {
            var rules: [SecurityGroupRule] = []
            for (ruleIndex, rule) in (wire.security_group_rules ?? []).enumerated() {
                do { rules.append(try rule.rule(names)) } catch {
                    throw DecodingFailure(service: service, path: path,
                                          key: "security_groups[\(index)].security_group_rules[\(ruleIndex)].direction",
                                          reason: error.reason)
                }
            }
            let project = wire.project_id ?? wire.tenant_id
            items.append(SecurityGroup(id: wire.id, name: wire.name, description: wire.description ?? "",
                                       project: project.map { projectNamesByID[$0] ?? $0 }, rules: rules))
        }
        return OpenStackPage(items: items, next: page.next)
    }

    /// `GET /v2.0/security-group-rules`; `groupNamesByID` names remote groups.
    public static func securityGroupRules(_ data: Data, groupNamesByID: [String: String] = [:],
                                          path: String = "/v2.0/security-group-rules")
        throws(DecodingFailure) -> OpenStackPage<NeutronSecurityGroupRule> {
        let page = try WireDecoder.page(WireRule.self, key: "security_group_rules", from: data, service: service, path: path)
        var items: [NeutronSecurityGroupRule] = []
        for (index, wire) in page.items.enumerated() {
            do {
                items.append(NeutronSecurityGroupRule(groupID: wire.security_group_id, rule: try wire.rule(groupNamesByID)))
            } catch {
                throw DecodingFailure(service: service, path: path, key: "security_group_rules[\(index)].direction",
                                      reason: error.reason)
            }
        }
        return OpenStackPage(items: items, next: page.next)
    }

    /// `POST /v2.0/security-group-rules` or `GET /v2.0/security-group-rules/{id}`.
    public static func securityGroupRule(_ data: Data, groupNamesByID: [String: String] = [:],
                                         path: String = "/v2.0/security-group-rules/{id}")
        throws(DecodingFailure) -> NeutronSecurityGroupRule {
        struct Body: Decodable { var security_group_rule: WireRule }
        let wire = try WireDecoder.decode(Body.self, from: data, service: service, path: path).security_group_rule
        do {
            return NeutronSecurityGroupRule(groupID: wire.security_group_id, rule: try wire.rule(groupNamesByID))
        } catch {
            throw DecodingFailure(service: service, path: path, key: "security_group_rule.direction",
                                  reason: error.reason)
        }
    }
}

import Foundation
import StacktopModel

/// Security groups as libvirt network filters. Each group becomes one filter of accept rules; each
/// instance gets one filter that references its groups, lets replies back in, and drops every other
/// incoming packet, which is what Neutron's default-deny ingress means. The details view shows a group's
/// filter through the snapshot's `extraDetails` (LocalSnapshotAssembler), so the UI needs no libvirt.
public enum NWFilterXML {
    public static func groupFilterName(_ group: SecurityGroup) -> String { "stacktop-sg-\(group.id)" }
    public static func instanceFilterName(uuid: String) -> String { "stacktop-instance-\(uuid)" }

    /// One `<rule>` per security-group rule. Ingress rules accept new connections in; egress rules accept them out.
    /// A rule whose remote is another group becomes one rule per address of that group's instances
    /// (`groupAddresses[name]`); with none known it is left out, never widened to "from anywhere".
    public static func group(_ group: SecurityGroup, groupAddresses: [String: [String]] = [:]) -> String {
        var lines = ["<filter name='\(groupFilterName(group))' chain='root'>"]
        lines.append("  <!-- stacktop security group \(escape(group.name)) (project \(escape(group.project ?? "none"))) -->")
        for rule in group.rules {
            let direction = rule.direction == .ingress ? "in" : "out"
            var concrete = [rule]
            if let remote = rule.remoteGroup {
                let addresses = (groupAddresses[remote] ?? []).filter { $0.contains(":") == (rule.ethertype == "IPv6") }
                if addresses.isEmpty {
                    lines.append("  <!-- \(rule.direction.rawValue) \(rule.ethertype) from group \(escape(remote)): "
                                 + "no member address known yet, so nothing is allowed -->")
                    continue
                }
                concrete = addresses.map { address in
                    var member = rule
                    member.remoteGroup = nil
                    member.remoteCIDR = address + (address.contains(":") ? "/128" : "/32")
                    return member
                }
            }
            for member in concrete {
                lines.append("  <rule action='accept' direction='\(direction)' priority='500'>")
                lines.append("    " + match(member))
                lines.append("  </rule>")
            }
        }
        lines.append("</filter>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The addresses of each group's instances, for rules whose remote is a group.
    public static func groupAddresses(_ snapshot: CloudSnapshot) -> [String: [String]] {
        var addresses: [String: [String]] = [:]
        for instance in snapshot.instances {
            for group in instance.securityGroups { addresses[group, default: []] += instance.addresses }
        }
        return addresses
    }

    /// The filter bound to an instance's interfaces (`<filterref filter='…'/>` in its domain XML).
    public static func instance(uuid: String, groups: [SecurityGroup]) -> String {
        var lines = ["<filter name='\(instanceFilterName(uuid: uuid))' chain='root'>"]
        // Replies to what the guest opened, and ARP/DHCP, must pass or nothing works at all.
        lines.append("  <filterref filter='clean-traffic'/>")
        lines.append("  <rule action='accept' direction='in' priority='100'><all state='ESTABLISHED,RELATED'/></rule>")
        lines.append("  <rule action='accept' direction='out' priority='100'><all state='ESTABLISHED,RELATED'/></rule>")
        for group in groups { lines.append("  <filterref filter='\(groupFilterName(group))'/>") }
        lines.append("  <rule action='drop' direction='in' priority='1000'><all/></rule>")
        if !groups.contains(where: { $0.rules.contains { $0.direction == .egress } }) {
            lines.append("  <rule action='drop' direction='out' priority='1000'><all/></rule>")
        }
        lines.append("</filter>")
        return lines.joined(separator: "\n") + "\n"
    }

    /// The protocol element with ports and the remote network of one rule.
    public static func match(_ rule: SecurityGroupRule) -> String {
        let v6 = rule.ethertype == "IPv6"
        var element: String
        switch rule.protocol {
        case "tcp": element = v6 ? "tcp-ipv6" : "tcp"
        case "udp": element = v6 ? "udp-ipv6" : "udp"
        case "icmp": element = v6 ? "icmpv6" : "icmp"
        default: element = v6 ? "all-ipv6" : "all"
        }
        var attributes: [String] = ["state='NEW'"]
        if let low = rule.portMin, rule.protocol == "tcp" || rule.protocol == "udp" {
            attributes.append("dstportstart='\(low)'")
            attributes.append("dstportend='\(rule.portMax ?? low)'")
        }
        if let cidr = rule.remoteCIDR, let slash = cidr.firstIndex(of: "/") {
            // Ingress matches where packets come from; egress where they go.
            let side = rule.direction == .ingress ? "src" : "dst"
            attributes.append("\(side)ipaddr='\(cidr[..<slash])'")
            attributes.append("\(side)ipmask='\(cidr[cidr.index(after: slash)...])'")
        }
        element = "<\(element) " + attributes.joined(separator: " ") + "/>"
        return element
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "--", with: "- -")
    }
}

import StacktopModel
import TerminalUI

/// Networks and what is plugged into them, as a text tree (Horizon's network topology, for a terminal).
enum Topology {
    static func lines(_ snapshot: CloudSnapshot?, glyphs: Glyphs) -> [String] {
        guard let snapshot else { return ["Loading" + glyphs.dots] }
        let branch = glyphs.treeBranch, last = glyphs.treeLast
        var lines: [String] = []
        for network in snapshot.networks {
            let subnets = network.subnets.map(\.cidr).joined(separator: ", ")
            lines.append("\(network.name)  [\(network.forwardMode)\(subnets.isEmpty ? "" : " " + subnets)]"
                         + (network.active ? "" : "  (inactive)"))
            let ports = snapshot.instances.flatMap { instance in
                instance.interfaces.filter { $0.network == network.name }.map { (instance, $0) }
            }
            if ports.isEmpty { lines.append("\(last)(no instances)") }
            for (index, (instance, nic)) in ports.enumerated() {
                let address = nic.addresses.isEmpty ? "no address" : nic.addresses.joined(separator: ", ")
                lines.append((index == ports.count - 1 ? last : branch)
                             + "\(instance.name)  \(instance.state.label.lowercased())  \(nic.mac)  \(address)")
            }
            lines.append("")
        }
        let unplugged = snapshot.instances.filter { instance in
            !instance.interfaces.contains { nic in snapshot.networks.contains { $0.name == nic.network } }
        }
        if !unplugged.isEmpty {
            lines.append("not on any network")
            for (index, instance) in unplugged.enumerated() {
                lines.append((index == unplugged.count - 1 ? last : branch) + "\(instance.name)  \(instance.state.label.lowercased())")
            }
        }
        return lines
    }
}

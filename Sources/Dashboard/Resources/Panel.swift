import StacktopServices
/// The dashboard's panels, in tab order. Number keys 1-9 and 0 jump to the first ten; the rest are
/// reached with Tab and by name after `:`.
public enum Panel: String, Sendable, CaseIterable, Hashable {
    case overview, instances, images, volumes, networks, securityGroups, quotas, flavors, keypairs, projects
    case floatingIPs, routers, hypervisors

    public var title: String {
        switch self {
        case .overview: "Overview"
        case .securityGroups: "Security Groups"
        default: table?.title ?? rawValue.capitalized
        }
    }

    /// A shorter title for narrow tab bars.
    public var shortTitle: String {
        switch self {
        case .overview: "Overview"
        case .instances: "Instances"
        case .images: "Images"
        case .volumes: "Volumes"
        case .networks: "Networks"
        case .securityGroups: "SecGroups"
        case .quotas: "Quotas"
        case .flavors: "Flavors"
        case .keypairs: "Keys"
        case .projects: "Projects"
        case .floatingIPs: "FIPs"
        case .routers: "Routers"
        case .hypervisors: "Hosts"
        }
    }

    /// The table this panel lists (nil for the Overview).
    public var table: ResourceTable? {
        switch self {
        case .overview: nil
        case .instances: .instances
        case .images: .images
        case .volumes: .volumes
        case .networks: .networks
        case .securityGroups: .securityGroups
        case .quotas: .quotas
        case .flavors: .flavors
        case .keypairs: .keypairs
        case .projects: .projects
        case .floatingIPs: .floatingIPs
        case .routers: .routers
        case .hypervisors: .hypervisors
        }
    }

    /// The kind of thing this panel lists, which is what its actions act on.
    public var resourceKind: ResourceKind? {
        switch self {
        case .overview: nil
        case .instances: .instance
        case .images: .image
        case .volumes: .volume
        case .networks: .network
        case .securityGroups: .securityGroup
        case .quotas: .quota
        case .flavors: .flavor
        case .keypairs: .keypair
        case .projects: .project
        case .floatingIPs: .floatingIP
        case .routers: .router
        case .hypervisors: .hypervisor
        }
    }

    /// The digit that jumps here ("1" for Overview ... "0" for the tenth), nil past the tenth.
    public var digitKey: Character? {
        let index = Panel.allCases.firstIndex(of: self)! + 1
        switch index {
        case 1...9: return Character(String(index))
        case 10: return "0"
        default: return nil
        }
    }

    /// `digitKey`, or for panels past the tenth a middle dot: the tab bar shows it in the digit's
    /// place, and no key types it, so the key map's digit lookup cannot jump there by accident.
    public var digit: Character { digitKey ?? Panel.noDigit }

    public static let noDigit: Character = "\u{00B7}"

    /// Words that open this panel after `:`.
    public var commandAliases: [String] {
        switch self {
        case .overview: ["overview", "home", "o"]
        case .instances: ["instances", "instance", "vm", "vms", "servers", "server"]
        case .images: ["images", "image", "img"]
        case .volumes: ["volumes", "volume", "vol"]
        case .networks: ["networks", "network", "net"]
        case .securityGroups: ["secgroups", "secgroup", "sg", "security-groups"]
        case .quotas: ["quotas", "quota"]
        case .flavors: ["flavors", "flavor"]
        case .keypairs: ["keypairs", "keypair", "keys"]
        case .projects: ["projects", "project"]
        case .floatingIPs: ["fip", "fips", "floating-ips", "floating-ip", "floatingips"]
        case .routers: ["routers", "router"]
        case .hypervisors: ["hypervisors", "hypervisor", "hosts", "host"]
        }
    }
}

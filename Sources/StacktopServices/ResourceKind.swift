/// Every resource kind's words and what its actions take, in one place: a new kind is a case here (its
/// aliases and noun) and its actions' options below; the parser, `--help`, forms and the gate read them.
/// (The machinery that parses and checks options is ActionSchema.swift.)
///
/// A resource kind, as the command grammar names it (`stacktop KIND ACTION NAME`).
public enum ResourceKind: String, Sendable, Codable, CaseIterable {
    case instance, image, volume, volumeSnapshot = "volume-snapshot", network, subnet, router, port, floatingIP = "floating-ip"
    case securityGroup = "secgroup", securityGroupRule = "secgroup-rule"
    case quota, flavor, keypair, project, hypervisor

    /// Names accepted on the command line and after `:` (the `openstack` CLI's words included).
    public var aliases: [String] {
        switch self {
        case .instance: ["instance", "instances", "server", "servers", "vm", "vms"]
        case .image: ["image", "images", "img"]
        case .volume: ["volume", "volumes", "vol"]
        case .volumeSnapshot: ["volume-snapshot", "volume-snapshots", "vsnap", "vsnaps", "snapshots"]
        case .network: ["network", "networks", "net"]
        case .subnet: ["subnet", "subnets"]
        case .router: ["router", "routers"]
        case .port: ["port", "ports"]
        case .floatingIP: ["floating-ip", "floating-ips", "floatingip", "floatingips", "fip", "fips"]
        case .securityGroup: ["secgroup", "secgroups", "security-group", "security-groups", "sg"]
        case .securityGroupRule: ["secgroup-rule", "security-group-rule", "rule", "sgr"]
        case .quota: ["quota", "quotas"]
        case .flavor: ["flavor", "flavors"]
        case .keypair: ["keypair", "keypairs", "key", "keys"]
        case .project: ["project", "projects"]
        case .hypervisor: ["hypervisor", "hypervisors", "host", "hosts"]
        }
    }

    /// The word the CLI and the audit log use for this kind.
    public var noun: String {
        switch self {
        case .instance: "server"
        case .volumeSnapshot: "volume snapshot"
        case .floatingIP: "floating IP"
        case .securityGroup: "security group"
        case .securityGroupRule: "security group rule"
        default: rawValue
        }
    }

    public static func named(_ word: String) -> ResourceKind? {
        let lower = word.lowercased()
        return allCases.first { $0.aliases.contains(lower) }
    }
}

extension ActionSchema {
    static func name(_ noun: String) -> ActionOption {
        ActionOption(.name, .text, "The new \(noun)'s name, when not given as NAME.")
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    /// The options of `action` on `kind`, in the order help lists them; empty when it takes none.
    public static func options(for kind: ResourceKind, _ action: ActionKind) -> [ActionOption] {
        switch (kind, action) {
        case (.instance, .create):
            return [
                name("server"),
                ActionOption(.flavor, .text, required: true, "The flavor, e.g. m1.small."),
                ActionOption(.image, .text, "The image to boot from (or --volume)."),
                ActionOption(.volume, .text, "A volume to boot from instead of an image."),
                ActionOption(.networks, .list, "Networks to attach, first one first (default: the first network)."),
                ActionOption(.securityGroups, .list, default: "default", "Security groups to put it in."),
                ActionOption(.keypair, .text, "The key pair whose public key is injected."),
                ActionOption(.userData, .path, "A cloud-init user-data file."),
                ActionOption(.count, .integer(1...100), default: "1", "How many to launch (libvirt: up to 20)."),
                ActionOption(.virtType, .choice(["kvm", "qemu"]), "libvirt only: the domain type (default: kvm when available)."),
            ]
        case (.instance, .reboot):
            return [ActionOption(.hard, .flag, "Reset instead of asking the guest (same as hard-reboot).")]
        case (.instance, .rename):
            return [ActionOption(.name, .text, required: true, "The new name.")]
        case (.instance, .resize):
            return [ActionOption(.flavor, .text, required: true, "The new flavor.")]
        case (.instance, .snapshot):
            return [
                ActionOption(.imageName, .text, default: "NAME-snapshot", "The new image's name."),
                ActionOption(.pool, .text, "libvirt only: the storage pool for the image (default: images)."),
            ]
        case (.instance, .attachVolume):
            return [ActionOption(.volume, .text, required: true, "The volume to attach.")]
        case (.instance, .detachVolume):
            return [
                ActionOption(.volume, .text, required: true, "The volume to detach."),
                ActionOption(.force, .flag, "libvirt only: remove it from the definition without waiting for the guest."),
            ]
        case (.instance, .attachInterface):
            return [ActionOption(.network, .text, required: true, "The network to plug in.")]
        case (.instance, .detachInterface):
            return [
                ActionOption(.mac, .text, required: true, "The interface's MAC address."),
                ActionOption(.force, .flag, "libvirt only: remove it from the definition without waiting for the guest."),
            ]
        case (.instance, .addSecurityGroup), (.instance, .removeSecurityGroup):
            return [ActionOption(.group, .text, required: true, "The security group.")]
        case (.volume, .create):
            return [
                name("volume"),
                ActionOption(.size, .sizeGiB, required: true, "The size in GiB."),
                ActionOption(.image, .text, "An image to copy into it (default: empty)."),
                ActionOption(.pool, .text, "libvirt only: the storage pool (default: the first active one)."),
            ]
        case (.volume, .extend):
            return [ActionOption(.size, .sizeGiB, required: true, "The new size in GiB; volumes only grow.")]
        case (.volume, .snapshot):
            return [ActionOption(.name, .text, default: "NAME-snap", "The copy's name.")]
        case (.volumeSnapshot, .create):
            return [
                name("volume snapshot"),
                ActionOption(.volume, .text, required: true, "The volume to take it of."),
                ActionOption(.description, .text, "A description."),
                ActionOption(.force, .flag, "OpenStack only: take it even while the volume is attached (in use)."),
            ]
        case (.image, .create), (.image, .upload):
            return [
                name("image"),
                ActionOption(.file, .path, required: true, "The qcow2 or raw file to upload."),
                ActionOption(.pool, .text, "libvirt only: the storage pool (default: images, else the first active one)."),
                ActionOption(.visibility, .choice(["public", "private", "shared", "community"]),
                             "Who sees it (default: public on libvirt, private on OpenStack)."),
            ]
        case (.image, .update):
            return [
                ActionOption(.name, .text, "A new name."),
                ActionOption(.os, .text, "The operating system shown, e.g. \"Debian 13\"."),
                ActionOption(.minDisk, .integer(0...Int.max), "The smallest root disk, in GiB."),
                ActionOption(.minRAM, .integer(0...Int.max), "The least RAM, in MiB."),
                ActionOption(.visibility, .choice(["public", "private", "shared", "community"]), "Who sees it."),
            ]
        case (.network, .create):
            return [
                name("network"),
                ActionOption(.mode, .choice(["nat", "isolated"]), default: "nat", "libvirt only: nat or isolated."),
                ActionOption(.cidr, .cidr, "Its address range (libvirt default: 10.20.0.0/24; OpenStack: no subnet)."),
                ActionOption(.gateway, .address, "The gateway address (default: the first address)."),
                ActionOption(.dhcp, .addressRange, "The DHCP range START-END (default: no DHCP)."),
            ]
        case (.subnet, .create):
            return [
                name("subnet"),
                ActionOption(.network, .text, required: true, "The network it belongs to."),
                ActionOption(.cidr, .cidr, required: true, "Its address range."),
                ActionOption(.gateway, .address, "The gateway address (default: the first address)."),
                ActionOption(.dhcp, .addressRange, "The DHCP range START-END (default: no DHCP)."),
            ]
        case (.port, .create):
            return [
                name("port"),
                ActionOption(.network, .text, required: true, "The network it belongs to."),
                ActionOption(.fixedIP, .address, "Its address (default: one Neutron picks)."),
            ]
        case (.floatingIP, .create):
            return [
                ActionOption(.network, .text, "The external network (default: the only one, or NAME)."),
                ActionOption(.description, .text, "A description."),
            ]
        case (.floatingIP, .associate):
            return [
                ActionOption(.server, .text, required: true, "The server to reach through it."),
                ActionOption(.fixedIP, .address, "Which of the server's addresses (default: its first)."),
            ]
        case (.router, .create):
            return [name("router"), ActionOption(.externalNetwork, .text, "Its gateway network (default: none).")]
        case (.router, .update):
            return [ActionOption(.externalNetwork, .text, required: true, "The new gateway network.")]
        case (.router, .attachInterface), (.router, .detachInterface):
            return [ActionOption(.subnet, .text, required: true, "The subnet's name or id.")]
        case (.securityGroup, .create):
            return [name("security group"), ActionOption(.description, .text, "A description.")]
        case (.securityGroupRule, .create):
            return [
                ActionOption(.group, .text, "The security group (or name it as the target)."),
                ActionOption(.direction, .choice(["ingress", "egress"]), default: "ingress", "Which way it admits traffic."),
                ActionOption(.ipProtocol, .ipProtocol, default: "any", "tcp, udp, icmp or any."),
                ActionOption(.port, .ports, "A port or range, tcp and udp only (default: all)."),
                ActionOption(.remoteIP, .cidr, "Where traffic may come from (default: anywhere)."),
            ]
        case (.keypair, .create):
            return [
                name("key pair"),
                ActionOption(.publicKey, .path, "A public key file to import (OpenStack: required)."),
                ActionOption(.privateKey, .path, "libvirt: where to save a generated private key."),
            ]
        case (.flavor, .create):
            return [
                name("flavor"),
                ActionOption(.vcpus, .integer(1...Int.max), required: true, "Virtual CPUs."),
                ActionOption(.ram, .integer(1...Int.max), required: true, "RAM in MiB."),
                ActionOption(.disk, .integer(0...Int.max), required: true, "Root disk in GiB (0: the image's size)."),
            ]
        case (.quota, .update):
            return quotaOptions
        default:
            return []
        }
    }

    /// `quota update PROJECT --instances 20`: one option per limit a libvirt host keeps; -1 is unlimited.
    static let quotaOptions: [ActionOption] = [
        (OptionKey.instances, "Instances"), (.cores, "vCPUs"), (.vcpus, "vCPUs (same as --cores)"), (.ram, "RAM in MiB"),
        (.volumes, "Volumes"), (.gigabytes, "Volume storage in GiB"), (.snapshots, "Volume snapshots"),
        (.networks, "Networks"), (.securityGroups, "Security groups"), (.securityGroupRules, "Security group rules"),
        (.keypairs, "Key pairs"),
    ].map { ActionOption($0.0, .integer(-1...Int.max), "\($0.1) (-1: unlimited).") }
}

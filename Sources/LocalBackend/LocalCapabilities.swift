import StacktopServices

/// What a libvirt host can do through stacktop, and why some OpenStack things have no equivalent.
public enum LocalCapabilities {
    public static let all = Capabilities(
        supported: Set(LocalActionTable.handlers.keys),
        unsupportedKinds: [
            .floatingIP: "A libvirt host has no floating IPs: guests on a NAT network reach out through the host, "
                + "and a forwarded port (or a routed network) is how they are reached from outside.",
            .router: "A libvirt host has no routers: each NAT network is routed by the host itself.",
            .hypervisor: "A libvirt host is its own single hypervisor; its CPU and memory are on the Overview.",
            .subnet: "A libvirt network has exactly one address range, set when it is created: create the network "
                + "with --cidr instead.",
            .port: "libvirt makes a guest's port when an interface is attached: use instance attach-interface.",
        ])
}

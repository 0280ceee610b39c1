/// The words of a security-group rule and of address ranges, parsed once for both backends:
/// `--protocol tcp --port 8000-8080 --remote-ip 10.0.0.0/8`. A rule without `--protocol` matches
/// any protocol, as Neutron's does.
public enum RuleSyntax {
    public struct Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        /// The option the sentence is about.
        public var option: OptionKey
        public var description: String

        init(_ option: OptionKey, _ description: String) { self.option = option; self.description = description }

        /// The refusal a backend throws for it.
        public var refusal: BackendError { .invalidOption(option, reason: description) }
    }

    /// tcp, udp or icmp; nil means any protocol (absent, empty, "any" or "all").
    public static func ipProtocol(_ text: String?) throws(Invalid) -> String? {
        guard let word = text?.trimmedBlanks.lowercased(), !word.isEmpty, word != "any", word != "all" else { return nil }
        guard ["tcp", "udp", "icmp"].contains(word) else {
            throw Invalid(.ipProtocol, "--protocol is tcp, udp, icmp or any, not \"\(text ?? "")\".")
        }
        return word
    }

    /// "22" or "8000-8080" within 1-65535, low end first.
    public static func portRange(_ text: String) throws(Invalid) -> ClosedRange<Int> {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { Int($0.trimmedBlanks) }
        guard (1...2).contains(parts.count), let low = parts.first ?? nil, let high = parts.last ?? nil,
              (1...65535).contains(low), (low...65535).contains(high) else {
            throw Invalid(.port, "--port is a port such as 22 or a range such as 8000-8080 within 1-65535, not \"\(text)\".")
        }
        return low...high
    }

    /// An IPv4 (a.b.c.d/0-32) or IPv6 (hex and colons/0-128) address range.
    public static func isCIDR(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), let bits = Int(parts[1]) else {
            return false
        }
        let address = parts[0]
        if address.contains(":") {
            return (0...128).contains(bits) && address.count >= 2 && address.allSatisfy { $0.isHexDigit || $0 == ":" }
        }
        let octets = address.split(separator: ".", omittingEmptySubsequences: false)
        return (0...32).contains(bits) && octets.count == 4
            && octets.allSatisfy { !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigit) && Int($0).map { $0 <= 255 } == true }
    }

    /// "IPv6" for an IPv6 range, else "IPv4".
    public static func ethertype(of remote: String?) -> String {
        remote?.contains(":") == true ? "IPv6" : "IPv4"
    }

    /// The checked pieces of a rule; `remote` is nil for anywhere.
    public struct Rule: Sendable, Equatable {
        public var direction: String
        public var ipProtocol: String?
        public var ports: ClosedRange<Int>?
        public var remote: String?
        public var ethertype: String { RuleSyntax.ethertype(of: remote) }
    }

    /// `--direction`, `--protocol`, `--port`, `--remote-ip` of a security-group-rule request as one
    /// checked rule. Each value was parsed by the schema; what is left is how they go together.
    public static func rule(_ request: ActionRequest) throws(Invalid) -> Rule {
        try rule(direction: request[.direction], protocol: request.ipProtocol(.ipProtocol), ports: request.portRange(.port),
                 remote: request.cidr(.remoteIP))
    }

    /// A rule from typed pieces: ingress unless said, any protocol when `proto` is nil, and ports only
    /// for tcp and udp (any protocol has none).
    public static func rule(direction: String?, protocol proto: String?, ports: ClosedRange<Int>?, remote: String?) throws(Invalid) -> Rule {
        let way = direction ?? "ingress"
        guard way == "ingress" || way == "egress" else {
            throw Invalid(.direction, "--direction is ingress or egress, not \"\(way)\".")
        }
        if ports != nil {
            guard let proto else {
                throw Invalid(.port, "--port needs --protocol tcp or udp: without --protocol a rule matches any protocol, "
                              + "which has no ports.")
            }
            guard proto == "tcp" || proto == "udp" else {
                throw Invalid(.port, "--port applies to tcp and udp only; drop it for \(proto).")
            }
        }
        return Rule(direction: way, ipProtocol: proto, ports: ports, remote: remote)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

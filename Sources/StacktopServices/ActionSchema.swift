/// The name of an option (`--remote-ip` is `.remoteIP`). Keys are made here and only here, so a backend
/// cannot read an option the schema does not know: it reads `request[.size]`, never a string.
public struct OptionKey: Sendable, Hashable, CustomStringConvertible {
    /// The word after `--`.
    public let word: String
    init(_ word: String) { self.word = word }
    public var description: String { "--" + word }

    public static let name = OptionKey("name")
    public static let flavor = OptionKey("flavor")
    public static let image = OptionKey("image")
    public static let volume = OptionKey("volume")
    public static let networks = OptionKey("networks")
    public static let securityGroups = OptionKey("security-groups")
    public static let keypair = OptionKey("keypair")
    public static let userData = OptionKey("user-data")
    public static let count = OptionKey("count")
    public static let virtType = OptionKey("virt-type")
    public static let hard = OptionKey("hard")
    public static let imageName = OptionKey("image-name")
    public static let pool = OptionKey("pool")
    public static let force = OptionKey("force")
    public static let network = OptionKey("network")
    public static let mac = OptionKey("mac")
    public static let group = OptionKey("group")
    public static let size = OptionKey("size")
    public static let file = OptionKey("file")
    public static let visibility = OptionKey("visibility")
    public static let os = OptionKey("os")
    public static let minDisk = OptionKey("min-disk")
    public static let minRAM = OptionKey("min-ram")
    public static let mode = OptionKey("mode")
    public static let cidr = OptionKey("cidr")
    public static let gateway = OptionKey("gateway")
    public static let dhcp = OptionKey("dhcp")
    public static let fixedIP = OptionKey("fixed-ip")
    public static let description = OptionKey("description")
    public static let server = OptionKey("server")
    public static let externalNetwork = OptionKey("external-network")
    public static let subnet = OptionKey("subnet")
    public static let direction = OptionKey("direction")
    public static let ipProtocol = OptionKey("protocol")
    public static let port = OptionKey("port")
    public static let remoteIP = OptionKey("remote-ip")
    public static let publicKey = OptionKey("public-key")
    public static let privateKey = OptionKey("private-key")
    public static let vcpus = OptionKey("vcpus")
    public static let ram = OptionKey("ram")
    public static let disk = OptionKey("disk")
    public static let instances = OptionKey("instances")
    public static let cores = OptionKey("cores")
    public static let volumes = OptionKey("volumes")
    public static let gigabytes = OptionKey("gigabytes")
    public static let snapshots = OptionKey("snapshots")
    public static let securityGroupRules = OptionKey("security-group-rules")
    public static let keypairs = OptionKey("keypairs")
    public static let yes = OptionKey("yes")
    public static let wait = OptionKey("wait")
}

extension OptionKey {
    /// How a form labels the option: its word in sentence case, or the words people use for it.
    public var label: String {
        switch word {
        case "vcpus": "vCPUs"
        case "ram": "RAM (MiB)"
        case "disk": "Disk (GiB)"
        case "size": "Size (GiB)"
        case "min-disk": "Min disk (GiB)"
        case "min-ram": "Min RAM (MiB)"
        case "cidr": "Subnet CIDR"
        case "remote-ip": "Remote CIDR"
        case "fixed-ip": "Fixed IP"
        case "mac": "Interface (MAC)"
        case "dhcp": "DHCP range"
        case "os": "OS"
        case "user-data": "User data file"
        case "public-key": "Public key file"
        case "private-key": "Save private key to"
        case "protocol": "Protocol"
        case "port": "Port or range"
        case "external-network": "Gateway network"
        case "group": "Security group"
        case "keypair": "Key pair"
        case "file": "Local file"
        default: word.prefix(1).uppercased() + word.dropFirst().split(separator: "-", omittingEmptySubsequences: false).joined(separator: " ")
        }
    }
}

/// What one option of an action takes, said once for the parser, `--help` and the tests.
public struct ActionOption: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        /// Any text (a name, a description).
        case text
        /// A whole number within the range.
        case integer(ClosedRange<Int>)
        /// A size in GiB, a whole number of 1 or more.
        case sizeGiB
        /// A flag without a value (`--force`).
        case flag
        /// An address range such as 10.20.0.0/24.
        case cidr
        /// A port (22) or a range (8000-8080).
        case ports
        /// tcp, udp, icmp or any.
        case ipProtocol
        /// Names separated by commas.
        case list
        /// A file on this machine.
        case path
        /// One of these words.
        case choice([String])
        /// An IP address.
        case address
        /// START-END, two addresses.
        case addressRange

        /// What a value looks like, for help and refusals.
        public var placeholder: String {
            switch self {
            case .text: "TEXT"
            case .integer: "NUMBER"
            case .sizeGiB: "GIB"
            case .flag: ""
            case .cidr: "CIDR"
            case .ports: "PORT[-PORT]"
            case .ipProtocol: "tcp|udp|icmp|any"
            case .list: "A,B,…"
            case .path: "PATH"
            case .choice(let words): words.joined(separator: "|")
            case .address: "ADDRESS"
            case .addressRange: "START-END"
            }
        }

        /// What the option wants, as a phrase for a refusal ("a whole number from 1 to 100").
        public var wanted: String {
            switch self {
            case .text, .path, .address: "text"
            case .integer(let range):
                range.upperBound == Int.max ? "a whole number of \(range.lowerBound) or more"
                    : "a whole number from \(range.lowerBound) to \(range.upperBound)"
            case .sizeGiB: "a size in GiB, a whole number of 1 or more"
            case .flag: "true or false"
            case .cidr: "an address range such as 10.20.0.0/24 or 0.0.0.0/0"
            case .ports: "a port such as 22 or a range such as 8000-8080, within 1-65535"
            case .ipProtocol: "tcp, udp, icmp or any"
            case .list: "names separated by commas"
            case .choice(let words): words.joined(separator: " or ")
            case .addressRange: "a range START-END such as 10.20.0.100-10.20.0.200"
            }
        }

        /// Text that is not a value of the kind parsed (`wanted` says what would be).
        public struct Mismatch: Error, Sendable, Equatable {}

        /// `text` as a value of this kind: the one place typed text becomes a value. nil when blank
        /// (absent) for every kind but text and list, whose blank is an empty value.
        public func value(from text: String) throws(Mismatch) -> OptionValue? {
            let trimmed = text.trimmedBlanks
            switch self {
            case .text: return .text(text)
            case .list: return .list(text.split(separator: ",").map { $0.trimmedBlanks }.filter { !$0.isEmpty })
            case .flag:
                switch trimmed.lowercased() {
                case "", "false", "no", "off": return nil
                case "true", "yes", "on": return .flag
                default: throw Mismatch()
                }
            default:
                if trimmed.isEmpty { return nil }
            }
            let value: OptionValue? = switch self {
            case .text, .list, .flag: nil
            case .path: .path(text)
            case .address: .address(trimmed)
            case .integer(let range): Int(trimmed).flatMap { range.contains($0) ? .integer($0) : nil }
            case .sizeGiB: Int(trimmed).flatMap { $0 >= 1 ? .integer($0) : nil }
            case .cidr: RuleSyntax.isCIDR(trimmed) ? .cidr(trimmed) : nil
            case .ports: (try? RuleSyntax.portRange(trimmed)).map { .ports($0) }
            case .ipProtocol: ["any", "all"].contains(trimmed.lowercased()) ? .ipProtocol(nil)
                : (try? RuleSyntax.ipProtocol(trimmed)).map { .ipProtocol($0) }
            case .choice(let words): words.contains(trimmed.lowercased()) ? .choice(trimmed.lowercased()) : nil
            case .addressRange: Self.ends(of: trimmed).map { .addressRange(start: $0.start, end: $0.end) }
            }
            guard let value else { throw Mismatch() }
            return value
        }

        private static func ends(of range: String) -> (start: String, end: String)? {
            let ends = range.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmedBlanks }
            return ends.count == 2 && !ends[0].isEmpty && !ends[1].isEmpty ? (ends[0], ends[1]) : nil
        }

        /// Whether a typed value is one of this kind, as parsing would have made it.
        public func fits(_ value: OptionValue) -> Bool {
            switch (self, value) {
            case (.ipProtocol, .ipProtocol(let word)): return word.map { ["tcp", "udp", "icmp"].contains($0) } ?? true
            case (.text, .text), (.flag, .flag), (.cidr, .cidr), (.list, .list), (.path, .path),
                 (.address, .address), (.addressRange, .addressRange):
                return true
            case (.integer(let range), .integer(let number)): return range.contains(number)
            case (.sizeGiB, .integer(let number)): return number >= 1
            case (.ports, .ports(let range)): return range.lowerBound >= 1 && range.upperBound <= 65535
            case (.choice(let words), .choice(let word)): return words.contains(word)
            default: return false
            }
        }
    }

    public var key: OptionKey
    public var name: String { key.word }
    public var value: Value
    public var required: Bool
    /// What the backends use when it is absent, as the user would type it.
    public var defaultValue: String?
    public var help: String

    public init(_ key: OptionKey, _ value: Value, required: Bool = false, default defaultValue: String? = nil, _ help: String) {
        self.key = key; self.value = value; self.required = required; self.defaultValue = defaultValue; self.help = help
    }

    public var isSwitch: Bool { value == .flag }
}

/// Every option every action takes, declared once: `ActionCommand.parse` refuses what is not here,
/// `stacktop KIND ACTION --help` prints it, and the forms' requests are tested against it.
/// An action is listed with the union of what the backends read; a backend may still refuse an
/// option it has no use for (libvirt's --virt-type on OpenStack is ignored, --mode is reported as ignored).
public enum ActionSchema {
    /// Switches every action accepts: `--yes` answers the question up front, `--wait` is accepted for scripts.
    public static let globalSwitches: [ActionOption] = [
        ActionOption(.yes, .flag, "Confirm up front (scripts, pipes)."),
        ActionOption(.wait, .flag, "Accepted for scripts; actions already report until they end."),
    ]

    /// Whether this kind and action take `key` (the global switches included).
    public static func declares(_ key: OptionKey, for kind: ResourceKind, _ action: ActionKind) -> Bool {
        option(key.word, for: kind, action) != nil
            || (action == .hardReboot && key == .hard)
    }

    /// The one declared option `name` of this action, or nil.
    public static func option(_ name: String, for kind: ResourceKind, _ action: ActionKind) -> ActionOption? {
        (options(for: kind, action) + globalSwitches).first { $0.name == name }
    }

    /// `stacktop volume create --help`.
    public static func help(for kind: ResourceKind, _ action: ActionKind) -> String {
        let options = options(for: kind, action)
        let word = kind == .instance ? "server" : kind.rawValue
        var lines = ["Usage: stacktop \(word) \(action.word) "
                     + (action == .create || action == .upload ? "[NAME]" : "NAME…")
                     + (options.isEmpty ? "" : " [options]") + " [--yes]",
                     "\(action.traits.title) \(kind.noun)." + (options.isEmpty ? " It takes no options." : ""),
                     ""]
        let confirm = ActionOption(.yes, .flag, "Confirm up front; without a terminal a change that asks is refused without it.")
        let rows = (options + [confirm]).map { option in
            ("--\(option.name)" + (option.isSwitch ? "" : " \(option.value.placeholder)"), option)
        }
        let width = min(rows.map(\.0.count).max() ?? 0, 36)
        for (usage, option) in rows {
            var line = "  " + usage + String(repeating: " ", count: max(0, width - usage.count)) + "  " + option.help
            if option.required { line += " Required." }
            if let value = option.defaultValue { line += " Default: \(value)." }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// What the user typed for `kind` and `action`, as typed values: the one parse, shared by the
    /// command line and the forms. Keys are checked in the order of their words; an unknown key, a value
    /// of the wrong kind and (with `requireAll`) a missing required option are refused with one sentence.
    /// `spelled` is how the user named the kind and action ("server stop"), for the sentence.
    public static func values(from text: [OptionKey: String], for kind: ResourceKind, _ action: ActionKind,
                              requireAll: Bool = false, spelled: String? = nil) throws(ActionCommand.ParseError) -> OptionValues {
        let declared = options(for: kind, action)
        let what = spelled ?? "\(kind.rawValue) \(action.word)"
        var values = OptionValues()
        for (key, typed) in text.sorted(by: { $0.key.word < $1.key.word }) {
            guard let option = declared.first(where: { $0.key == key }) else {
                throw ActionCommand.ParseError(description: unknown(key.word, what: what, declared: declared))
            }
            do {
                values[key] = try option.value.value(from: typed)
            } catch {
                throw ActionCommand.ParseError(description: "\(key) wants \(option.value.wanted), not \"\(typed)\".")
            }
        }
        if requireAll, let missing = missing(in: values, declared) {
            throw ActionCommand.ParseError(description: needs(missing, what: what))
        }
        return values
    }

    /// nil when `request` fits the schema; else the sentence saying what does not: a key the action does
    /// not take, a value not of the declared kind, or (with `requireAll`) a missing required option.
    public static func problem(with request: ActionRequest, requireAll: Bool = true) -> String? {
        let declared = options(for: request.kind, request.action)
        let what = "\(request.kind.rawValue) \(request.action.word)"
        for (key, value) in request.options.sorted {
            guard let option = declared.first(where: { $0.key == key }) else {
                return unknown(key.word, what: what, declared: declared)
            }
            if !option.value.fits(value) {
                return "\(key) wants \(option.value.wanted), not \"\(value.text)\"."
            }
        }
        if requireAll, let missing = missing(in: request.options, declared) { return needs(missing, what: what) }
        return nil
    }

    private static func missing(in values: OptionValues, _ declared: [ActionOption]) -> ActionOption? {
        declared.first { $0.required && (values[$0.key].map(\.isBlank) ?? true) }
    }

    private static func needs(_ missing: ActionOption, what: String) -> String {
        "\(what) needs --\(missing.name) \(missing.value.placeholder): " + missing.help
    }

    static func unknown(_ key: String, what: String, declared: [ActionOption]) -> String {
        if declared.isEmpty { return "\(what) takes no options; --\(key) is not one of them." }
        return "--\(key) is not an option of \(what); it takes " + declared.map { "--" + $0.name }.joined(separator: ", ") + "."
    }
}

extension StringProtocol {
    var trimmedBlanks: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

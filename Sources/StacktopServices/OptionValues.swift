/// One option's value, parsed once from what the user typed by the kind its schema declares
/// (`ActionOption.Value.parse`): a number is an `Int`, a port range a `ClosedRange`, a list its items.
public enum OptionValue: Sendable, Hashable {
    /// Text as typed (a name, a description); the one kind that may be empty.
    case text(String)
    /// A whole number, and a size in GiB.
    case integer(Int)
    /// A switch that was given (`--force`).
    case flag
    /// A checked address range, blanks trimmed.
    case cidr(String)
    /// A port (22...22) or a range, within 1-65535, low end first.
    case ports(ClosedRange<Int>)
    /// tcp, udp or icmp; nil is any protocol.
    case ipProtocol(String?)
    /// The items of a comma-separated list, trimmed, without empty ones; empty when the list was.
    case list([String])
    /// A file on this machine, as typed.
    case path(String)
    /// One of the schema's words, lowercased.
    case choice(String)
    /// An address, blanks trimmed.
    case address(String)
    /// START-END, each end trimmed.
    case addressRange(start: String, end: String)

    /// The value as the user would type it: `8000-8080`, `a,b`, `any`, `true` for a switch.
    public var text: String {
        switch self {
        case .text(let text), .cidr(let text), .path(let text), .choice(let text), .address(let text): text
        case .integer(let number): String(number)
        case .flag: "true"
        case .ports(let range): range.count == 1 ? String(range.lowerBound) : "\(range.lowerBound)-\(range.upperBound)"
        case .ipProtocol(let word): word ?? "any"
        case .list(let items): items.joined(separator: ",")
        case .addressRange(let start, let end): "\(start)-\(end)"
        }
    }

    /// Empty text or an empty list: what a required option may not be.
    var isBlank: Bool { self == .text("") || self == .list([]) }
}

/// An action's options: each declared key with its typed value. Made from what the user typed only
/// through the schema (`ActionSchema.values`), or from typed values directly.
public struct OptionValues: Sendable, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    private var values: [OptionKey: OptionValue]

    public init() { values = [:] }

    public init(dictionaryLiteral elements: (OptionKey, OptionValue)...) {
        values = Dictionary(elements) { _, last in last }
    }

    public subscript(key: OptionKey) -> OptionValue? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public var isEmpty: Bool { values.isEmpty }
    public var count: Int { values.count }

    /// Every option given, in the order of their words (how messages list what changed).
    public var sorted: [(key: OptionKey, value: OptionValue)] {
        values.sorted { $0.key.word < $1.key.word }.map { (key: $0.key, value: $0.value) }
    }

    @discardableResult
    public mutating func removeValue(forKey key: OptionKey) -> OptionValue? { values.removeValue(forKey: key) }

    /// `--count 2 --name web`, in word order: for test failures and debugging, never parsed back.
    public var description: String {
        sorted.map { $0.value == .flag ? "\($0.key)" : "\($0.key) \($0.value.text)" }.joined(separator: " ")
    }
}

/// Reading a request's options. Each read asserts that this kind and action declare the key: reading
/// one they do not is a mistake in the backend, caught by the tests (debug builds assert).
extension ActionRequest {
    private func declared(_ key: OptionKey) -> OptionValue? {
        assert(ActionSchema.declares(key, for: kind, action), "\(kind.rawValue) \(action.word) reads \(key), which its schema does not declare")
        return options[key]
    }

    /// The value as the user would type it (`OptionValue.text`), nil when absent.
    public subscript(key: OptionKey) -> String? { declared(key)?.text }

    /// The typed value, nil when absent.
    public func value(_ key: OptionKey) -> OptionValue? { declared(key) }

    /// A whole number (`--count`, `--size`, `--ram`), nil when absent.
    public func integer(_ key: OptionKey) -> Int? {
        if case .integer(let number)? = declared(key) { return number }
        return nil
    }

    /// Whether a switch (`--force`) was given.
    public func flag(_ key: OptionKey) -> Bool { declared(key) == .flag }

    /// A list's items (`--networks a,b`), nil when absent, empty when given empty.
    public func list(_ key: OptionKey) -> [String]? {
        if case .list(let items)? = declared(key) { return items }
        return nil
    }

    /// A port or range (`--port 8000-8080`), nil when absent.
    public func portRange(_ key: OptionKey) -> ClosedRange<Int>? {
        if case .ports(let range)? = declared(key) { return range }
        return nil
    }

    /// tcp, udp or icmp; nil when absent or any, which mean the same.
    public func ipProtocol(_ key: OptionKey) -> String? {
        if case .ipProtocol(let word)? = declared(key) { return word }
        return nil
    }

    /// A checked address range (`--cidr`, `--remote-ip`), nil when absent.
    public func cidr(_ key: OptionKey) -> String? {
        if case .cidr(let text)? = declared(key) { return text }
        return nil
    }

    /// START-END (`--dhcp`), nil when absent.
    public func addressRange(_ key: OptionKey) -> (start: String, end: String)? {
        if case .addressRange(let start, let end)? = declared(key) { return (start, end) }
        return nil
    }
}

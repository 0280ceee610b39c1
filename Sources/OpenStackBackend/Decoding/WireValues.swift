import StacktopModel

/// Small wire types for fields whose JSON type differs between services, releases and microversions.

/// An id written as a number (Nova hypervisors before 2.53) or a string (everything else).
struct FlexibleID: Decodable {
    var value: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) { value = String(int) } else {
            value = try container.decode(String.self)
        }
    }
}

/// A flag written as JSON true/false or as "true"/"false" (Cinder's `bootable`, Neutron's `pvlan`).
struct FlexibleBool: Decodable {
    var value: Bool
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let bool = try? container.decode(Bool.self) { value = bool } else {
            let text = try container.decode(String.self).lowercased()
            value = ["true", "1", "yes", "on"].contains(text)
        }
    }
}

/// A number that some releases send as a string or as an empty string (Nova flavor `swap: ""`).
/// Absurd values (1e300, 2^63-1, NaN as a string) read as unknown, never as a trap later on.
struct FlexibleInt: Decodable {
    var value: Int?
    /// What was sent when it was a number outside `WireNumber.range`, to name it in a sentence.
    var absurd: String?
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let int = try? container.decode(Int.self) {
            value = WireNumber.sane(int)
            if value == nil { absurd = String(int) }
        } else if let double = try? container.decode(Double.self) {
            value = WireNumber.sane(double)
            if value == nil { absurd = "\(double)" }
        } else {
            let text = try container.decode(String.self)
            value = Int(text).flatMap(WireNumber.sane)
            if value == nil, Int(text) != nil || Double(text) != nil { absurd = text }
        }
    }
}

/// The range a count or size from an API may take: -1 (OpenStack's "unlimited") up to 2^53, far beyond
/// any real cloud (a petabyte in bytes is 2^50) and small enough that sums, differences and products by
/// 1024 of two such numbers cannot overflow. Anything else is not a number stacktop shows.
enum WireNumber {
    static let range = -1...(1 << 53)

    static func sane(_ value: Int) -> Int? { range.contains(value) ? value : nil }

    static func sane(_ value: Double) -> Int? {
        guard value.isFinite, let whole = Int(exactly: value.rounded(.towardZero)) else { return nil }
        return sane(whole)
    }
}

/// One entry of a quota set: a bare limit, or `{in_use|used, limit, reserved}` when usage was asked for.
/// Other entries (the set's `id`) decode as `.other` and are skipped.
enum WireQuotaValue: Decodable {
    case limit(Int)
    case usage(used: Int, limit: Int)
    /// A number no quota can have (1e300, 2^63-1, used -2^63), as sent, to name in a sentence.
    case absurd(String)
    case other

    private struct Detail: Decodable {
        var in_use: Double?
        var used: Double?
        var limit: Double
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            self = WireNumber.sane(int).map(Self.limit) ?? .absurd(String(int))
        } else if let number = try? container.decode(Double.self) {
            self = WireNumber.sane(number).map(Self.limit) ?? .absurd("\(number)")
        } else if let detail = try? container.decode(Detail.self) {
            let used = detail.in_use ?? detail.used ?? 0
            guard let limit = WireNumber.sane(detail.limit) else { self = .absurd("limit \(detail.limit)"); return }
            guard let inUse = WireNumber.sane(used), inUse >= 0 else { self = .absurd("in use \(used)"); return }
            self = .usage(used: inUse, limit: limit)
        } else { self = .other }
    }

    var usedAndLimit: (used: Int, limit: Int)? {
        switch self {
        case let .limit(limit): (0, limit)
        case let .usage(used, limit): (used, limit)
        case .absurd, .other: nil
        }
    }
}

enum QuotaMapping {
    /// Maps a service's quota keys onto stacktop's resources, in the model's order. A quota with a number
    /// no cloud can have is the service's error: a sentence naming the key, never a trap or a silent gap.
    static func usages(_ set: [String: WireQuotaValue], keys: [QuotaResource: String], service: String, path: String,
                       container: String) throws(DecodingFailure) -> [QuotaUsage] {
        var usages: [QuotaUsage] = []
        for resource in QuotaResource.allCases {
            guard let key = keys[resource], let value = set[key] else { continue }
            if case .absurd(let shown) = value {
                throw DecodingFailure(service: service, path: path, key: "\(container).\(key)",
                                      reason: "\(shown) is not a number this quota can have")
            }
            guard let pair = value.usedAndLimit else { continue }
            usages.append(QuotaUsage(resource: resource, used: pair.used, limit: pair.limit))
        }
        return usages
    }
}

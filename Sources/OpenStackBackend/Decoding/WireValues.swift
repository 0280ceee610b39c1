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
struct FlexibleInt: Decodable {
    var value: Int?
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { value = nil } else if let int = try? container.decode(Int.self) { value = int }
        else if let double = try? container.decode(Double.self) { value = Int(double) }
        else { value = Int(try container.decode(String.self)) }
    }
}

/// One entry of a quota set: a bare limit, or `{in_use|used, limit, reserved}` when usage was asked for.
/// Other entries (the set's `id`) decode as `.other` and are skipped.
enum WireQuotaValue: Decodable {
    case limit(Int)
    case usage(used: Int, limit: Int)
    case other

    private struct Detail: Decodable {
        var in_use: Int?
        var used: Int?
        var limit: Int
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) { self = .limit(int) }
        else if let detail = try? container.decode(Detail.self) {
            self = .usage(used: detail.in_use ?? detail.used ?? 0, limit: detail.limit)
        } else { self = .other }
    }

    var usedAndLimit: (used: Int, limit: Int)? {
        switch self {
        case let .limit(limit): (0, limit)
        case let .usage(used, limit): (used, limit)
        case .other: nil
        }
    }
}

enum QuotaMapping {
    /// Maps a service's quota keys onto stacktop's resources, in the model's order.
    static func usages(_ set: [String: WireQuotaValue], keys: [QuotaResource: String]) -> [QuotaUsage] {
        QuotaResource.allCases.compactMap { resource in
            guard let key = keys[resource], let pair = set[key]?.usedAndLimit else { return nil }
            return QuotaUsage(resource: resource, used: pair.used, limit: pair.limit)
        }
    }
}

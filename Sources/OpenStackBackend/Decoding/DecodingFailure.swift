#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import StacktopServices

/// A response body that did not have the shape stacktop expects. It names the service, the request path and
/// the key, so a report from the field says which API changed or which proxy mangled a reply.
public struct DecodingFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public var service: String
    public var path: String
    /// Dotted key path inside the body ("servers[0].status"); empty when the body is not JSON at all.
    public var key: String
    public var reason: String

    public init(service: String, path: String, key: String, reason: String) {
        self.service = service; self.path = path; self.key = key; self.reason = reason
    }

    public var description: String {
        let place = key.isEmpty ? "" : " at \"\(key)\""
        // Keys and reasons quote the reply (an unknown direction, a key with an ESC in it): shown, not obeyed.
        return ErrorText.visible("Could not read the \(service) reply to \(path)\(place): \(reason); check that the "
            + "endpoint in the catalog is the \(service) API and report the reply if it is.")
    }
}

/// One page of a list and the link to the next one, when the service says there is more.
public struct OpenStackPage<Item> {
    public var items: [Item]
    /// Absolute URL for Nova, Cinder, Neutron and Keystone; a path ("/v2/images?marker=...") for Glance,
    /// which the caller resolves against the endpoint.
    public var next: String?

    public init(items: [Item], next: String? = nil) { self.items = items; self.next = next }
}

extension OpenStackPage: Sendable where Item: Sendable {}
extension OpenStackPage: Equatable where Item: Equatable {}

extension OpenStackPage {
    /// The same page, each item made into another.
    func map<Other, Failure: Error>(_ transform: (Item) throws(Failure) -> Other) throws(Failure) -> OpenStackPage<Other> {
        OpenStackPage<Other>(items: try items.map(transform), next: next)
    }
}

/// `links` entries as Nova, Cinder and Neutron write them.
struct WireLink: Decodable {
    var href: String
    var rel: String?
}

extension Array where Element == WireLink {
    var next: String? { first { $0.rel == "next" }?.href }
}

/// A list as Nova, Cinder and Neutron answer it: `{"KEY": [...], "KEY_links": [...]}`, the links only when there
/// is more. KEY comes in the decoder's user info (`WireDecoder.page`).
private struct WireList<Item: Decodable>: Decodable {
    var items: [Item]
    var next: String?

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        let key = decoder.userInfo[WireDecoder.listKey] as? String ?? ""
        let container = try decoder.container(keyedBy: Key.self)
        items = try container.decode([Item].self, forKey: Key(stringValue: key))
        next = try container.decodeIfPresent([WireLink].self, forKey: Key(stringValue: key + "_links"))?.next
    }
}

/// The one JSONDecoder entry point: turns Foundation's DecodingError into a `DecodingFailure`.
enum WireDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, service: String, path: String,
                                     userInfo: [CodingUserInfoKey: String] = [:]) throws(DecodingFailure) -> T {
        let decoder = JSONDecoder()
        for (key, value) in userInfo { decoder.userInfo[key] = value }
        do {
            return try decoder.decode(type, from: data)
        } catch let error as DecodingError {
            throw failure(error, service: service, path: path)
        } catch {
            throw DecodingFailure(service: service, path: path, key: "", reason: "\(error)")
        }
    }

    static let listKey = CodingUserInfoKey(rawValue: "stacktop.list-key")!

    /// One page of the list under `key`, with the link to the next page when there is one.
    static func page<Item: Decodable>(_ item: Item.Type, key: String, from data: Data, service: String,
                                      path: String) throws(DecodingFailure) -> OpenStackPage<Item> {
        let list = try decode(WireList<Item>.self, from: data, service: service, path: path, userInfo: [listKey: key])
        return OpenStackPage(items: list.items, next: list.next)
    }

    private static func failure(_ error: DecodingError, service: String, path: String) -> DecodingFailure {
        switch error {
        case let .keyNotFound(key, context):
            return DecodingFailure(service: service, path: path, key: keyPath(context.codingPath + [key]),
                                   reason: "the key \"\(key.stringValue)\" is missing")
        case let .typeMismatch(type, context):
            return DecodingFailure(service: service, path: path, key: keyPath(context.codingPath),
                                   reason: "expected \(describe(type)) but found something else")
        case let .valueNotFound(type, context):
            return DecodingFailure(service: service, path: path, key: keyPath(context.codingPath),
                                   reason: "expected \(describe(type)) but found null")
        case let .dataCorrupted(context):
            let reason = context.codingPath.isEmpty ? "the body is not valid JSON" : context.debugDescription
            return DecodingFailure(service: service, path: path, key: keyPath(context.codingPath), reason: reason)
        @unknown default:
            return DecodingFailure(service: service, path: path, key: "", reason: "\(error)")
        }
    }

    static func keyPath(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue { text += "[\(index)]" } else {
                text += (text.isEmpty ? "" : ".") + key.stringValue
            }
        }
        return text
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type, is Double.Type: "a number"
        case is Bool.Type: "true or false"
        default: "\(type)".contains("Array") ? "a list" : "an object"
        }
    }
}

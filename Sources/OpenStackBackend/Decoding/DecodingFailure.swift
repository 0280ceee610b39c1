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

/// `links` entries as Nova, Cinder and Neutron write them.
struct WireLink: Decodable {
    var href: String
    var rel: String?
}

extension Array where Element == WireLink {
    var next: String? { first { $0.rel == "next" }?.href }
}

/// The one JSONDecoder entry point: turns Foundation's DecodingError into a `DecodingFailure`.
enum WireDecoder {
    static func decode<T: Decodable>(_ type: T.Type, from data: Data, service: String,
                                     path: String) throws(DecodingFailure) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw failure(error, service: service, path: path)
        } catch {
            throw DecodingFailure(service: service, path: path, key: "", reason: "\(error)")
        }
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

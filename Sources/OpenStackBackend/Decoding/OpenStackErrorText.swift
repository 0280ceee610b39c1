#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns an error reply from any OpenStack service into one sentence: what the service said, the HTTP status,
/// and what to do. Knows these bodies:
/// - Nova and Cinder: `{"itemNotFound": {"message": ..., "code": 404}}` (any fault name as the key)
/// - Neutron: `{"NeutronError": {"type": ..., "message": ..., "detail": ...}}`
/// - Keystone: `{"error": {"code": ..., "title": ..., "message": ...}}`
/// - Placement and newer services: `{"errors": [{"title": ..., "detail": ...}]}`
/// - Glance and proxies: `{"title": ..., "description": ...}`, plain text, or an HTML page
public enum OpenStackErrorText {
    public static func sentence(status: Int, body: Data) -> String {
        let said = message(in: body, status: status).map(trimmed)
        var text = said.flatMap { $0.isEmpty ? nil : $0 } ?? "The cloud answered with an error"
        text += " (HTTP \(status)\(reasonPhrase(status).map { " " + $0 } ?? ""))"
        return text + "; " + advice(status) + "."
    }

    /// The service's own words, or nil when the body says nothing useful.
    static func message(in body: Data, status: Int) -> String? {
        if let json = try? JSONDecoder().decode(JSONValue.self, from: body) { return message(in: json) }
        guard let text = String(data: body, encoding: .utf8) else { return nil }
        let plain = collapse(stripTags(text))
        return dropStatusLine(plain, status: status)
    }

    private static func message(in json: JSONValue) -> String? {
        guard case let .object(top) = json else {
            if case let .string(text) = json { return text }
            return nil
        }
        if case let .array(errors)? = top["errors"], case let .object(first)? = errors.first {
            return join(first["title"]?.string, first["detail"]?.string)
        }
        if let text = top["message"]?.string { return text }
        if top["title"] != nil || top["description"] != nil {
            return join(top["title"]?.string, top["description"]?.string)
        }
        // Nova, Cinder, Neutron and Keystone all wrap the fault in one object under a single key.
        for key in top.keys.sorted() {
            guard case let .object(fault)? = top[key] else { continue }
            if let text = fault["message"]?.string {
                let detail = fault["detail"]?.string ?? ""
                return detail.isEmpty || text.contains(detail) ? text : join(text, detail)
            }
            if let text = fault["description"]?.string { return join(fault["title"]?.string, text) }
        }
        return nil
    }

    private static func join(_ first: String?, _ second: String?) -> String? {
        let parts = [first, second].compactMap { $0.map(trimmed) }.filter { !$0.isEmpty }
        return parts.isEmpty ? nil : parts.joined(separator: ": ")
    }

    private static func trimmed(_ text: String) -> String {
        var result = collapse(text)
        while let last = result.last, last == "." || last == " " { result.removeLast() }
        return result
    }

    private static func collapse(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }).joined(separator: " ")
    }

    /// Removes tags, and the `<title>` whose text repeats the status line.
    private static func stripTags(_ html: String) -> String {
        var result = ""
        var tag = ""
        var inTag = false
        var skipping = false
        for character in html {
            if character == "<" {
                inTag = true
                tag = ""
            } else if inTag, character == ">" {
                inTag = false
                let name = tag.lowercased().split(separator: " ").first.map(String.init) ?? ""
                if name == "title" { skipping = true } else if name == "/title" { skipping = false }
                result.append(" ")
            } else if inTag {
                tag.append(character)
            } else if !skipping {
                result.append(character)
            }
        }
        return result
    }

    /// "404 Not Found The resource could not be found." -> "The resource could not be found."
    private static func dropStatusLine(_ text: String, status: Int) -> String? {
        var result = text
        let line = "\(status) " + (reasonPhrase(status) ?? "")
        if result.hasPrefix(line) { result = collapse(String(result.dropFirst(line.count))) }
        return result.isEmpty ? nil : result
    }

    static func reasonPhrase(_ status: Int) -> String? {
        switch status {
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 409: "Conflict"
        case 413: "Request Entity Too Large"
        case 415: "Unsupported Media Type"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: nil
        }
    }

    private static func advice(_ status: Int) -> String {
        switch status {
        case 400: "check the values you entered and try again"
        case 401: "sign in again or check the credentials in clouds.yaml"
        case 403: "ask a cloud administrator for a role that allows this"
        case 404: "refresh the list, the resource may have been deleted"
        case 405, 406, 415, 501: "this cloud does not support the request; check its API version"
        case 409: "wait for the resource's current task to finish, refresh and try again"
        case 413, 429: "wait a moment or free some quota, then try again"
        case 500...599: "the service had a problem; try again later or ask the cloud operator"
        default: "try again, and report it if it keeps happening"
        }
    }
}

/// Any JSON value, for error bodies whose shape is known only after looking.
enum JSONValue: Decodable {
    case object([String: JSONValue]), array([JSONValue]), string(String), number(Double), bool(Bool), null

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let bool = try? container.decode(Bool.self) { self = .bool(bool) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let string = try? container.decode(String.self) { self = .string(string) }
        else if let array = try? container.decode([JSONValue].self) { self = .array(array) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    var string: String? {
        if case let .string(text) = self { return text }
        return nil
    }
}

import Foundation

/// A readable reason from an OpenStack error body. Services wrap the message differently
/// (`{"error": {"message"}}`, `{"itemNotFound": {"message"}}`, `{"NeutronError": {"message"}}`,
/// Glance's plain text), so this looks for a "message" one or two levels down and falls back to text.
enum RemoteErrorReason {
    static func from(_ response: HTTPResponse) -> String {
        if let object = try? JSONSerialization.jsonObject(with: response.body) as? [String: Any] {
            if let message = message(in: object) { return clean(message) }
        }
        if let text = String(data: response.body, encoding: .utf8), !text.isEmpty,
           !text.hasPrefix("{"), !text.lowercased().contains("<html") {
            return clean(text)
        }
        return HTTPURLResponseStatusText.text(for: response.status)
    }

    private static func message(in object: [String: Any]) -> String? {
        for key in ["message", "faultstring", "detail", "title"] {
            if let text = object[key] as? String, !text.isEmpty { return text }
        }
        for value in object.values {
            if let nested = value as? [String: Any], let text = message(in: nested) { return text }
        }
        return nil
    }

    /// One line, no trailing period (BackendError adds it), at most 300 characters.
    private static func clean(_ text: String) -> String {
        var line = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }.joined(separator: " ")
        while line.hasSuffix(".") { line.removeLast() }
        return line.count > 300 ? String(line.prefix(300)) + "…" : line
    }
}

enum HTTPURLResponseStatusText {
    static func text(for status: Int) -> String {
        switch status {
        case 400: "the request was malformed"
        case 401: "authentication is required"
        case 403: "the request is forbidden by policy"
        case 404: "the resource was not found"
        case 409: "the request conflicts with the resource's current state"
        case 413: "the request is too large or over a limit"
        case 500...599: "the service had an internal error"
        default: "the service answered with status \(status)"
        }
    }
}

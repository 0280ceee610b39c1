import Foundation

public enum HTTPMethod: String, Sendable, CaseIterable {
    case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", head = "HEAD"
}

/// Header names whose values are credentials; descriptions print them as redacted.
let sensitiveHeaderNames: Set<String> = ["x-auth-token", "x-subject-token", "authorization"]

/// One request as the transport sends it.
public struct HTTPRequest: Sendable, CustomStringConvertible, CustomReflectable {
    public var method: HTTPMethod
    public var url: URL
    public var headers: [String: String]
    public var body: Data?
    /// Seconds before the request is abandoned.
    public var timeout: TimeInterval
    /// Told the bytes of the body sent so far, as the transport sends them (image uploads).
    public var uploadProgress: (@Sendable (Int64) -> Void)?

    public init(method: HTTPMethod, url: URL, headers: [String: String] = [:], body: Data? = nil,
                timeout: TimeInterval = 30, uploadProgress: (@Sendable (Int64) -> Void)? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.uploadProgress = uploadProgress
    }

    public func header(_ name: String) -> String? { headers.value(forCaseInsensitiveKey: name) }

    /// Never shows header values that are credentials, nor the body (an auth body holds the password).
    public var description: String {
        "\(method.rawValue) \(url.absoluteString) headers: \(redactedHeaderText(headers))"
            + (body.map { " body: \($0.count) bytes" } ?? "")
    }

    /// `dump` would otherwise print the headers and body raw.
    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}

/// One response: status, headers and the whole body.
public struct HTTPResponse: Sendable, CustomStringConvertible, CustomReflectable {
    public var status: Int
    public var headers: [String: String]
    public var body: Data

    public init(status: Int, headers: [String: String] = [:], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.value(forCaseInsensitiveKey: name) }

    /// The id the cloud logs this request under (Nova also answers with its older header name).
    public var requestID: String? { header("x-openstack-request-id") ?? header("x-compute-request-id") }

    /// `requestID` as the list an `ActionOutcome` carries: empty when the cloud named none.
    var requestIDs: [String] { requestID.map { [$0] } ?? [] }

    public var isSuccess: Bool { (200..<300).contains(status) }

    public var description: String {
        "HTTP \(status) headers: \(redactedHeaderText(headers)) body: \(body.count) bytes"
    }

    public var customMirror: Mirror { Mirror(self, children: ["summary": description]) }
}

extension Dictionary where Key == String, Value == String {
    func value(forCaseInsensitiveKey name: String) -> String? {
        if let exact = self[name] { return exact }
        let lower = name.lowercased()
        return first { $0.key.lowercased() == lower }?.value
    }
}

func redactedHeaderText(_ headers: [String: String]) -> String {
    let parts = headers.keys.sorted().map { name in
        sensitiveHeaderNames.contains(name.lowercased()) ? "\(name): <redacted>" : "\(name): \(headers[name] ?? "")"
    }
    return "[" + parts.joined(separator: ", ") + "]"
}

import Foundation
import StacktopServices

/// An authenticated session with one cloud: gets a project-scoped token, finds service endpoints in
/// its catalog, and sends service requests with the token, renewing it before it expires and once
/// when a service answers 401.
public actor KeystoneSession {
    public nonisolated let credentials: KeystoneCredentials
    private let transport: any HTTPTransport
    private let clock: @Sendable () -> Date
    /// Renew when less than this many seconds of the token's life remain.
    public nonisolated let renewalMargin: TimeInterval

    private var token: KeystoneToken?
    /// The authentication in flight, so concurrent requests wait for one token instead of each getting one.
    private var pendingAuth: Task<KeystoneToken, any Error>?
    public private(set) var authenticationCount = 0
    /// Where the last token is kept between runs (nil: nowhere).
    private let tokenCache: TokenCache?
    private var triedCache = false

    public init(credentials: KeystoneCredentials, transport: any HTTPTransport,
                clock: @escaping @Sendable () -> Date = { Date() }, renewalMargin: TimeInterval = 300,
                tokenCache: TokenCache? = nil) {
        self.credentials = credentials
        self.transport = transport
        self.clock = clock
        self.renewalMargin = renewalMargin
        self.tokenCache = tokenCache
    }

    /// A session over URLSession with the credentials' TLS settings.
    public init(credentials: KeystoneCredentials) {
        self.init(credentials: credentials,
                  transport: URLSessionTransport(verifyTLS: credentials.verifyTLS, caCertPath: credentials.caCertPath))
    }

    // MARK: Tokens

    /// A token with more than `renewalMargin` left, authenticating first when needed.
    public func validToken() async throws -> KeystoneToken {
        if token == nil, !triedCache {
            triedCache = true
            token = cachedToken()
        }
        if let token, token.expiresAt.timeIntervalSince(clock()) > renewalMargin { return token }
        return try await authenticate()
    }

    /// The token a previous run kept, if it still has more than the renewal margin to live.
    private func cachedToken() -> KeystoneToken? {
        guard let cached = tokenCache?.load(for: credentials),
              let token = try? KeystoneToken(value: Secret(cached.subject), body: cached.body),
              token.expiresAt.timeIntervalSince(clock()) > renewalMargin else { return nil }
        return token
    }

    /// Gets a new token now, whatever the state of the current one.
    @discardableResult
    public func authenticate() async throws -> KeystoneToken {
        if let pendingAuth { return try await pendingAuth.value }
        let task = Task { [credentials, transport, tokenCache] in
            let (token, body) = try await Self.requestToken(credentials: credentials, transport: transport)
            tokenCache?.save(subject: token.value.exposedValue, body: body, for: credentials)
            return token
        }
        pendingAuth = task
        defer { pendingAuth = nil }
        let newToken = try await task.value
        token = newToken
        authenticationCount += 1
        return newToken
    }

    private static func requestToken(credentials: KeystoneCredentials,
                                     transport: any HTTPTransport) async throws -> (KeystoneToken, Data) {
        let url = credentials.identityV3URL.appendingPathComponent("auth/tokens")
        let request = HTTPRequest(method: .post, url: url,
                                  headers: ["Content-Type": "application/json", "Accept": "application/json"],
                                  body: try KeystoneAuthRequest.body(for: credentials), timeout: credentials.timeout)
        let response = try await transport.send(request)
        switch response.status {
        case 200..<300:
            guard let subject = response.header("X-Subject-Token"), !subject.isEmpty else {
                throw BackendError.failed(what: "Authenticating with Keystone at \(endpointText(credentials.authURL))",
                                          reason: "the answer had no X-Subject-Token header; check that OS_AUTH_URL points at Keystone")
            }
            do {
                return (try KeystoneToken(value: Secret(subject), body: response.body), response.body)
            } catch {
                throw BackendError.failed(what: "Reading the token from \(endpointText(credentials.authURL))",
                                          reason: "the answer was not a Keystone v3 token; check that OS_AUTH_URL points at Keystone")
            }
        case 401:
            throw BackendError.credentialsRefused(reason: refusalSentence(credentials))
        case 404 where credentials.isApplicationCredential:
            // Keystone answers an unknown (or deleted) application credential with 404, not 401.
            throw BackendError.credentialsRefused(reason: refusalSentence(credentials, unknownCredential: true))
        default:
            throw BackendError.remote(what: "Authenticating \(credentials.principal) with Keystone at "
                                        + endpointText(credentials.identityV3URL),
                                      status: response.status, reason: RemoteErrorReason.from(response),
                                      requestID: response.requestID)
        }
    }

    static func refusalSentence(_ credentials: KeystoneCredentials, unknownCredential: Bool = false) -> String {
        let check: String
        switch credentials.method {
        case .password: check = "check OS_PASSWORD / the application credential"
        case .applicationCredential where unknownCredential:
            check = "it does not exist (wrong id or name, or deleted); check the application credential"
        case .applicationCredential: check = "check the application credential id and secret / OS_PASSWORD"
        case .token: check = "get a new token or use OS_PASSWORD / the application credential"
        }
        let scope = credentials.isApplicationCredential ? "" : credentials.project.map { " (project \($0))" } ?? ""
        return "Keystone refused the credentials for \(credentials.principal)\(scope) on "
            + "\(endpointText(credentials.identityV3URL)): \(check)."
    }

    // MARK: Endpoints

    /// The catalog URL of `service` for the configured interface and region.
    public func endpoint(for service: ServiceType) async throws -> URL {
        try await validToken().catalog.endpoint(for: service, interface: credentials.interface,
                                                region: credentials.region)
    }

    /// Where request paths are appended: the catalog URL, plus `/v3` for identity because clouds
    /// often list Keystone unversioned.
    func baseURL(for service: ServiceType) async throws -> URL {
        let url = try await endpoint(for: service)
        return service == .identity ? KeystoneCredentials.versioned(url) : url
    }

    // MARK: Requests

    /// Sends a request to `service` with the token. `path` is relative to the service's endpoint.
    /// Throws `BackendError.remote` for 4xx/5xx answers (3xx are returned) and `.unreachable` when
    /// the service cannot be reached. `what` names the operation in error messages.
    public func send(service: ServiceType, method: HTTPMethod = .get, path: String, query: [URLQueryItem] = [],
                     body: Data? = nil, headers: [String: String] = [:], what: String? = nil) async throws -> HTTPResponse {
        let base = try await baseURL(for: service)
        let url = try Self.join(base, path: path, query: query)
        let description = what ?? "\(method.rawValue) \(service.rawValue) \(path)"
        return try await sendAuthorized(HTTPRequest(method: method, url: url, headers: headers, body: body,
                                                    timeout: credentials.timeout), what: description)
    }

    /// Sends to an absolute URL with the token (version documents, pagination `next` links).
    public func send(url: URL, method: HTTPMethod = .get, headers: [String: String] = [:],
                     what: String) async throws -> HTTPResponse {
        try await sendAuthorized(HTTPRequest(method: method, url: url, headers: headers, timeout: credentials.timeout),
                                 what: what)
    }

    private func sendAuthorized(_ request: HTTPRequest, what: String) async throws -> HTTPResponse {
        var request = request
        if request.body != nil && request.header("Content-Type") == nil {
            request.headers["Content-Type"] = "application/json"
        }
        if request.header("Accept") == nil { request.headers["Accept"] = "application/json" }
        var token = try await validToken()
        request.headers["X-Auth-Token"] = token.value.exposedValue
        var response = try await transport.send(request)
        if response.status == 401 {
            // The token may have been revoked or Keystone restarted with new keys: one fresh token, one retry.
            token = try await authenticate()
            request.headers["X-Auth-Token"] = token.value.exposedValue
            response = try await transport.send(request)
        }
        guard response.status < 400 else {
            throw BackendError.remote(what: what, status: response.status, reason: RemoteErrorReason.from(response),
                                      requestID: response.requestID)
        }
        return response
    }

    static func join(_ base: URL, path: String, query: [URLQueryItem]) throws -> URL {
        var text = base.absoluteString
        while text.hasSuffix("/") { text.removeLast() }
        let trimmed = path.drop { $0 == "/" }
        if !trimmed.isEmpty { text += "/" + trimmed }
        guard var components = URLComponents(string: text) else {
            throw BackendError.failed(what: "Building the URL \(text)", reason: "it is not a valid URL")
        }
        if !query.isEmpty { components.queryItems = (components.queryItems ?? []) + query }
        guard let url = components.url else {
            throw BackendError.failed(what: "Building the URL \(text)", reason: "it is not a valid URL")
        }
        return url
    }
}

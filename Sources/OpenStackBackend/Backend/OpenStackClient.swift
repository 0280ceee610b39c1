import Foundation
import StacktopServices

/// Sends service requests with the session's token and turns error answers into sentences.
/// It talks to the transport itself (rather than through `KeystoneSession.send`) because a 429 or
/// 413 must be read with its `Retry-After` header before it becomes an error.
struct OpenStackClient: Sendable {
    let session: KeystoneSession
    let transport: any HTTPTransport
    /// Retry-After values up to this many seconds are waited out once; longer ones are reported.
    var maxRetryWait: TimeInterval = 10
    var sleep: @Sendable (TimeInterval) async throws -> Void = { try await Task.sleep(for: .seconds($0)) }
    let renewal = TokenRenewal()

    func send(_ service: ServiceType, _ path: String, method: HTTPMethod = .get, query: [URLQueryItem] = [],
              body: Data? = nil, headers: [String: String] = [:], what: String) async throws -> HTTPResponse {
        let base = try await session.baseURL(for: service)
        let url = try KeystoneSession.join(base, path: path, query: query)
        return try await send(url: url, method: method, body: body, headers: headers, what: what)
    }

    func send(url: URL, method: HTTPMethod = .get, body: Data? = nil, headers: [String: String] = [:],
              what: String) async throws -> HTTPResponse {
        var request = HTTPRequest(method: method, url: url, headers: headers, body: body,
                                  timeout: session.credentials.timeout)
        if body != nil && request.header("Content-Type") == nil { request.headers["Content-Type"] = "application/json" }
        if request.header("Accept") == nil { request.headers["Accept"] = "application/json" }
        var (response, used) = try await authorized(request)
        if response.status == 401 {
            // Revoked, or Keystone rotated its keys: one fresh token, one retry (as KeystoneSession does).
            try await renewal.renew(replacing: used, in: session)
            (response, used) = try await authorized(request)
        }
        // Only a rate limit is worth waiting for; Cinder sends Retry-After with over-quota 413s too.
        if [413, 429].contains(response.status), !RemoteFailure.isQuota(response), let wait = Self.retryAfter(response),
           wait <= maxRetryWait {
            try await sleep(max(wait, 0))
            (response, used) = try await authorized(request)
        }
        guard response.status < 400 else { throw RemoteFailure.error(what: what, response: response) }
        return response
    }

    private func authorized(_ request: HTTPRequest) async throws -> (HTTPResponse, Secret) {
        var request = request
        let token = try await session.validToken().value
        request.headers["X-Auth-Token"] = token.exposedValue
        return (try await transport.send(request), token)
    }

    /// Seconds to wait: `Retry-After` as seconds or as an HTTP date.
    static func retryAfter(_ response: HTTPResponse, now: Date = Date()) -> TimeInterval? {
        guard let text = response.header("Retry-After")?.trimmingCharacters(in: .whitespaces) else { return nil }
        // "nan", "inf" or 1e300 seconds is no wait at all: nil, never a trap where it becomes an Int
        // (RemoteFailure rounds it for the sentence; found by the fuzz suite).
        if let seconds = Double(text) { return seconds.isFinite && seconds >= 0 && seconds <= 86_400 ? seconds : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text).map { $0.timeIntervalSince(now) }
    }
}

/// Parallel reads that all meet the same revoked token share one new token instead of each getting one.
actor TokenRenewal {
    private var inFlight: (old: Secret, task: Task<Void, any Error>)?

    func renew(replacing used: Secret, in session: KeystoneSession) async throws {
        // No suspension before `inFlight` is set, so every caller holding `used` joins the same task.
        if let inFlight, inFlight.old == used { return try await inFlight.task.value }
        let task = Task {
            if try await session.validToken().value == used { try await session.authenticate() }
        }
        inFlight = (used, task)
        try await task.value
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import StacktopServices
import Synchronization

/// The real transport: one URLSession per cloud, requests with their own timeout.
public final class URLSessionTransport: HTTPTransport {
    /// Whether the TLS settings can be honoured on this platform (see `TLSTrustDelegate`).
    public static let supportsCustomTLSTrust = TLSTrustDelegate.supportsCustomTrust

    private let session: URLSession
    private let delegate: TLSTrustDelegate
    public let verifyTLS: Bool

    /// - Parameters:
    ///   - verifyTLS: false accepts any server certificate (clouds.yaml `verify: false`).
    ///   - caCertPath: a PEM bundle to trust in addition to the system store (clouds.yaml `cacert`).
    public init(verifyTLS: Bool = true, caCertPath: String? = nil) {
        self.verifyTLS = verifyTLS
        let configuration = URLSessionConfiguration.ephemeral
        // swift-corelibs-foundation ignores URLRequest.timeoutInterval and mishandles sub-second session
        // timeouts (0.5 s fired at once), so `send` enforces each request's timeout itself; this is only a backstop.
        configuration.timeoutIntervalForRequest = 600
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        delegate = TLSTrustDelegate(verifyTLS: verifyTLS, caCertPath: caCertPath)
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        var urlRequest = URLRequest(url: request.url, cachePolicy: .reloadIgnoringLocalCacheData,
                                    timeoutInterval: request.timeout)
        urlRequest.httpMethod = request.method.rawValue
        for (name, value) in request.headers { urlRequest.setValue(value, forHTTPHeaderField: name) }
        urlRequest.httpBody = request.body
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await self.data(for: urlRequest, timeout: request.timeout,
                                                   uploadProgress: request.uploadProgress)
        } catch {
            // The caller gave up; that is not the cloud's fault.
            if Task.isCancelled { throw CancellationError() }
            throw BackendError.unreachable(endpoint: endpointText(request.url),
                                           reason: Self.readableReason(error, verifyTLS: verifyTLS))
        }
        guard let http = response as? HTTPURLResponse else {
            throw BackendError.unreachable(endpoint: endpointText(request.url), reason: "the answer was not HTTP")
        }
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields {
            if let key = key as? String, let value = value as? String { headers[key] = value }
        }
        return HTTPResponse(status: http.statusCode, headers: headers, body: data)
    }

    private func data(for request: URLRequest, timeout: TimeInterval,
                      uploadProgress: (@Sendable (Int64) -> Void)?) async throws -> (Data, URLResponse) {
        return try await withThrowingTaskGroup(of: (Data, URLResponse)?.self) { group in
            group.addTask { [session, delegate] in
                guard let uploadProgress, let body = request.httpBody else { return try await session.data(for: request) }
                return try await Self.upload(body, request: request, session: session, delegate: delegate,
                                             progress: uploadProgress)
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let result = first else { throw URLError(.timedOut) }
            return result
        }
    }

    /// An upload task driven by the session's delegate: libcurl-based URLSession reports the body's
    /// progress only to a delegate, and only for tasks without a completion handler.
    private static func upload(_ body: Data, request: URLRequest, session: URLSession, delegate: TLSTrustDelegate,
                               progress: @escaping @Sendable (Int64) -> Void) async throws -> (Data, URLResponse) {
        var bodiless = request
        bodiless.httpBody = nil
        let task = session.uploadTask(with: bodiless, from: body)
        let identifier = task.taskIdentifier
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                delegate.uploads.begin(identifier, progress: progress, continuation: continuation)
                task.resume()
            }
        } onCancel: {
            task.cancel()
            // Whatever the session does after a cancel, the caller is answered now, and only once.
            delegate.uploads.finish(identifier, response: nil, error: CancellationError())
        }
    }

    static func readableReason(_ error: any Error, verifyTLS: Bool) -> String {
        guard let urlError = error as? URLError else { return "\(error.localizedDescription)" }
        switch urlError.code {
        case .cannotConnectToHost: return "the connection was refused"
        case .timedOut: return "no answer before the timeout"
        case .cannotFindHost, .dnsLookupFailed: return "the host name could not be resolved"
        case .notConnectedToInternet, .networkConnectionLost: return "the network connection was lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
             .serverCertificateHasUnknownRoot, .serverCertificateNotYetValid, .clientCertificateRejected:
            if !verifyTLS && !supportsCustomTLSTrust {
                return "the TLS certificate was not trusted, and on Linux stacktop cannot turn verification off; "
                    + "add the cloud's CA to the system store (update-ca-certificates)"
            }
            return "the TLS certificate was not trusted (set cacert or verify: false in clouds.yaml)"
        default: return urlError.localizedDescription
        }
    }
}

/// The scheme, host and path of a URL, without query, for error messages.
func endpointText(_ url: URL) -> String {
    var components = URLComponents(url: url, resolvingAgainstBaseURL: false)
    components?.query = nil
    components?.user = nil
    components?.password = nil
    return components?.string ?? url.absoluteString
}

import Foundation

/// Sends one HTTP request and returns whatever status the server answered with.
/// Only failures to talk to the server at all throw (as `BackendError.unreachable`); HTTP error
/// statuses are returned so callers can read the body.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws -> HTTPResponse
}

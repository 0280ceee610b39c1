import Foundation
import StacktopServices

/// An in-memory transport for tests: answers each request with the next scripted step, in order,
/// and records every request it saw. A request that does not match its step's method and path
/// fails with `ScriptedTransport.Mismatch`, so a test sees which call went astray.
public actor ScriptedTransport: HTTPTransport {
    public struct Step: Sendable {
        public var method: HTTPMethod
        /// The request's URL path must end with this.
        public var pathSuffix: String
        public var outcome: Result<HTTPResponse, BackendError>

        public init(_ method: HTTPMethod, _ pathSuffix: String, status: Int, headers: [String: String] = [:],
                    body: Data = Data()) {
            self.method = method
            self.pathSuffix = pathSuffix
            outcome = .success(HTTPResponse(status: status, headers: headers, body: body))
        }

        public init(_ method: HTTPMethod, _ pathSuffix: String, failure: BackendError) {
            self.method = method
            self.pathSuffix = pathSuffix
            outcome = .failure(failure)
        }
    }

    public struct Mismatch: Error, CustomStringConvertible {
        public let description: String
    }

    private var steps: [Step]
    public private(set) var requests: [HTTPRequest] = []

    public init(_ steps: [Step] = []) { self.steps = steps }

    public func append(_ step: Step) { steps.append(step) }

    public var remainingSteps: Int { steps.count }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        guard !steps.isEmpty else {
            throw Mismatch(description: "unexpected request \(request.method.rawValue) \(request.url.path): script is empty")
        }
        let step = steps.removeFirst()
        guard step.method == request.method, request.url.path.hasSuffix(step.pathSuffix) else {
            throw Mismatch(description: "expected \(step.method.rawValue) …\(step.pathSuffix), got "
                + "\(request.method.rawValue) \(request.url.path)")
        }
        return try step.outcome.get()
    }
}

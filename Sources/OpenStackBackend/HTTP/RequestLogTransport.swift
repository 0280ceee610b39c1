import Foundation
import Glibc

/// Writes one line per request when it is answered ("GET 127.0.0.1:8774 /v2.1/servers/detail 200 at
/// 1733.402 took 0.350 s": the wall-clock second of the answer, and how long it took) to a file: how
/// `stacktop bench` counts what an idle dashboard asks of a cloud (`STACKTOP_REQUEST_LOG=PATH`). The path
/// and query only: no header, token or body is written.
public struct RequestLogTransport: HTTPTransport {
    public let base: any HTTPTransport
    private let descriptor: Int32

    /// nil when the file cannot be opened (then nothing is counted, and the bench says so).
    public init?(base: any HTTPTransport, path: String) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.base = base
        descriptor = fd
    }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let host = (request.url.host ?? "?") + (request.url.port.map { ":\($0)" } ?? "")
        let started = Date()
        let result: Result<HTTPResponse, any Error>
        do { result = .success(try await base.send(request)) } catch { result = .failure(error) }
        let ended = Date()
        let status = (try? result.get()).map { String($0.status) } ?? "failed"
        let line = "\(request.method.rawValue) \(host) \(request.url.path)\(request.url.query.map { "?" + $0 } ?? "") \(status)"
            + " at " + String(format: "%.3f", ended.timeIntervalSince1970)
            + " took " + String(format: "%.3f", ended.timeIntervalSince(started)) + " s\n"
        // One write(2) with O_APPEND: lines from parallel requests do not interleave.
        _ = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        return try result.get()
    }
}

import Foundation
import Glibc

/// Writes one line per request ("GET 127.0.0.1:8774 /v2.1/servers/detail") to a file, then sends it: how
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
        let line = "\(request.method.rawValue) \(host) \(request.url.path)\(request.url.query.map { "?" + $0 } ?? "")\n"
        // One write(2) with O_APPEND: lines from parallel requests do not interleave.
        _ = line.utf8CString.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count - 1) }
        return try await base.send(request)
    }
}

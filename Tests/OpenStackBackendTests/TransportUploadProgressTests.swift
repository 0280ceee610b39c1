import XCTest
import Foundation
import OpenStackBackend
import SystemTestSupport

/// Upload progress through the real transport (URLSession over libcurl) to a real HTTP server on
/// loopback that reads the body slowly, as a busy Glance would.
final class TransportUploadProgressTests: XCTestCase {
    private static let server = """
    import http.server, sys, time
    class Slow(http.server.BaseHTTPRequestHandler):
        def do_PUT(self):
            left = int(self.headers['Content-Length'])
            while left > 0:
                chunk = self.rfile.read(min(left, 262144))
                left -= len(chunk)
                time.sleep(0.01)
            self.send_response(204)
            self.send_header('x-openstack-request-id', 'req-upload')
            self.end_headers()
        def log_message(self, *args):
            pass
    httpd = http.server.HTTPServer(('127.0.0.1', 0), Slow)
    print(httpd.server_address[1], flush=True)
    httpd.serve_forever()
    """

    func testProgressIsReportedAsTheBodyLeaves() async throws {
        guard let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first(where: FileManager.default.isExecutableFile)
        else { throw XCTSkip("python3 is needed for the loopback HTTP server") }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stacktop-upload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("server.py")
        try Self.server.write(to: script, atomically: true, encoding: .utf8)
        let portFile = directory.appendingPathComponent("port")
        let server = try ChildProcess.start([python, script.path], standardOutput: portFile.path)
        defer { server.stop() }
        var port: Int?
        for _ in 0..<100 where port == nil {
            port = Int((try? String(contentsOf: portFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? "")
            if port == nil { try await Task.sleep(for: .milliseconds(50)) }
        }
        let listening = try XCTUnwrap(port, "the loopback server did not start")

        let body = Data(repeating: 0x5A, count: 16 * 1_048_576)
        let seen = Recorder()
        let transport = URLSessionTransport()
        let request = HTTPRequest(method: .put, url: URL(string: "http://127.0.0.1:\(listening)/v2/images/i-1/file")!,
                                  headers: ["Content-Type": "application/octet-stream"], body: body, timeout: 60,
                                  uploadProgress: { sent in seen.add(sent) })
        let response = try await transport.send(request)

        XCTAssertEqual(response.status, 204)
        XCTAssertEqual(response.requestID, "req-upload")
        let values = seen.values
        XCTAssertGreaterThanOrEqual(values.count, 3, "progress arrives in steps, not once: \(values)")
        XCTAssertEqual(values, values.sorted(), "progress only grows")
        XCTAssertEqual(values.last, Int64(body.count), "the whole body was sent")
    }
}

private final class Recorder: Sendable {
    private let lock = NSLock()
    nonisolated(unsafe) private var sent: [Int64] = []
    func add(_ value: Int64) { lock.lock(); sent.append(value); lock.unlock() }
    var values: [Int64] { lock.lock(); defer { lock.unlock() }; return sent }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization

/// Upload tasks in flight, by task identifier: their progress handler, the answer's body so far and
/// the caller waiting for it. Each caller is answered exactly once, by completion or by cancel.
final class UploadRegistry: Sendable {
    private struct Upload {
        var progress: @Sendable (Int64) -> Void
        var body = Data()
        var continuation: CheckedContinuation<(Data, URLResponse), any Error>
    }

    private let uploads = Mutex<[Int: Upload]>([:])

    func begin(_ identifier: Int, progress: @escaping @Sendable (Int64) -> Void,
               continuation: CheckedContinuation<(Data, URLResponse), any Error>) {
        uploads.withLock { $0[identifier] = Upload(progress: progress, continuation: continuation) }
    }

    func progress(_ identifier: Int, sent: Int64) {
        let handler = uploads.withLock { $0[identifier]?.progress }
        handler?(sent)
    }

    func received(_ identifier: Int, data: Data) {
        uploads.withLock { $0[identifier]?.body.append(data) }
    }

    func finish(_ identifier: Int, response: URLResponse?, error: (any Error)?) {
        guard let upload = uploads.withLock({ $0.removeValue(forKey: identifier) }) else { return }
        if let error { return upload.continuation.resume(throwing: error) }
        guard let response else { return upload.continuation.resume(throwing: URLError(.badServerResponse)) }
        upload.continuation.resume(returning: (upload.body, response))
    }
}

import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Security)
import Security
#endif
import Synchronization

/// Applies `verify: false` and `cacert` to server-trust challenges. Only Apple platforms deliver
/// those challenges: swift-corelibs-foundation (libcurl) always verifies against the system CA
/// store, so on Linux both settings are ignored and certificate errors say so.
final class TLSTrustDelegate: NSObject, URLSessionDataDelegate, Sendable {
    #if canImport(Security)
    static let supportsCustomTrust = true
    #else
    static let supportsCustomTrust = false
    #endif

    let verifyTLS: Bool
    let caCertPath: String?
    /// Uploads in flight: the session has one delegate, and upload tasks report through it.
    let uploads = UploadRegistry()

    init(verifyTLS: Bool, caCertPath: String?) {
        self.verifyTLS = verifyTLS
        self.caCertPath = caCertPath
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didSendBodyData bytesSent: Int64,
                    totalBytesSent: Int64, totalBytesExpectedToSend: Int64) {
        uploads.progress(task.taskIdentifier, sent: totalBytesSent)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        uploads.received(dataTask.taskIdentifier, data: data)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: (any Error)?) {
        uploads.finish(task.taskIdentifier, response: task.response, error: error)
    }

    #if canImport(Security)
    func urlSession(_ session: URLSession, task: URLSessionTask,
                    didReceive challenge: URLAuthenticationChallenge)
        async -> (URLSession.AuthChallengeDisposition, URLCredential?) {
        guard challenge.protectionSpace.authenticationMethod == NSURLAuthenticationMethodServerTrust,
              let trust = challenge.protectionSpace.serverTrust else { return (.performDefaultHandling, nil) }
        if !verifyTLS { return (.useCredential, URLCredential(trust: trust)) }
        guard let caCertPath, let anchors = Self.certificates(atPath: caCertPath), !anchors.isEmpty else {
            return (.performDefaultHandling, nil)
        }
        SecTrustSetAnchorCertificates(trust, anchors as CFArray)
        SecTrustSetAnchorCertificatesOnly(trust, false)
        return SecTrustEvaluateWithError(trust, nil)
            ? (.useCredential, URLCredential(trust: trust)) : (.cancelAuthenticationChallenge, nil)
    }

    /// Reads every PEM certificate in the file.
    static func certificates(atPath path: String) -> [SecCertificate]? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let begin = "-----BEGIN CERTIFICATE-----", end = "-----END CERTIFICATE-----"
        return text.components(separatedBy: begin).dropFirst().compactMap { chunk in
            guard let body = chunk.components(separatedBy: end).first,
                  let der = Data(base64Encoded: body, options: .ignoreUnknownCharacters) else { return nil }
            return SecCertificateCreateWithData(nil, der as CFData)
        }
    }
    #endif
}

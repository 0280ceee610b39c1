import COpenSSL
import Glibc
import Synchronization

/// How wss:// checks the server: verified against the system CA store (or `caFile`) unless `verify` is off.
public struct WebSocketTLS: Sendable, Equatable {
    public var verify: Bool
    /// A PEM file of CA certificates to trust instead of the system store (clouds.yaml `cacert`).
    public var caFile: String?
    public init(verify: Bool = true, caFile: String? = nil) { self.verify = verify; self.caFile = caFile }
}

/// wss://: OpenSSL over the non-blocking socket. One SSL object must not be used by two threads at once,
/// so every call into it is under `state`'s lock; the reader polls the socket outside the lock.
final class TLSStream: ByteStream {
    // @unchecked: OpenSSL's handles are plain pointers; they are only used inside `state`'s lock (and in
    // deinit, when nothing else can), which is what makes handing them between threads safe.
    private struct Handles: @unchecked Sendable {
        let context: OpaquePointer
        let ssl: OpaquePointer
    }
    private let socket: SocketHandle
    private let state: Mutex<Handles>

    var descriptor: Int32 { socket.descriptor }

    init(socket: SocketHandle, host: String, tls: WebSocketTLS, deadline: ContinuousClock.Instant, endpoint: String)
        throws(WebSocketError) {
        self.socket = socket
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw .tls(endpoint: endpoint, reason: Self.queuedError() ?? "OpenSSL could not start", certificate: false)
        }
        stacktop_ssl_ctx_defaults(context)
        if tls.verify {
            let loaded = tls.caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
            guard loaded == 1 else {
                SSL_CTX_free(context)
                throw .tls(endpoint: endpoint, reason: tls.caFile.map { "the CA file \(WebSocketError.shown($0)) could not be read" }
                                                      ?? "the system's CA certificates could not be loaded", certificate: true)
            }
            SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        } else {
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nil)
        }
        guard let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            throw .tls(endpoint: endpoint, reason: Self.queuedError() ?? "OpenSSL could not start", certificate: false)
        }
        state = Mutex(Handles(context: context, ssl: ssl))
        SSL_set_fd(ssl, socket.descriptor)
        var address = in6_addr()
        let isAddress = inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
        if isAddress {
            X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host)
        } else {
            _ = stacktop_ssl_set_sni(ssl, host)
            SSL_set1_host(ssl, host)
        }
        try handshake(deadline: deadline, endpoint: endpoint)
    }

    deinit {
        state.withLock { handles in
            SSL_free(handles.ssl)
            SSL_CTX_free(handles.context)
        }
    }

    private func handshake(deadline: ContinuousClock.Instant, endpoint: String) throws(WebSocketError) {
        while true {
            let (result, error, verifyResult) = state.withLock { handles in
                SIGPIPEBlocked.run {
                    ERR_clear_error()
                    let result = SSL_connect(handles.ssl)
                    return (result, SSL_get_error(handles.ssl, result), SSL_get_verify_result(handles.ssl))
                }
            }
            if result == 1 { return }
            switch error {
            case SSL_ERROR_WANT_READ:
                guard Poll.wait(descriptor, Int32(POLLIN), until: deadline) else { throw .timedOut(endpoint: endpoint, while: "agreeing on TLS") }
            case SSL_ERROR_WANT_WRITE:
                guard Poll.wait(descriptor, Int32(POLLOUT), until: deadline) else { throw .timedOut(endpoint: endpoint, while: "agreeing on TLS") }
            default:
                if verifyResult != Int(X509_V_OK) {
                    throw .tls(endpoint: endpoint, reason: String(cString: X509_verify_cert_error_string(verifyResult)), certificate: true)
                }
                let reason = Self.queuedError() ?? (error == SSL_ERROR_SYSCALL ? "the connection closed during the handshake" : "error \(error)")
                throw .tls(endpoint: endpoint, reason: reason, certificate: false)
            }
        }
    }

    func read(into buffer: inout [UInt8]) throws(WebSocketError) -> Int? {
        let count = Int32(buffer.count)
        let (got, error) = buffer.withUnsafeMutableBytes { bytes in
            state.withLock { handles in
                SIGPIPEBlocked.run {
                    ERR_clear_error()
                    let got = SSL_read(handles.ssl, bytes.baseAddress, count)
                    return (got, SSL_get_error(handles.ssl, got))
                }
            }
        }
        if got > 0 { return Int(got) }
        switch error {
        case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE: return nil
        case SSL_ERROR_ZERO_RETURN, SSL_ERROR_SYSCALL: return 0
        default: throw .io("TLS reading failed (\(Self.queuedError() ?? "error \(error)"))")
        }
    }

    func write(_ bytes: [UInt8], deadline: ContinuousClock.Instant) throws(WebSocketError) {
        var offset = 0
        while offset < bytes.count {
            let (sent, error) = bytes.withUnsafeBytes { raw in
                state.withLock { handles in
                    SIGPIPEBlocked.run {
                        ERR_clear_error()
                        let sent = SSL_write(handles.ssl, raw.baseAddress! + offset, Int32(bytes.count - offset))
                        return (sent, SSL_get_error(handles.ssl, sent))
                    }
                }
            }
            if sent > 0 { offset += Int(sent); continue }
            // A partial SSL_write is retried with the same bytes (OpenSSL's rule), which this loop does.
            switch error {
            case SSL_ERROR_WANT_WRITE, SSL_ERROR_WANT_READ:
                let events = error == SSL_ERROR_WANT_WRITE ? Int32(POLLOUT) : Int32(POLLIN)
                guard Poll.wait(descriptor, events, until: deadline) else { throw .io("the proxy stopped taking input") }
            default:
                throw .io("TLS writing failed (\(Self.queuedError() ?? "the connection closed"))")
            }
        }
    }

    func shutdown() { socket.shutdown() }

    static func queuedError() -> String? {
        let code = ERR_get_error()
        guard code != 0 else { return nil }
        var text = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &text, text.count)
        return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// OpenSSL writes to the socket with write(2), which raises SIGPIPE on a connection the peer reset. The
/// signal is blocked on this thread for the call, and one it raised is taken off the thread's queue.
enum SIGPIPEBlocked {
    static func run<T>(_ body: () -> T) -> T {
        var block = sigset_t(), old = sigset_t(), pending = sigset_t()
        sigemptyset(&block); sigaddset(&block, SIGPIPE)
        sigpending(&pending)
        let wasPending = sigismember(&pending, SIGPIPE) == 1
        pthread_sigmask(SIG_BLOCK, &block, &old)
        let result = body()
        if !wasPending {
            sigpending(&pending)
            if sigismember(&pending, SIGPIPE) == 1 {
                var zero = timespec(tv_sec: 0, tv_nsec: 0)
                _ = sigtimedwait(&block, nil, &zero)
            }
        }
        pthread_sigmask(SIG_SETMASK, &old, nil)
        return result
    }
}

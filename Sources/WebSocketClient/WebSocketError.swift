import TextSafety

/// Why a websocket could not be opened or broke off. `description` is one sentence: what failed and what
/// to do. Text from the server (a status line, a close reason) is shown with its control characters made
/// visible and cut short.
public enum WebSocketError: Error, Sendable, Equatable, CustomStringConvertible {
    case badURL(String)
    case connectFailed(endpoint: String, reason: String)
    case timedOut(endpoint: String, while: String)
    /// The TLS handshake failed; `certificate` when it was the certificate check.
    case tls(endpoint: String, reason: String, certificate: Bool)
    /// The server answered the upgrade with another status.
    case refused(endpoint: String, status: Int, statusText: String)
    /// The server's 101 answer is not a valid websocket handshake.
    case badHandshake(endpoint: String, reason: String)
    case protocolViolation(String)
    case frameTooLarge(length: UInt64, limit: Int)
    /// Reading or writing the open connection failed.
    case io(String)
    /// Sending on a connection that is closed.
    case closed

    public var description: String {
        switch self {
        case .badURL(let url):
            "The websocket URL \(Self.shown(url)) is not a ws:// or wss:// URL with a host; ask for a new console URL."
        case .connectFailed(let endpoint, let reason):
            "Could not connect to \(endpoint): \(reason); check that the console proxy is running and reachable from here."
        case .timedOut(let endpoint, let what):
            "The console proxy at \(endpoint) did not answer in time while \(what); check that the console proxy is running and reachable from here."
        case .tls(let endpoint, let reason, true):
            "The TLS certificate of \(endpoint) was not accepted (\(reason)); give the cloud's CA certificate with "
                + "`cacert` in clouds.yaml, or set `insecure: true` there to skip the check."
        case .tls(let endpoint, let reason, false):
            "The TLS handshake with \(endpoint) failed (\(reason)); check that the URL's scheme (wss://) matches the proxy."
        case .refused(let endpoint, let status, let text):
            "The console proxy at \(endpoint) refused the websocket with HTTP \(status)\(text.isEmpty ? "" : " " + Self.shown(text))"
                + (status == 401 || status == 403 || status == 404
                   ? "; the console's token may have expired or been used, open the console again."
                   : "; open the console again, and ask the cloud's operator if it keeps failing.")
        case .badHandshake(let endpoint, let reason):
            "The console proxy at \(endpoint) answered the websocket handshake wrongly (\(reason)); it is not a websocket proxy stacktop can use."
        case .protocolViolation(let what):
            "The console proxy broke the websocket protocol (\(what)); the console was closed, open it again."
        case .frameTooLarge(let length, let limit):
            "The console proxy sent a websocket message of \(length) bytes, over the \(limit)-byte limit; the console was closed, open it again."
        case .io(let reason):
            "The websocket connection failed: \(reason); open the console again."
        case .closed:
            "The websocket connection is closed; open the console again."
        }
    }

    /// Outside text in a sentence: one line, controls visible, at most 120 characters.
    static func shown(_ text: String) -> String {
        let line = TerminalText.sanitize(text)
        return line.count > 120 ? String(line.prefix(120)) + "…" : line
    }
}

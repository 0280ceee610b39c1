/// A `ws://` or `wss://` URL taken apart the way the handshake needs it.
public struct WebSocketURL: Sendable, Equatable {
    public var secure: Bool
    public var host: String
    public var port: Int
    /// Path and query as sent in the request line ("/?token=...").
    public var resource: String

    public init(_ text: String) throws(WebSocketError) {
        let lowered = text.lowercased()
        let rest: Substring
        if lowered.hasPrefix("ws://") { secure = false; rest = text.dropFirst(5) }
        else if lowered.hasPrefix("wss://") { secure = true; rest = text.dropFirst(6) }
        else { throw .badURL(text) }
        guard text.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw .badURL(text) }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var resource = String(rest[authorityEnd...].prefix { $0 != "#" })
        if resource.hasPrefix("?") { resource = "/" + resource }
        self.resource = resource.isEmpty ? "/" : resource
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .badURL(text) }
            host = String(authority[authority.index(after: authority.startIndex)..<close])
            let after = authority[authority.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty { throw .badURL(text) }
        } else if let colon = authority.lastIndex(of: ":") {
            host = String(authority[..<colon]); portText = authority[authority.index(after: colon)...]
        } else {
            host = String(authority)
        }
        guard !host.isEmpty else { throw .badURL(text) }
        if let portText {
            guard let port = Int(portText), (1...65535).contains(port) else { throw .badURL(text) }
            self.port = port
        } else {
            port = secure ? 443 : 80
        }
    }

    /// "host:port" as sentences show it.
    public var endpoint: String { (host.contains(":") ? "[\(host)]" : host) + ":\(port)" }

    /// The Host header: the port only when it is not the scheme's default.
    var hostHeader: String {
        let shown = host.contains(":") ? "[\(host)]" : host
        return port == (secure ? 443 : 80) ? shown : "\(shown):\(port)"
    }
}

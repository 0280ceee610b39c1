import COpenSSL

/// The opening handshake (RFC 6455 section 4): the client's upgrade request, and the checks on the
/// server's answer. The answer is hostile: its size is bounded and every requirement is checked.
public enum WebSocketHandshake {
    /// The most bytes an answer's head (status line and headers) may take.
    public static let maxHeadBytes = 16 * 1024

    /// 16 random bytes, base64: the `Sec-WebSocket-Key`.
    public static func makeKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return base64((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// base64(SHA-1(key + the RFC's GUID)): what `Sec-WebSocket-Accept` must say.
    public static func acceptValue(for key: String) -> String {
        let input = Array((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        _ = SHA1(input, input.count, &digest)
        return base64(digest)
    }

    public static func request(url: WebSocketURL, key: String, subprotocol: String?) -> [UInt8] {
        var lines = ["GET \(url.resource) HTTP/1.1", "Host: \(url.hostHeader)", "Upgrade: websocket",
                     "Connection: Upgrade", "Sec-WebSocket-Key: \(key)", "Sec-WebSocket-Version: 13"]
        if let subprotocol { lines.append("Sec-WebSocket-Protocol: \(subprotocol)") }
        return Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8)
    }

    /// The index just past the blank line that ends the head, nil while it has not all arrived.
    public static func headEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 3..<bytes.count where bytes[index] == 0x0A && bytes[index - 1] == 0x0D
            && bytes[index - 2] == 0x0A && bytes[index - 3] == 0x0D {
            return index + 1
        }
        return nil
    }

    /// Checks a whole head (up to and including the blank line). Returns the subprotocol the server chose.
    @discardableResult
    public static func validate(head: [UInt8], key: String, subprotocol: String?, endpoint: String)
        throws(WebSocketError) -> String? {
        var lines = head.split(separator: 0x0A, omittingEmptySubsequences: false).map {
            String(decoding: $0.last == 0x0D ? $0.dropLast() : $0, as: UTF8.self)
        }
        let statusLine = lines.isEmpty ? "" : lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw .badHandshake(endpoint: endpoint, reason: "its first line is \"\(WebSocketError.shown(statusLine))\", not an HTTP status")
        }
        guard status == 101 else {
            throw .refused(endpoint: endpoint, status: status, statusText: parts.count > 2 ? String(parts[2]) : "")
        }
        var headers: [String: String] = [:]
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else {
                throw .badHandshake(endpoint: endpoint, reason: "a header line has no colon")
            }
            let name = line[..<colon].trimmingSpaces.lowercased()
            let value = line[line.index(after: colon)...].trimmingSpaces
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        guard headers["upgrade"]?.lowercased() == "websocket" else {
            throw .badHandshake(endpoint: endpoint, reason: "no `Upgrade: websocket` header")
        }
        guard let connection = headers["connection"],
              connection.lowercased().split(separator: ",").contains(where: { $0.trimmingSpaces == "upgrade" }) else {
            throw .badHandshake(endpoint: endpoint, reason: "no `Connection: Upgrade` header")
        }
        guard headers["sec-websocket-accept"] == acceptValue(for: key) else {
            throw .badHandshake(endpoint: endpoint, reason: "its Sec-WebSocket-Accept does not match the key sent")
        }
        if let extensions = headers["sec-websocket-extensions"], !extensions.isEmpty {
            throw .badHandshake(endpoint: endpoint, reason: "it turned on extensions that were not asked for")
        }
        let chosen = headers["sec-websocket-protocol"]
        if let chosen, !chosen.isEmpty, chosen != subprotocol {
            throw .badHandshake(endpoint: endpoint,
                                reason: "it chose the subprotocol \"\(WebSocketError.shown(chosen))\", which was not offered")
        }
        return chosen
    }

    static func base64(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let value = chunk.enumerated().reduce(UInt32(0)) { $0 | UInt32($1.element) << (16 - 8 * UInt32($1.offset)) }
            for position in 0..<4 {
                out.append(position <= chunk.count ? alphabet[Int(value >> (18 - 6 * UInt32(position)) & 0x3F)] : UInt8(ascii: "="))
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

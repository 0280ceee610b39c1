/// RFC 6455 section 5.2 opcodes; anything else is refused.
public enum WebSocketOpcode: UInt8, Sendable {
    case continuation = 0x0, text = 0x1, binary = 0x2, close = 0x8, ping = 0x9, pong = 0xA

    public var isControl: Bool { rawValue & 0x8 != 0 }
}

/// One frame as it goes on the wire. A client masks what it sends (`encoded(mask:)` with 4 bytes);
/// a server does not (nil).
public struct WebSocketFrame: Sendable, Equatable {
    public var fin: Bool
    public var opcode: WebSocketOpcode
    public var payload: [UInt8]

    public init(fin: Bool = true, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin; self.opcode = opcode; self.payload = payload
    }

    /// The frame's bytes: 7-bit, 16-bit or 64-bit length as the payload needs, masked when `mask` is given.
    public func encoded(mask: [UInt8]?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(payload.count + 14)
        out.append((fin ? 0x80 : 0) | opcode.rawValue)
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        switch payload.count {
        case ..<126:
            out.append(maskBit | UInt8(payload.count))
        case ..<65536:
            out.append(maskBit | 126)
            out.append(UInt8(payload.count >> 8)); out.append(UInt8(payload.count & 0xFF))
        default:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8((UInt64(payload.count) >> UInt64(shift)) & 0xFF)) }
        }
        guard let mask, mask.count == 4 else { return out + payload }
        out.append(contentsOf: mask)
        for (index, byte) in payload.enumerated() { out.append(byte ^ mask[index & 3]) }
        return out
    }

    /// A close frame's payload: the status code (big-endian) and a reason of at most 123 bytes.
    public static func closePayload(code: UInt16, reason: String = "") -> [UInt8] {
        [UInt8(code >> 8), UInt8(code & 0xFF)] + Array(reason.utf8.prefix(123))
    }
}

/// Cuts frames out of the bytes a server sent. Everything in them is hostile: lengths are bounded before
/// anything is allocated, and whatever RFC 6455 forbids a server to send is refused with a sentence.
public struct WebSocketFrameParser: Sendable {
    /// The largest payload of one frame accepted.
    public let maxPayload: Int
    /// True on the server side of a test (frames from a client must be masked); false for a client.
    public let expectMasked: Bool
    private var buffer: [UInt8] = []
    private var start = 0

    public init(maxPayload: Int = 1 << 20, expectMasked: Bool = false) {
        self.maxPayload = maxPayload; self.expectMasked = expectMasked
    }

    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start == buffer.count { buffer.removeAll(keepingCapacity: true); start = 0 }
        if start > 65536 && start > buffer.count / 2 { buffer.removeFirst(start); start = 0 }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame, nil when more bytes are needed.
    public mutating func next() throws(WebSocketError) -> WebSocketFrame? {
        let available = buffer.count - start
        guard available >= 2 else { return nil }
        let first = buffer[start], second = buffer[start + 1]
        guard first & 0x70 == 0 else {
            throw .protocolViolation("a frame sets reserved bits, which no extension agreed to")
        }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else {
            throw .protocolViolation("a frame has the unknown opcode \(first & 0x0F)")
        }
        let fin = first & 0x80 != 0
        let masked = second & 0x80 != 0
        if masked != expectMasked {
            throw .protocolViolation(masked ? "the server masked a frame, which only clients do" : "a client frame is not masked")
        }
        var header = 2
        var length = UInt64(second & 0x7F)
        if length == 126 {
            guard available >= 4 else { return nil }
            length = UInt64(buffer[start + 2]) << 8 | UInt64(buffer[start + 3])
            header = 4
        } else if length == 127 {
            guard available >= 10 else { return nil }
            length = 0
            for index in 0..<8 { length = length << 8 | UInt64(buffer[start + 2 + index]) }
            guard length >> 63 == 0 else { throw .protocolViolation("a frame's 64-bit length has its top bit set") }
            header = 10
        }
        if opcode.isControl {
            guard fin else { throw .protocolViolation("a control frame is fragmented") }
            guard length <= 125 else { throw .protocolViolation("a control frame carries more than 125 bytes") }
        }
        guard length <= UInt64(maxPayload) else { throw .frameTooLarge(length: length, limit: maxPayload) }
        let maskLength = masked ? 4 : 0
        let total = header + maskLength + Int(length)
        guard available >= total else { return nil }
        var payload = Array(buffer[(start + header + maskLength)..<(start + total)])
        if masked {
            let key = Array(buffer[(start + header)..<(start + header + 4)])
            for index in payload.indices { payload[index] ^= key[index & 3] }
        }
        start += total
        return WebSocketFrame(fin: fin, opcode: opcode, payload: payload)
    }
}

/// What a reader makes of frames: whole messages (fragments joined), control frames as they come.
public enum WebSocketEvent: Sendable, Equatable {
    case message([UInt8], text: Bool)
    case ping([UInt8])
    case pong([UInt8])
    /// The peer's close frame: its code (nil when it gave none) and reason.
    case close(code: UInt16?, reason: String)
}

/// Joins fragmented messages (RFC 6455 section 5.4) with a bound on the whole message.
public struct WebSocketMessageAssembler: Sendable {
    public let maxMessage: Int
    private var partial: (text: Bool, bytes: [UInt8])?

    public init(maxMessage: Int = 4 << 20) { self.maxMessage = maxMessage }

    /// The event a frame completes, nil for a fragment that leaves the message open.
    public mutating func take(_ frame: WebSocketFrame) throws(WebSocketError) -> WebSocketEvent? {
        switch frame.opcode {
        case .ping: return .ping(frame.payload)
        case .pong: return .pong(frame.payload)
        case .close:
            guard frame.payload.count != 1 else { throw .protocolViolation("a close frame carries a one-byte code") }
            guard frame.payload.count >= 2 else { return .close(code: nil, reason: "") }
            let code = UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1])
            return .close(code: code, reason: String(decoding: frame.payload.dropFirst(2), as: UTF8.self))
        case .text, .binary:
            guard partial == nil else {
                throw .protocolViolation("a new message started before the fragmented one before it ended")
            }
            if frame.fin { return .message(frame.payload, text: frame.opcode == .text) }
            partial = (frame.opcode == .text, frame.payload)
            return nil
        case .continuation:
            guard var open = partial else { throw .protocolViolation("a continuation frame continues no message") }
            guard open.bytes.count + frame.payload.count <= maxMessage else {
                throw .frameTooLarge(length: UInt64(open.bytes.count + frame.payload.count), limit: maxMessage)
            }
            open.bytes += frame.payload
            if frame.fin {
                partial = nil
                return .message(open.bytes, text: open.text)
            }
            partial = open
            return nil
        }
    }
}

import XCTest
@testable import WebSocketClient

/// The frame codec and the handshake checks, byte by byte (RFC 6455 sections 4 and 5).
final class WebSocketFrameTests: XCTestCase {
    private func parse(_ bytes: [UInt8], maxPayload: Int = 1 << 20, masked: Bool = false) throws -> [WebSocketFrame] {
        var parser = WebSocketFrameParser(maxPayload: maxPayload, expectMasked: masked)
        parser.append(bytes)
        var frames: [WebSocketFrame] = []
        while let frame = try parser.next() { frames.append(frame) }
        return frames
    }

    private func refusal(_ bytes: [UInt8], maxPayload: Int = 1 << 20) -> WebSocketError? {
        do { _ = try parse(bytes, maxPayload: maxPayload); return nil } catch { return error as? WebSocketError }
    }

    func testLengthsUseSevenSixteenAndSixtyFourBits() throws {
        for (count, header) in [(0, [0x82, 0x00]), (125, [0x82, 125]), (126, [0x82, 126, 0x00, 126]),
                                (65535, [0x82, 126, 0xFF, 0xFF]), (65536, [0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0])] {
            let payload = (0..<count).map { UInt8($0 & 0xFF) }
            let bytes = WebSocketFrame(opcode: .binary, payload: payload).encoded(mask: nil)
            XCTAssertEqual(Array(bytes.prefix(header.count)), header.map(UInt8.init), "\(count) bytes")
            XCTAssertEqual(bytes.count, header.count + count)
            XCTAssertEqual(try parse(bytes), [WebSocketFrame(opcode: .binary, payload: payload)], "\(count) bytes")
        }
    }

    func testAMaskedFrameCarriesTheKeyAndXorsThePayload() throws {
        let mask: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        // The RFC's own example (section 5.7): a masked "Hello".
        let bytes = WebSocketFrame(opcode: .text, payload: Array("Hello".utf8)).encoded(mask: mask)
        XCTAssertEqual(bytes, [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
        XCTAssertEqual(try parse(bytes, masked: true), [WebSocketFrame(opcode: .text, payload: Array("Hello".utf8))])
    }

    func testAFrameSplitAcrossReadsWaitsForItsLastByte() throws {
        let bytes = WebSocketFrame(opcode: .binary, payload: Array(repeating: 7, count: 300)).encoded(mask: nil)
        var parser = WebSocketFrameParser()
        for byte in bytes.dropLast() {
            parser.append([byte])
            XCTAssertNil(try parser.next())
        }
        parser.append([bytes.last!])
        XCTAssertEqual(try parser.next()?.payload.count, 300)
        XCTAssertNil(try parser.next())
    }

    func testWhatAServerMustNotSendIsRefused() {
        XCTAssertEqual(refusal([0x82, 0x81, 1, 2, 3, 4, 5]), .protocolViolation("the server masked a frame, which only clients do"))
        XCTAssertEqual(refusal([0xC2, 0x00]), .protocolViolation("a frame sets reserved bits, which no extension agreed to"))
        XCTAssertEqual(refusal([0x83, 0x00]), .protocolViolation("a frame has the unknown opcode 3"))
        XCTAssertEqual(refusal([0x09, 0x00]), .protocolViolation("a control frame is fragmented"))
        XCTAssertEqual(refusal([0x89, 126, 0, 126] + Array(repeating: 0, count: 126)),
                       .protocolViolation("a control frame carries more than 125 bytes"))
        XCTAssertEqual(refusal([0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 1]),
                       .protocolViolation("a frame's 64-bit length has its top bit set"))
    }

    func testAnOversizedFrameIsRefusedFromItsHeaderBeforeItsPayloadArrives() {
        // Only the 10-byte header of a 2^40-byte frame: refused at once, nothing allocated for it.
        XCTAssertEqual(refusal([0x82, 127, 0, 0, 1, 0, 0, 0, 0, 0]), .frameTooLarge(length: 1 << 40, limit: 1 << 20))
        XCTAssertEqual(refusal([0x82, 126, 0x04, 0x01], maxPayload: 1024), .frameTooLarge(length: 1025, limit: 1024))
        XCTAssertTrue(WebSocketError.frameTooLarge(length: 1025, limit: 1024).description.contains("over the 1024-byte limit"))
    }

    func testFragmentsJoinIntoOneMessageWithControlFramesBetween() throws {
        var assembler = WebSocketMessageAssembler()
        XCTAssertNil(try assembler.take(WebSocketFrame(fin: false, opcode: .text, payload: Array("lo".utf8))))
        XCTAssertEqual(try assembler.take(WebSocketFrame(opcode: .ping, payload: [1])), .ping([1]))
        XCTAssertNil(try assembler.take(WebSocketFrame(fin: false, opcode: .continuation, payload: Array("gin".utf8))))
        XCTAssertEqual(try assembler.take(WebSocketFrame(opcode: .continuation, payload: Array(": ".utf8))),
                       .message(Array("login: ".utf8), text: true))
        XCTAssertEqual(try assembler.take(WebSocketFrame(opcode: .binary, payload: [0])), .message([0], text: false))
    }

    func testFragmentsOutOfOrderOrTooLargeAreRefused() {
        var assembler = WebSocketMessageAssembler(maxMessage: 8)
        XCTAssertThrowsError(try assembler.take(WebSocketFrame(opcode: .continuation, payload: [1]))) {
            XCTAssertEqual($0 as? WebSocketError, .protocolViolation("a continuation frame continues no message"))
        }
        XCTAssertNil(try assembler.take(WebSocketFrame(fin: false, opcode: .binary, payload: [1, 2, 3, 4, 5])))
        XCTAssertThrowsError(try assembler.take(WebSocketFrame(opcode: .binary, payload: [1]))) {
            XCTAssertEqual($0 as? WebSocketError,
                           .protocolViolation("a new message started before the fragmented one before it ended"))
        }
        XCTAssertThrowsError(try assembler.take(WebSocketFrame(fin: false, opcode: .continuation, payload: [6, 7, 8, 9]))) {
            XCTAssertEqual($0 as? WebSocketError, .frameTooLarge(length: 9, limit: 8))
        }
    }

    func testCloseFramesGiveTheirCodeAndReason() throws {
        var assembler = WebSocketMessageAssembler()
        XCTAssertEqual(try assembler.take(WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: 1001, reason: "bye"))),
                       .close(code: 1001, reason: "bye"))
        XCTAssertEqual(try assembler.take(WebSocketFrame(opcode: .close, payload: [])), .close(code: nil, reason: ""))
        XCTAssertThrowsError(try assembler.take(WebSocketFrame(opcode: .close, payload: [3])))
    }

    // MARK: Handshake

    private let key = "dGhlIHNhbXBsZSBub25jZQ=="

    private func head(_ lines: String...) -> [UInt8] { Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8) }

    func testTheAcceptValueIsTheRFCsExample() {
        XCTAssertEqual(WebSocketHandshake.acceptValue(for: key), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        XCTAssertEqual(WebSocketHandshake.makeKey().count, 24)
        XCTAssertNotEqual(WebSocketHandshake.makeKey(), WebSocketHandshake.makeKey())
    }

    func testARightAnswerPassesAndNamesTheSubprotocol() throws {
        let chosen = try WebSocketHandshake.validate(
            head: head("HTTP/1.1 101 Switching Protocols", "upgrade: WebSocket", "Connection: keep-alive, Upgrade",
                       "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", "Sec-WebSocket-Protocol: binary"),
            key: key, subprotocol: "binary", endpoint: "proxy:6083")
        XCTAssertEqual(chosen, "binary")
    }

    func testWrongAnswersAreRefusedWithASentence() {
        let good = ["HTTP/1.1 101 Switching Protocols", "Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="]
        func refused(_ lines: [String]) -> String? {
            do {
                try WebSocketHandshake.validate(head: Array((lines.joined(separator: "\r\n") + "\r\n\r\n").utf8), key: key,
                                                subprotocol: "binary", endpoint: "proxy:6083")
                return nil
            } catch { return error.description }
        }
        XCTAssertEqual(refused(good.dropLast() + ["Sec-WebSocket-Accept: AAAAAAAAAAAAAAAAAAAAAAAAAAA="]),
                       "The console proxy at proxy:6083 answered the websocket handshake wrongly (its Sec-WebSocket-Accept does not match the key sent); it is not a websocket proxy stacktop can use.")
        XCTAssertNotNil(refused(Array(good[0..<1] + good[2...])), "no Upgrade header")
        XCTAssertNotNil(refused(Array(good[0..<2] + good[3...])), "no Connection header")
        XCTAssertNotNil(refused(good + ["Sec-WebSocket-Protocol: base64"]), "a subprotocol not offered")
        XCTAssertNotNil(refused(good + ["Sec-WebSocket-Extensions: permessage-deflate"]), "an extension not asked for")
        XCTAssertNotNil(refused(["SSH-2.0-OpenSSH_9.2"]), "not HTTP")
        XCTAssertEqual(refused(["HTTP/1.1 403 Forbidden", "Content-Length: 0"]),
                       "The console proxy at proxy:6083 refused the websocket with HTTP 403 Forbidden; the console's token may have expired or been used, open the console again.")
        // The status text is outside text: its escape shows, it does not act.
        XCTAssertEqual(refused(["HTTP/1.1 500 \u{1B}[2J"])?.contains("\u{1B}"), false)
    }

    func testTheRequestAsksForTheUpgradeAndTheSubprotocol() throws {
        let url = try WebSocketURL("ws://127.0.0.1:6083/?token=abc")
        let request = String(decoding: WebSocketHandshake.request(url: url, key: key, subprotocol: "binary"), as: UTF8.self)
        XCTAssertEqual(request, "GET /?token=abc HTTP/1.1\r\nHost: 127.0.0.1:6083\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                       + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n")
    }

    func testURLsAreTakenApart() throws {
        XCTAssertEqual(try WebSocketURL("wss://console.example.com/?token=x"),
                       try WebSocketURL("WSS://console.example.com:443/?token=x"))
        let url = try WebSocketURL("ws://[::1]:6083?token=x#frag")
        XCTAssertEqual(url.host, "::1"); XCTAssertEqual(url.port, 6083); XCTAssertEqual(url.resource, "/?token=x")
        XCTAssertEqual(url.endpoint, "[::1]:6083")
        XCTAssertEqual(try WebSocketURL("ws://h").resource, "/")
        for bad in ["http://h/", "ws://", "ws://h:0/", "ws://h:99999/", "ws://h/a b", "ws://[::1/"] {
            XCTAssertThrowsError(try WebSocketURL(bad), bad)
        }
    }
}

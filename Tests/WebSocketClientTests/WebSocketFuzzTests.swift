import XCTest
import FuzzSupport
@testable import WebSocketClient

/// What a serial proxy sends is hostile: mutated frame streams and handshake answers either parse within
/// the bounds or are refused with one sentence, never a crash (seeded; `STACKTOP_FUZZ_LONG=1` tries more).
final class WebSocketFuzzTests: XCTestCase {
    private static let frameSeeds: [[UInt8]] = [
        WebSocketFrame(opcode: .binary, payload: Array("login: ".utf8)).encoded(mask: nil)
            + WebSocketFrame(opcode: .ping, payload: [1, 2]).encoded(mask: nil),
        WebSocketFrame(fin: false, opcode: .text, payload: Array("ab".utf8)).encoded(mask: nil)
            + WebSocketFrame(opcode: .continuation, payload: Array("cd".utf8)).encoded(mask: nil)
            + WebSocketFrame(opcode: .close, payload: WebSocketFrame.closePayload(code: 1000, reason: "bye")).encoded(mask: nil),
        WebSocketFrame(opcode: .binary, payload: Array(repeating: 0x41, count: 300)).encoded(mask: nil),
        WebSocketFrame(opcode: .binary, payload: Array(repeating: 0x42, count: 70_000)).encoded(mask: nil),
    ]

    func testMutatedFrameStreamsParseWithinBoundsOrAreRefusedWithASentence() {
        var mutator = Mutator(seed: 0x5E41A1)
        for index in 0..<Fuzz.count(3000) {
            let input = mutator.mutateBytes(Self.frameSeeds[index % Self.frameSeeds.count])
            Fuzz.trace(input)
            var parser = WebSocketFrameParser(maxPayload: 65_536)
            var assembler = WebSocketMessageAssembler(maxMessage: 100_000)
            // In two pieces, as reads cut them.
            let cut = input.isEmpty ? 0 : mutator.below(input.count)
            do {
                for piece in [input[..<cut], input[cut...]] {
                    parser.append(piece)
                    while let frame = try parser.next() {
                        XCTAssertLessThanOrEqual(frame.payload.count, 65_536)
                        if case .message(let bytes, _)? = try assembler.take(frame) {
                            XCTAssertLessThanOrEqual(bytes.count, 100_000)
                        }
                    }
                }
            } catch {
                Fuzz.assertSentence(error.description, refusedBy: "the frame parser", input: input)
            }
        }
    }

    func testMutatedHandshakeAnswersPassOnlyWhenRightOrAreRefusedWithASentence() {
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        let seeds = [
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: binary\r\n\r\n",
            "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n",
        ].map { Array($0.utf8) }
        var mutator = Mutator(seed: 0x4A5D)
        for index in 0..<Fuzz.count(3000) {
            let input = mutator.mutateBytes(seeds[index % seeds.count])
            Fuzz.trace(input)
            do {
                try WebSocketHandshake.validate(head: input, key: key, subprotocol: "binary", endpoint: "proxy:6083")
                // Passing means the accept value the key demands is in it.
                XCTAssertTrue(String(decoding: input, as: UTF8.self).contains("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), Fuzz.describe(input))
            } catch {
                Fuzz.assertSentence(error.description, refusedBy: "the handshake check", input: input)
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import XCTest

// Shared by the fuzz suites of every test target (see DECISIONS.md, "Fuzzing ships with the tests").
// Deterministic on purpose: a fixed seed gives the same inputs on every machine, so a failure found in
// CI is reproduced by running the same test again, and `Fuzz.describe` prints the input that broke.

/// SplitMix64 (Steele, Lea, Flood 2014): tiny, fast and fully determined by its seed.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

public enum Fuzz {
    /// `STACKTOP_FUZZ_LONG=1` runs every suite `longFactor` times as many inputs.
    public static let longFactor = 50

    public static var isLongRun: Bool {
        guard let value = getenv("STACKTOP_FUZZ_LONG") else { return false }
        let text = String(cString: value)
        return !text.isEmpty && text != "0"
    }

    /// How many inputs a suite tries: `base` by default, `base * longFactor` in the long run.
    public static func count(_ base: Int) -> Int { isLongRun ? base * longFactor : base }

    /// Why `text` is not one sentence as stacktop writes them, or nil when it is: not empty, starting
    /// with a capital letter, a path, a quote or a lower-case proper noun, ending with ".", and without raw control characters
    /// (C0, DEL, C1: a refusal is printed, and must not move the cursor or ring a bell).
    public static func sentenceProblem(_ text: String) -> String? {
        guard let first = text.first else { return "the refusal is empty" }
        // "libvirt" and "stacktop" are spelled lower-case even where they start a sentence.
        let properNouns = ["libvirt", "stacktop"]
        if !(first.isUppercase || first == "/" || first == "\"" || first == "~" || first == "'"
             || properNouns.contains(where: { text.hasPrefix($0 + " ") })) {
            return "it does not start with a capital letter or a path"
        }
        if !text.hasSuffix(".") { return "it does not end with \".\"" }
        if let control = text.unicodeScalars.first(where: { $0.properties.generalCategory == .control }) {
            return "it contains the raw control character U+\(String(control.value, radix: 16, uppercase: true))"
        }
        return nil
    }

    /// With `STACKTOP_FUZZ_TRACE=PATH`, writes each input to PATH before it is tried, so the input that
    /// crashed the process (a trap ends the test run at once) is in PATH afterwards. Off by default: it
    /// costs a file write per input.
    public static func trace(_ bytes: [UInt8]) {
        guard let value = getenv("STACKTOP_FUZZ_TRACE") else { return }
        let path = String(cString: value)
        guard !path.isEmpty, let file = fopen(path, "wb") else { return }
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
        fclose(file)
    }

    /// An input shown in a failure message: printable, and cut to a readable length.
    public static func describe(_ bytes: [UInt8], limit: Int = 600) -> String {
        var text = ""
        for byte in bytes.prefix(limit) {
            if byte >= 0x20 && byte < 0x7F && byte != UInt8(ascii: "\\") { text.append(Character(Unicode.Scalar(byte))) }
            else if byte == UInt8(ascii: "\n") { text += "\\n" }
            else { text += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16) }
        }
        return bytes.count > limit ? text + "… (\(bytes.count) bytes)" : text
    }
}

/// What an input is, so the mutator can also make the mistakes a format invites.
public enum FuzzFormat: Sendable {
    case json, yaml, xml
}

/// Mutates seed documents: blind byte edits (flips, truncation, duplicated and deleted spans) and
/// format-aware ones. For JSON the aware edits matter most: every number, string and literal can
/// become a hostile number (1e300, 2^63-1, -2^63, 2^64, 0.5, -1), a number in a string, "", null, a
/// wrong type, control characters or a very long string; keys are dropped or duplicated, and values
/// are nested deep.
public struct Mutator: Sendable {
    public private(set) var random: SplitMix64

    public init(seed: UInt64) { random = SplitMix64(seed: seed) }

    /// Numbers no API, file or store should send, and the way each format writes them.
    public static let hostileNumbers = [
        "1e300", "-1e300", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
        "18446744073709551615", "18446744073709551616", "0.5", "-0.5", "-1", "-2", "0", "1e-300",
        "4294967296", "2147483648", "9007199254740993", "1.7976931348623157e308", "123456789012345678901234567890",
        "-0", "1E400", "65536", "99999999999999999999",
    ]

    static let jsonReplacements = hostileNumbers + [
        "\"12\"", "\"\"", "null", "true", "false", "[]", "{}", "\"NaN\"", "\"Infinity\"", "\"-inf\"",
        "\"1e300\"", "\"9223372036854775807\"", "\"-1\"", "\"0x10\"", "[1]", "{\"a\":1}",
        "\"\\u001b[2J\\u0007\\r\\u0000\"", "\"\\u0085\\u202e\\u009b\"", "\"\\ud800\"", "\"caf\\u00e9 名前 🚀\"",
        "\"/../../etc/passwd\"", "\"a\\nb\\tc\"", "\"%s%n\"",
    ]

    static let yamlReplacements = hostileNumbers + [
        "--9223372036854775808", "-9223372036854775808", "+-1", "0x8000000000000000", "0xFFFFFFFFFFFFFFFF",
        "0o1777777777777777777777", ".nan", ".inf", "-.inf", "~", "null", "''", "\"\"", "yes", "no", "[]", "{}",
        "\"\\e[2J\\a\"", "\"\\x00\\x85\\u202E\"", "*alias", "&anchor value", "!!binary aGVsbG8=", "? complex",
        "|\n  block\n", ">-", "'quoted''s'", "\"caf\\u00e9\"", "- a\n- b", "{a: [b, {c: d}]}",
    ]

    static let xmlReplacements = hostileNumbers + [
        "", "&#0;", "&#x1B;", "&#xD800;", "&#99999999999;", "&#x110000;", "&#;", "&#x;", "&amp;&lt;&gt;", "&bogus;",
        "&", "<", ">", "'", "\"", "]]>", "\u{1b}[2J", "\u{7}", "\u{85}", "\u{202e}", "caf\u{e9} 名前",
        "-1", "yes", "no", "0x10", "nan", "inf", "/../../etc/passwd",
    ]

    // MARK: Entry points

    /// One to three edits of `seed`, aware of `format` half of the time.
    public mutating func mutate(_ seed: [UInt8], as format: FuzzFormat) -> [UInt8] {
        var bytes = seed
        let edits = 1 + Int(random.next() % 3)
        for _ in 0..<edits {
            if random.next() % 3 == 0 {
                bytes = mutateBytes(bytes)
            } else {
                switch format {
                case .json: bytes = mutateJSON(bytes)
                case .yaml: bytes = mutateYAML(bytes)
                case .xml: bytes = mutateXML(bytes)
                }
            }
        }
        return bytes
    }

    public mutating func mutate(_ seed: String, as format: FuzzFormat) -> [UInt8] {
        mutate(Array(seed.utf8), as: format)
    }

    // MARK: Blind edits

    public mutating func mutateBytes(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        guard !bytes.isEmpty else { return Array(pick(Self.hostileNumbers).utf8) }
        switch random.next() % 8 {
        case 0: // flip one bit
            let index = below(bytes.count)
            bytes[index] ^= UInt8(1) << UInt8(random.next() % 8)
        case 1: // any byte, controls and invalid UTF-8 included
            bytes[below(bytes.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2: // truncate
            bytes.removeSubrange(below(bytes.count)...)
        case 3: // duplicate a span in place
            let (start, end) = span(in: bytes.count)
            bytes.insert(contentsOf: bytes[start..<end], at: end)
        case 4: // delete a span
            let (start, end) = span(in: bytes.count)
            bytes.removeSubrange(start..<end)
        case 5: // a hostile number anywhere
            bytes.insert(contentsOf: Array(pick(Self.hostileNumbers).utf8), at: below(bytes.count + 1))
        case 6: // a run of control bytes
            let run = (0..<(1 + below(4))).map { _ in UInt8(truncatingIfNeeded: random.next() % 0x20) }
            bytes.insert(contentsOf: run, at: below(bytes.count + 1))
        default: // copy a span somewhere else
            let (start, end) = span(in: bytes.count)
            let piece = Array(bytes[start..<end])
            bytes.insert(contentsOf: piece, at: below(bytes.count + 1))
        }
        return bytes
    }

    // MARK: JSON

    /// A token of a JSON text: where it is and what it is.
    struct Token {
        enum Kind { case string, key, number, literal, open, close }
        var kind: Kind
        var start: Int
        var end: Int
    }

    static func tokens(_ bytes: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                var end = index + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "\"") {
                    end += bytes[end] == UInt8(ascii: "\\") ? 2 : 1
                }
                end = min(end + 1, bytes.count)
                var after = end
                while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x0A || bytes[after] == 0x09
                    || bytes[after] == 0x0D { after += 1 }
                let isKey = after < bytes.count && bytes[after] == UInt8(ascii: ":")
                tokens.append(Token(kind: isKey ? .key : .string, start: index, end: end))
                index = end
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                var end = index + 1
                while end < bytes.count, Self.isNumberByte(bytes[end]) { end += 1 }
                tokens.append(Token(kind: .number, start: index, end: end))
                index = end
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                var end = index + 1
                while end < bytes.count, bytes[end] >= UInt8(ascii: "a"), bytes[end] <= UInt8(ascii: "z") { end += 1 }
                tokens.append(Token(kind: .literal, start: index, end: end))
                index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                tokens.append(Token(kind: .open, start: index, end: index + 1))
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                tokens.append(Token(kind: .close, start: index, end: index + 1))
                index += 1
            default:
                index += 1
            }
        }
        return tokens
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") || byte == UInt8(ascii: "+")
            || byte == UInt8(ascii: "-")
    }

    /// The end of the value starting at token `index` (a scalar, or an object/array with its close).
    static func valueEnd(_ tokens: [Token], from index: Int) -> (endToken: Int, endByte: Int) {
        guard tokens[index].kind == .open else { return (index, tokens[index].end) }
        var depth = 0
        var cursor = index
        while cursor < tokens.count {
            if tokens[cursor].kind == .open { depth += 1 }
            if tokens[cursor].kind == .close {
                depth -= 1
                if depth == 0 { return (cursor, tokens[cursor].end) }
            }
            cursor += 1
        }
        return (tokens.count - 1, tokens[tokens.count - 1].end)
    }

    public mutating func mutateJSON(_ input: [UInt8]) -> [UInt8] {
        let tokens = Self.tokens(input)
        guard !tokens.isEmpty else { return mutateBytes(input) }
        var bytes = input
        let values = tokens.indices.filter { tokens[$0].kind != .key && tokens[$0].kind != .close }
        let keys = tokens.indices.filter { tokens[$0].kind == .key }
        switch random.next() % 12 {
        case 10, 11: // every number at once becomes the same hostile one (reaches each numeric field)
            let numbers = tokens.filter { $0.kind == .number }
            guard !numbers.isEmpty else { return mutateBytes(input) }
            let replacement = Array(pick(Self.hostileNumbers).utf8)
            for token in numbers.reversed() { bytes.replaceSubrange(token.start..<token.end, with: replacement) }
        case 0, 1, 2: // a number or literal becomes something hostile
            let scalars = tokens.filter { $0.kind == .number || $0.kind == .literal }
            guard let token = scalars.isEmpty ? nil : pick(scalars) else { return mutateBytes(input) }
            bytes.replaceSubrange(token.start..<token.end, with: Array(pick(Self.jsonReplacements).utf8))
        case 3, 4: // a string value becomes something hostile
            let strings = tokens.filter { $0.kind == .string }
            guard !strings.isEmpty else { return mutateBytes(input) }
            let token = pick(strings)
            bytes.replaceSubrange(token.start..<token.end, with: Array(hostileJSONString().utf8))
        case 5: // drop a key and its value
            guard !keys.isEmpty else { return mutateBytes(input) }
            let keyIndex = pick(keys)
            guard keyIndex + 1 < tokens.count else { return mutateBytes(input) }
            let end = Self.valueEnd(tokens, from: keyIndex + 1).endByte
            var start = tokens[keyIndex].start
            var stop = end
            // Take the comma after the pair, or else the one before it, so the rest stays valid JSON.
            var after = stop
            while after < bytes.count, bytes[after] == 0x20 || bytes[after] == 0x0A || bytes[after] == 0x0D
                || bytes[after] == 0x09 { after += 1 }
            if after < bytes.count, bytes[after] == UInt8(ascii: ",") { stop = after + 1 } else {
                var before = start - 1
                while before >= 0, bytes[before] == 0x20 || bytes[before] == 0x0A || bytes[before] == 0x0D
                    || bytes[before] == 0x09 { before -= 1 }
                if before >= 0, bytes[before] == UInt8(ascii: ",") { start = before }
            }
            bytes.removeSubrange(start..<stop)
        case 6: // a value nested deep in arrays (or objects)
            guard !values.isEmpty else { return mutateBytes(input) }
            let index = pick(values)
            let end = Self.valueEnd(tokens, from: index).endByte
            let depth = [2, 16, 100, 600, 3000][below(5)]
            let inner = Array(bytes[tokens[index].start..<end])
            let asObjects = random.next() % 2 == 0
            let open = Array((asObjects ? "{\"k\":" : "[").utf8), close = Array((asObjects ? "}" : "]").utf8)
            var nested: [UInt8] = []
            for _ in 0..<depth { nested += open }
            nested += inner
            for _ in 0..<depth { nested += close }
            bytes.replaceSubrange(tokens[index].start..<end, with: nested)
        case 7: // a value replaced by another value of the document (type confusion)
            guard values.count > 1 else { return mutateBytes(input) }
            let target = pick(values), source = pick(values)
            let targetEnd = Self.valueEnd(tokens, from: target).endByte
            let sourceEnd = Self.valueEnd(tokens, from: source).endByte
            let piece = Array(bytes[tokens[source].start..<sourceEnd])
            bytes.replaceSubrange(tokens[target].start..<targetEnd, with: piece)
        case 8: // a key and value duplicated (or an array element repeated many times)
            guard !keys.isEmpty else { return mutateBytes(input) }
            let keyIndex = pick(keys)
            guard keyIndex + 1 < tokens.count else { return mutateBytes(input) }
            let end = Self.valueEnd(tokens, from: keyIndex + 1).endByte
            let pair = Array(bytes[tokens[keyIndex].start..<end])
            let copies = random.next() % 4 == 0 ? 200 : 1
            var inserted: [UInt8] = []
            for _ in 0..<copies { inserted += pair + Array(",".utf8) }
            bytes.insert(contentsOf: inserted, at: tokens[keyIndex].start)
        default: // a key renamed (to a near miss, a control character, or nothing)
            guard !keys.isEmpty else { return mutateBytes(input) }
            let token = tokens[pick(keys)]
            let names = ["\"\"", "\"\\u001b\"", "\"id \"", "\"ID\"", "\"\\u0000id\"", hostileJSONString()]
            bytes.replaceSubrange(token.start..<token.end, with: Array(pick(names).utf8))
        }
        return bytes
    }

    private mutating func hostileJSONString() -> String {
        switch random.next() % 6 {
        case 0: return "\"" + String(repeating: "x", count: [100, 5000, 70000][below(3)]) + "\""
        case 1: return "\"" + String(repeating: "\\u001b[1;31m\\u0007", count: 1 + below(20)) + "\""
        case 2: return "\"\\u0000\\u0001\\u007f\\u0085\\u2028\\u202e\\ufeff\""
        default: return pick(Self.jsonReplacements)
        }
    }

    // MARK: YAML

    public mutating func mutateYAML(_ input: [UInt8]) -> [UInt8] {
        var lines = String(decoding: input, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        guard !lines.isEmpty else { return mutateBytes(input) }
        let index = below(lines.count)
        var line = lines[index]
        switch random.next() % 8 {
        case 0, 1, 2: // the value after "key:" (or "- ") becomes something hostile
            if let colon = line.firstIndex(of: ":") {
                line = String(line[...colon]) + " " + pick(Self.yamlReplacements)
            } else if let dash = line.firstIndex(of: "-") {
                line = String(line[...dash]) + " " + pick(Self.yamlReplacements)
            } else {
                line += pick(Self.yamlReplacements)
            }
        case 3: // indentation broken: a tab, one space more or less
            switch random.next() % 3 {
            case 0: line = "\t" + line
            case 1: line = " " + line
            default: if line.first == " " { line.removeFirst() }
            }
        case 4: // a line repeated (duplicate keys), or repeated many times
            let copies = random.next() % 4 == 0 ? 300 : 1
            lines.insert(contentsOf: Array(repeating: line, count: copies), at: index)
        case 5: // a line dropped
            lines.remove(at: index)
            return Array(lines.joined(separator: "\n").utf8)
        case 6: // a value nested deep in flow collections
            let depth = [3, 40, 70, 500, 5000][below(5)]
            let open = random.next() % 2 == 0 ? "[" : "{a: "
            let close = open == "[" ? "]" : "}"
            let nested = String(repeating: open, count: depth) + "x" + String(repeating: close, count: depth)
            if let colon = line.firstIndex(of: ":") { line = String(line[...colon]) + " " + nested } else { line += nested }
        default: // a key renamed
            if let colon = line.firstIndex(of: ":") {
                let indent = line.prefix { $0 == " " }
                let names = ["\"\\e\"", "\"\"", "x", "ROLES", "roles ", "\"key\\x00\"", "? [a, b]", "'a: b'", "-"]
                line = String(indent) + pick(names) + String(line[colon...])
            }
        }
        lines[index] = line
        return Array(lines.joined(separator: "\n").utf8)
    }

    // MARK: XML

    public mutating func mutateXML(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        let quotes = bytes.indices.filter { bytes[$0] == UInt8(ascii: "'") || bytes[$0] == UInt8(ascii: "\"") }
        let opens = bytes.indices.filter { bytes[$0] == UInt8(ascii: "<") }
        switch random.next() % 7 {
        case 0, 1, 2: // an attribute value or text becomes something hostile
            if random.next() % 2 == 0, quotes.count >= 2 {
                let pair = below(quotes.count / 2) * 2
                let start = quotes[pair] + 1, end = quotes[pair + 1]
                guard start <= end else { return mutateBytes(input) }
                bytes.replaceSubrange(start..<end, with: Array(pick(Self.xmlReplacements).utf8))
            } else {
                let closes = bytes.indices.filter { bytes[$0] == UInt8(ascii: ">") }
                guard let gt = closes.isEmpty ? nil : pick(closes) else { return mutateBytes(input) }
                var end = gt + 1
                while end < bytes.count, bytes[end] != UInt8(ascii: "<") { end += 1 }
                bytes.replaceSubrange((gt + 1)..<end, with: Array(pick(Self.xmlReplacements).utf8))
            }
        case 3: // an element duplicated, or repeated many times
            guard opens.count >= 2 else { return mutateBytes(input) }
            let first = below(opens.count - 1)
            let last = first + 1 + below(min(8, opens.count - first - 1))
            let piece = Array(bytes[opens[first]..<opens[last]])
            let copies = random.next() % 4 == 0 ? 200 : 1
            for _ in 0..<copies { bytes.insert(contentsOf: piece, at: opens[first]) }
        case 4: // a tag dropped
            guard let lt = opens.isEmpty ? nil : pick(opens) else { return mutateBytes(input) }
            var end = lt + 1
            while end < bytes.count, bytes[end] != UInt8(ascii: ">") { end += 1 }
            bytes.removeSubrange(lt..<min(end + 1, bytes.count))
        case 5: // deep nesting
            guard let lt = opens.isEmpty ? nil : pick(opens) else { return mutateBytes(input) }
            let depth = [10, 300, 3000][below(3)]
            let nested = String(repeating: "<devices>", count: depth) + String(repeating: "</devices>", count: depth)
            bytes.insert(contentsOf: Array(nested.utf8), at: lt)
        default: // an entity, comment, CDATA or DOCTYPE fragment where it should not be
            let fragments = ["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE x [", "<?pi", "?>", "&#x", "</>", "<a", "/>"]
            bytes.insert(contentsOf: Array(pick(fragments).utf8), at: below(bytes.count + 1))
        }
        return bytes
    }

    // MARK: Choices

    public mutating func below(_ bound: Int) -> Int {
        bound <= 1 ? 0 : Int(random.next() % UInt64(bound))
    }

    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }

    /// A non-empty span inside `count` bytes, at most 64 long.
    private mutating func span(in count: Int) -> (Int, Int) {
        let start = below(count)
        return (start, min(count, start + 1 + below(64)))
    }
}

extension Fuzz {
    /// Runs `body` on `count` inputs: the seeds in turn, each mutated as `format` by a mutator started from
    /// `seed`, and traced (`trace`) before it is tried.
    public static func eachMutation(of seeds: [[UInt8]], seed: UInt64, count: Int, as format: FuzzFormat,
                                    _ body: ([UInt8]) throws -> Void) rethrows {
        var mutator = Mutator(seed: seed)
        for index in 0..<count {
            let input = mutator.mutate(seeds[index % seeds.count], as: format)
            trace(input)
            try body(input)
        }
    }

    /// Fails the test unless `refusal`, what `refuser` said of `input`, is one sentence (`sentenceProblem`).
    public static func assertSentence(_ refusal: String, refusedBy refuser: String, input: [UInt8],
                                      file: StaticString = #filePath, line: UInt = #line) {
        if let problem = sentenceProblem(refusal) {
            XCTFail("\(refuser) refused an input, but \(problem): \(refusal)\ninput: \(describe(input))",
                    file: file, line: line)
        }
    }
}

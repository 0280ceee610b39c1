import FoundationEssentials

/// A compact binary form for the cache's instance chunks: values in the order `Codable` visits them,
/// strings as length and UTF-8, integers as variable-length numbers, no key names.
///
/// Why: decoding 10,000 cached instances from JSON took most of a warm start at 10,000 rows (parsing
/// text and matching every field's key by name); read by position the same values decode several
/// times faster from a blob about half the size. Order is all it relies on, which synthesized
/// `Codable` keeps (encode and decode visit stored properties in declaration order); every keyed field
/// carries a two-byte check of its key's name and a present/absent mark, so a model whose fields changed
/// since the blob was written fails to decode (and the cache reads as absent) instead of decoding into
/// the wrong fields.
enum PositionalCoder {
    struct Mismatch: Error, CustomStringConvertible {
        var description: String
    }

    static func encode<Value: Encodable>(_ value: Value) throws -> [UInt8] {
        let sink = ByteSink()
        try value.encode(to: PositionalEncoder(sink: sink))
        if let unsupported = sink.unsupported { throw Mismatch(description: unsupported) }
        return sink.bytes
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from bytes: ArraySlice<UInt8>) throws -> Value {
        let source = ByteSource(bytes)
        let value = try Value(from: PositionalDecoder(source: source))
        guard source.isAtEnd else { throw Mismatch(description: "bytes were left over after the value") }
        return value
    }

    /// Two bytes that tell one key's name from another's (FNV-1a, folded).
    static func check(_ key: some CodingKey) -> UInt16 {
        var hash: UInt32 = 2_166_136_261
        for byte in key.stringValue.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        return UInt16(truncatingIfNeeded: hash ^ (hash >> 16))
    }
}

// MARK: - Bytes

/// The growing output; one per encode, shared by every container of it.
private final class ByteSink {
    var bytes: [UInt8] = []
    /// Why the value cannot be written by position (found where no error can be thrown).
    var unsupported: String?

    func number(_ value: UInt64) {
        var value = value
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    func signed(_ value: Int64) { number(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

    func string(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            number(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    func check(_ key: some CodingKey) {
        let check = PositionalCoder.check(key)
        bytes.append(UInt8(check >> 8))
        bytes.append(UInt8(check & 0xff))
    }
}

/// The input, read front to back; every read is bounds-checked (a cache file is outside input too).
private final class ByteSource {
    let bytes: ArraySlice<UInt8>
    var at: Int

    init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        at = bytes.startIndex
    }

    var isAtEnd: Bool { at >= bytes.endIndex }

    func byte() throws -> UInt8 {
        guard at < bytes.endIndex else { throw PositionalCoder.Mismatch(description: "the value ends early") }
        defer { at += 1 }
        return bytes[at]
    }

    func number() throws -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while true {
            let byte = try byte()
            guard shift < 64 else { throw PositionalCoder.Mismatch(description: "a number is too long") }
            value |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return value }
            shift += 7
        }
    }

    func signed() throws -> Int64 {
        let raw = try number()
        return Int64(bitPattern: raw >> 1) ^ -Int64(bitPattern: raw & 1)
    }

    func string() throws -> String {
        let count = try number()
        guard count <= UInt64(bytes.endIndex - at) else { throw PositionalCoder.Mismatch(description: "a string runs past the end") }
        let end = at + Int(count)
        defer { at = end }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }

    func check(_ key: some CodingKey) throws {
        let found = UInt16(try byte()) << 8 | UInt16(try byte())
        guard found == PositionalCoder.check(key) else {
            throw PositionalCoder.Mismatch(description: "the field \(key.stringValue) is not where it was written")
        }
    }
}

// MARK: - Encoding

private struct PositionalEncoder: Encoder {
    let sink: ByteSink
    var codingPath: [any CodingKey] = []
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        // A dictionary's keys are data, not fields: read back by position they would need `allKeys`, which
        // this form does not keep. Refused, so a model that gains one fails its round-trip test.
        if "\(Key.self)".contains("DictionaryCodingKey") {
            sink.unsupported = "dictionaries cannot be written by position; keep them out of cached instances"
        }
        return KeyedEncodingContainer(KeyedPositionalEncoder<Key>(sink: sink))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer { UnkeyedPositionalEncoder(sink: sink) }
    func singleValueContainer() -> any SingleValueEncodingContainer { SinglePositionalEncoder(sink: sink) }
}

/// Writes one value of any kind the containers meet.
private protocol PositionalWriting {
    var sink: ByteSink { get }
}

extension PositionalWriting {
    func write(_ value: Bool) { sink.bytes.append(value ? 1 : 0) }
    func write(_ value: String) { sink.string(value) }
    func write(_ value: Double) { sink.number(value.bitPattern) }
    func write(_ value: Float) { sink.number(UInt64(value.bitPattern)) }
    func write(_ value: some FixedWidthInteger & SignedInteger) { sink.signed(Int64(value)) }
    func write(_ value: some FixedWidthInteger & UnsignedInteger) { sink.number(UInt64(value)) }
    func write(_ value: some Encodable) throws { try value.encode(to: PositionalEncoder(sink: sink)) }
}

private struct SinglePositionalEncoder: SingleValueEncodingContainer, PositionalWriting {
    let sink: ByteSink
    var codingPath: [any CodingKey] { [] }
    mutating func encodeNil() throws { throw PositionalCoder.Mismatch(description: "a bare nil has no place here") }
    mutating func encode(_ value: Bool) throws { write(value) }
    mutating func encode(_ value: String) throws { write(value) }
    mutating func encode(_ value: Double) throws { write(value) }
    mutating func encode(_ value: Float) throws { write(value) }
    mutating func encode(_ value: Int) throws { write(value) }
    mutating func encode(_ value: Int8) throws { write(value) }
    mutating func encode(_ value: Int16) throws { write(value) }
    mutating func encode(_ value: Int32) throws { write(value) }
    mutating func encode(_ value: Int64) throws { write(value) }
    mutating func encode(_ value: UInt) throws { write(value) }
    mutating func encode(_ value: UInt8) throws { write(value) }
    mutating func encode(_ value: UInt16) throws { write(value) }
    mutating func encode(_ value: UInt32) throws { write(value) }
    mutating func encode(_ value: UInt64) throws { write(value) }
    mutating func encode<T: Encodable>(_ value: T) throws { try write(value) }
}

/// A list: its element count first (patched as elements are added, since the container is not told
/// the count up front), then the elements.
private struct UnkeyedPositionalEncoder: UnkeyedEncodingContainer, PositionalWriting {
    let sink: ByteSink
    private let countAt: Int
    private(set) var count = 0
    var codingPath: [any CodingKey] { [] }

    init(sink: ByteSink) {
        self.sink = sink
        countAt = sink.bytes.count
        sink.bytes.append(contentsOf: [0, 0, 0, 0])
    }

    private mutating func added() {
        count += 1
        withUnsafeBytes(of: UInt32(count).littleEndian) { raw in
            for offset in 0..<4 { sink.bytes[countAt + offset] = raw[offset] }
        }
    }

    mutating func encodeNil() throws { throw PositionalCoder.Mismatch(description: "lists of optionals are not cached") }
    mutating func encode(_ value: Bool) throws { write(value); added() }
    mutating func encode(_ value: String) throws { write(value); added() }
    mutating func encode(_ value: Double) throws { write(value); added() }
    mutating func encode(_ value: Float) throws { write(value); added() }
    mutating func encode(_ value: Int) throws { write(value); added() }
    mutating func encode(_ value: Int8) throws { write(value); added() }
    mutating func encode(_ value: Int16) throws { write(value); added() }
    mutating func encode(_ value: Int32) throws { write(value); added() }
    mutating func encode(_ value: Int64) throws { write(value); added() }
    mutating func encode(_ value: UInt) throws { write(value); added() }
    mutating func encode(_ value: UInt8) throws { write(value); added() }
    mutating func encode(_ value: UInt16) throws { write(value); added() }
    mutating func encode(_ value: UInt32) throws { write(value); added() }
    mutating func encode(_ value: UInt64) throws { write(value); added() }
    mutating func encode<T: Encodable>(_ value: T) throws { try write(value); added() }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        added()
        return KeyedEncodingContainer(KeyedPositionalEncoder<NestedKey>(sink: sink))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        added()
        return UnkeyedPositionalEncoder(sink: sink)
    }

    mutating func superEncoder() -> any Encoder { added(); return PositionalEncoder(sink: sink) }
}

/// A record: per field its key check and a present (1) or absent (0) mark, then the value if present.
private struct KeyedPositionalEncoder<Key: CodingKey>: KeyedEncodingContainerProtocol, PositionalWriting {
    let sink: ByteSink
    var codingPath: [any CodingKey] { [] }

    private func field(_ key: Key, present: Bool) {
        sink.check(key)
        sink.bytes.append(present ? 1 : 0)
    }

    mutating func encodeNil(forKey key: Key) throws { field(key, present: false) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: String, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Double, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Float, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Int, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { field(key, present: true); write(value) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws { field(key, present: true); try write(value) }

    // Absent optionals are written as absent (the default skips them, which would shift every later field).
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Float?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt8?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt16?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt32?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent(_ value: UInt64?, forKey key: Key) throws { try optional(value, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws { try optional(value, key) }

    private mutating func optional<T: Encodable>(_ value: T?, _ key: Key) throws {
        if let value { try encode(value, forKey: key) } else { field(key, present: false) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        field(key, present: true)
        return KeyedEncodingContainer(KeyedPositionalEncoder<NestedKey>(sink: sink))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        field(key, present: true)
        return UnkeyedPositionalEncoder(sink: sink)
    }

    mutating func superEncoder() -> any Encoder { PositionalEncoder(sink: sink) }
    mutating func superEncoder(forKey key: Key) -> any Encoder { field(key, present: true); return PositionalEncoder(sink: sink) }
}

// MARK: - Decoding

private struct PositionalDecoder: Decoder {
    let source: ByteSource
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(KeyedPositionalDecoder<Key>(source: source))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer { try UnkeyedPositionalDecoder(source: source) }
    func singleValueContainer() throws -> any SingleValueDecodingContainer { SinglePositionalDecoder(source: source) }
}

private protocol PositionalReading {
    var source: ByteSource { get }
}

extension PositionalReading {
    func read(_ type: Bool.Type) throws -> Bool {
        switch try source.byte() {
        case 0: return false
        case 1: return true
        default: throw PositionalCoder.Mismatch(description: "a flag is neither true nor false")
        }
    }

    func read(_ type: String.Type) throws -> String { try source.string() }
    func read(_ type: Double.Type) throws -> Double { Double(bitPattern: try source.number()) }
    func read(_ type: Float.Type) throws -> Float {
        guard let bits = UInt32(exactly: try source.number()) else { throw PositionalCoder.Mismatch(description: "a float is out of range") }
        return Float(bitPattern: bits)
    }

    func read<T: FixedWidthInteger & SignedInteger>(_ type: T.Type) throws -> T {
        guard let value = T(exactly: try source.signed()) else { throw PositionalCoder.Mismatch(description: "a number is out of range") }
        return value
    }

    func read<T: FixedWidthInteger & UnsignedInteger>(_ type: T.Type) throws -> T {
        guard let value = T(exactly: try source.number()) else { throw PositionalCoder.Mismatch(description: "a number is out of range") }
        return value
    }

    func read<T: Decodable>(_ type: T.Type) throws -> T { try T(from: PositionalDecoder(source: source)) }
}

private struct SinglePositionalDecoder: SingleValueDecodingContainer, PositionalReading {
    let source: ByteSource
    var codingPath: [any CodingKey] { [] }
    func decodeNil() -> Bool { false }
    func decode(_ type: Bool.Type) throws -> Bool { try read(type) }
    func decode(_ type: String.Type) throws -> String { try read(type) }
    func decode(_ type: Double.Type) throws -> Double { try read(type) }
    func decode(_ type: Float.Type) throws -> Float { try read(type) }
    func decode(_ type: Int.Type) throws -> Int { try read(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try read(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try read(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try read(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try read(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try read(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try read(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try read(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try read(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try read(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try read(type) }
}

private struct UnkeyedPositionalDecoder: UnkeyedDecodingContainer, PositionalReading {
    let source: ByteSource
    let count: Int?
    private(set) var currentIndex = 0
    var codingPath: [any CodingKey] { [] }
    var isAtEnd: Bool { currentIndex >= count ?? 0 }

    init(source: ByteSource) throws {
        self.source = source
        var raw: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { raw |= UInt32(try source.byte()) << UInt32(shift) }
        guard raw <= UInt32(source.bytes.endIndex - source.at) else {
            throw PositionalCoder.Mismatch(description: "a list is longer than the data")
        }
        count = Int(raw)
    }

    private mutating func advance() throws {
        guard !isAtEnd else { throw PositionalCoder.Mismatch(description: "a list has fewer elements than read") }
        currentIndex += 1
    }

    mutating func decodeNil() throws -> Bool { false }
    mutating func decode(_ type: Bool.Type) throws -> Bool { try advance(); return try read(type) }
    mutating func decode(_ type: String.Type) throws -> String { try advance(); return try read(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try advance(); return try read(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try advance(); return try read(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try advance(); return try read(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try advance(); return try read(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try advance(); return try read(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try advance(); return try read(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try advance(); return try read(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try advance(); return try read(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try advance(); return try read(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try advance(); return try read(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try advance(); return try read(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try advance(); return try read(type) }
    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try advance(); return try read(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try advance()
        return KeyedDecodingContainer(KeyedPositionalDecoder<NestedKey>(source: source))
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try advance()
        return try UnkeyedPositionalDecoder(source: source)
    }

    mutating func superDecoder() throws -> any Decoder {
        try advance()
        return PositionalDecoder(source: source)
    }
}

private struct KeyedPositionalDecoder<Key: CodingKey>: KeyedDecodingContainerProtocol, PositionalReading {
    let source: ByteSource
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { [] }

    /// Reads the field's check and mark; true when a value follows.
    private func field(_ key: Key) throws -> Bool {
        try source.check(key)
        switch try source.byte() {
        case 0: return false
        case 1: return true
        default: throw PositionalCoder.Mismatch(description: "the field \(key.stringValue) has no present/absent mark")
        }
    }

    private func required<T>(_ key: Key, _ body: () throws -> T) throws -> T {
        guard try field(key) else { throw PositionalCoder.Mismatch(description: "the field \(key.stringValue) is absent") }
        return try body()
    }

    private func optional<T>(_ key: Key, _ body: () throws -> T) throws -> T? {
        try field(key) ? try body() : nil
    }

    /// Order is the whole format: whether a key is there is only known by reading it, in turn.
    func contains(_ key: Key) -> Bool { true }
    func decodeNil(forKey key: Key) throws -> Bool { !(try field(key)) }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(key) { try read(type) } }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(key) { try read(type) } }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(key) { try read(type) } }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(key) { try read(type) } }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(key) { try read(type) } }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(key) { try read(type) } }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(key) { try read(type) } }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(key) { try read(type) } }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(key) { try read(type) } }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(key) { try read(type) } }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(key) { try read(type) } }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(key) { try read(type) } }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(key) { try read(type) } }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(key) { try read(type) } }
    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T { try required(key) { try read(type) } }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Int8.Type, forKey key: Key) throws -> Int8? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Int16.Type, forKey key: Key) throws -> Int16? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Int32.Type, forKey key: Key) throws -> Int32? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: UInt.Type, forKey key: Key) throws -> UInt? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: UInt8.Type, forKey key: Key) throws -> UInt8? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: UInt16.Type, forKey key: Key) throws -> UInt16? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: UInt32.Type, forKey key: Key) throws -> UInt32? { try optional(key) { try read(type) } }
    func decodeIfPresent(_ type: UInt64.Type, forKey key: Key) throws -> UInt64? { try optional(key) { try read(type) } }
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? { try optional(key) { try read(type) } }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try required(key) { KeyedDecodingContainer(KeyedPositionalDecoder<NestedKey>(source: source)) }
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try required(key) { try UnkeyedPositionalDecoder(source: source) }
    }

    func superDecoder() throws -> any Decoder { PositionalDecoder(source: source) }
    func superDecoder(forKey key: Key) throws -> any Decoder { try required(key) { PositionalDecoder(source: source) } }
}

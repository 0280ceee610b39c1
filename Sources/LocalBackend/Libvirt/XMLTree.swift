/// A small non-validating XML reader over UTF-8 bytes. FoundationXML is avoided on purpose: it
/// pulls libxml2 and Foundation's start-up cost into a program that must paint its first frame fast.
/// DTDs are skipped, not interpreted; comments and processing instructions are ignored.
public enum XMLTree {
    public static func parse(_ text: String) throws(ParseError) -> Element {
        var copy = text
        let result = copy.withUTF8 { bytes in Result { () throws(ParseError) in try parse(bytes) } }
        return try result.get()
    }

    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(ParseError) -> Element {
        var parser = XMLByteParser(bytes: bytes)
        return try parser.document()
    }
}

extension XMLTree {
    /// One element of a parsed XML document: just what reading libvirt's XML needs.
    /// Namespaced names are kept as written ("test:runstate").
    public struct Element: Sendable, Equatable {
        public var name: String
        public var attributes: [Attribute]
        public var children: [Element]
        /// The element's own character data (entities decoded, CDATA included), without its children's.
        /// Whitespace that only separates child elements is dropped.
        public var text: String

        public init(name: String, attributes: [Attribute] = [], children: [Element] = [],
                    text: String = "") {
            self.name = name; self.attributes = attributes; self.children = children; self.text = text
        }

        public subscript(attribute name: String) -> String? {
            for attribute in attributes where attribute.name == name { return attribute.value }
            return nil
        }

        /// The first child element with this name.
        public func child(_ name: String) -> Element? {
            for element in children where element.name == name { return element }
            return nil
        }

        /// The first element reached by following child names, e.g. `first("target", "path")`.
        public func first(_ path: String...) -> Element? {
            var current = self
            for name in path {
                guard let next = current.child(name) else { return nil }
                current = next
            }
            return current
        }

        public func children(named name: String) -> [Element] {
            children.filter { $0.name == name }
        }

        public var trimmedText: String {
            var scalars = Substring(text)
            while let first = scalars.first, first.isWhitespace { scalars.removeFirst() }
            while let last = scalars.last, last.isWhitespace { scalars.removeLast() }
            return String(scalars)
        }
    }

    public struct Attribute: Sendable, Equatable {
        public var name: String
        public var value: String

        public init(name: String, value: String) { self.name = name; self.value = value }
    }

    /// Why a document could not be read, with the line it happened on.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var reason: String
        public var line: Int

        public var description: String { "\(reason) on line \(line)" }
    }
}

private enum Byte {
    static let lt = UInt8(ascii: "<"), gt = UInt8(ascii: ">"), amp = UInt8(ascii: "&")
    static let slash = UInt8(ascii: "/"), question = UInt8(ascii: "?"), bang = UInt8(ascii: "!")
    static let equals = UInt8(ascii: "="), quote = UInt8(ascii: "\""), apostrophe = UInt8(ascii: "'")
    static let semicolon = UInt8(ascii: ";"), dash = UInt8(ascii: "-"), hash = UInt8(ascii: "#")
    static let openBracket = UInt8(ascii: "["), closeBracket = UInt8(ascii: "]")
    static let newline = UInt8(ascii: "\n")

    @inline(__always) static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D
    }

    @inline(__always) static func endsName(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == gt || byte == slash || byte == equals
    }
}

private struct XMLByteParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var position = 0
    /// Text of every open element, back to back; each open element remembers where its part starts.
    var textScratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
        textScratch.reserveCapacity(256)
    }

    struct OpenElement {
        var element: XMLTree.Element
        var textStart: Int
    }

    mutating func document() throws(XMLTree.ParseError) -> XMLTree.Element {
        try skipMisc()
        guard position < bytes.count else { throw failure("the document is empty: no root element") }
        guard bytes[position] == Byte.lt else { throw failure("text found before the root element") }
        let root = try element()
        try skipMisc()
        if position < bytes.count {
            throw failure("unexpected content after the root element </\(root.name)>")
        }
        return root
    }

    /// Skips whitespace, comments, processing instructions and DOCTYPE outside the root element.
    mutating func skipMisc() throws(XMLTree.ParseError) {
        while position < bytes.count {
            let byte = bytes[position]
            if Byte.isSpace(byte) { position += 1; continue }
            guard byte == Byte.lt, position + 1 < bytes.count else { return }
            let next = bytes[position + 1]
            if next == Byte.question {
                try skipProcessingInstruction()
            } else if next == Byte.bang {
                if hasPrefix("<!--") { try skipComment() } else { try skipDoctype() }
            } else {
                return
            }
        }
    }

    /// Parses one element starting at `<` with an explicit stack, so deep nesting cannot overflow
    /// the call stack.
    mutating func element() throws(XMLTree.ParseError) -> XMLTree.Element {
        var stack: [OpenElement] = []
        stack.reserveCapacity(16)
        let (root, rootIsEmpty) = try startTag()
        stack.append(OpenElement(element: root, textStart: textScratch.count))
        if rootIsEmpty { return finish(stack.removeLast()) }

        while true {
            guard position < bytes.count else {
                let name = stack[stack.count - 1].element.name
                throw failure("the document ends inside <\(name)>, which is never closed")
            }
            if bytes[position] != Byte.lt {
                try text()
                continue
            }
            guard position + 1 < bytes.count else { throw failure("the document ends inside a tag") }
            switch bytes[position + 1] {
            case Byte.slash:
                let open = stack.removeLast()
                try endTag(expected: open.element.name)
                let done = finish(open)
                if stack.isEmpty { return done }
                stack[stack.count - 1].element.children.append(done)
            case Byte.question:
                try skipProcessingInstruction()
            case Byte.bang:
                if hasPrefix("<!--") {
                    try skipComment()
                } else if hasPrefix("<![CDATA[") {
                    try cdata()
                } else {
                    throw failure("unexpected \"<!\" inside <\(stack[stack.count - 1].element.name)>")
                }
            default:
                let (child, isEmpty) = try startTag()
                if isEmpty {
                    stack[stack.count - 1].element.children.append(child)
                } else {
                    stack.append(OpenElement(element: child, textStart: textScratch.count))
                }
            }
        }
    }

    mutating func finish(_ open: OpenElement) -> XMLTree.Element {
        var element = open.element
        let start = open.textStart
        if start < textScratch.count {
            let own = textScratch[start...]
            let onlySpace = !element.children.isEmpty && own.allSatisfy(Byte.isSpace)
            if !onlySpace { element.text = String(decoding: own, as: UTF8.self) }
            textScratch.removeSubrange(start...)
        }
        return element
    }

    /// Reads `<name attr="v"...>` or `<name .../>`; `isEmpty` is true for the latter.
    mutating func startTag() throws(XMLTree.ParseError) -> (element: XMLTree.Element, isEmpty: Bool) {
        position += 1 // "<"
        let name = try readName(what: "an element name")
        var attributes: [XMLTree.Attribute] = []
        while true {
            skipSpace()
            guard position < bytes.count else { throw failure("the document ends inside the tag <\(name)>") }
            let byte = bytes[position]
            if byte == Byte.gt {
                position += 1
                return (XMLTree.Element(name: name, attributes: attributes), false)
            }
            if byte == Byte.slash {
                guard position + 1 < bytes.count, bytes[position + 1] == Byte.gt else {
                    throw failure("expected \"/>\" to close the tag <\(name)>")
                }
                position += 2
                return (XMLTree.Element(name: name, attributes: attributes), true)
            }
            let attributeName = try readName(what: "an attribute name in <\(name)>")
            skipSpace()
            guard position < bytes.count, bytes[position] == Byte.equals else {
                throw failure("attribute \(attributeName) of <\(name)> has no \"=\" and value")
            }
            position += 1
            skipSpace()
            guard position < bytes.count, bytes[position] == Byte.quote || bytes[position] == Byte.apostrophe else {
                throw failure("the value of attribute \(attributeName) of <\(name)> is not quoted")
            }
            let quote = bytes[position]
            position += 1
            let value = try readAttributeValue(quote: quote, attribute: attributeName, element: name)
            attributes.append(XMLTree.Attribute(name: attributeName, value: value))
        }
    }

    mutating func endTag(expected: String) throws(XMLTree.ParseError) {
        position += 2 // "</"
        let name = try readName(what: "the name of a closing tag")
        skipSpace()
        guard position < bytes.count, bytes[position] == Byte.gt else {
            throw failure("the closing tag </\(name)> is not terminated by \">\"")
        }
        guard name == expected else {
            throw failure("the closing tag </\(name)> does not match the open element <\(expected)>")
        }
        position += 1
    }

    mutating func readName(what: @autoclosure () -> String) throws(XMLTree.ParseError) -> String {
        let start = position
        while position < bytes.count, !Byte.endsName(bytes[position]), bytes[position] != Byte.lt {
            position += 1
        }
        guard position > start else { throw failure("expected \(what())") }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    mutating func readAttributeValue(quote: UInt8, attribute: String,
                                     element: String) throws(XMLTree.ParseError) -> String {
        let start = position
        var hasEntity = false
        while position < bytes.count, bytes[position] != quote {
            let byte = bytes[position]
            if byte == Byte.amp { hasEntity = true }
            if byte == Byte.lt { throw failure("attribute \(attribute) of <\(element)> contains a raw \"<\"") }
            position += 1
        }
        guard position < bytes.count else {
            throw failure("the value of attribute \(attribute) of <\(element)> is never closed")
        }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        position += 1
        guard hasEntity else { return String(decoding: raw, as: UTF8.self) }
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var index = 0
        while index < raw.count {
            if raw[index] == Byte.amp {
                index = try decodeEntity(in: raw, at: index, baseOffset: start, into: &decoded)
            } else {
                decoded.append(raw[index])
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Appends character data up to the next `<` to the scratch buffer.
    mutating func text() throws(XMLTree.ParseError) {
        let start = position
        while position < bytes.count, bytes[position] != Byte.lt { position += 1 }
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<position])
        var index = 0
        while index < raw.count {
            if raw[index] == Byte.amp {
                index = try decodeEntity(in: raw, at: index, baseOffset: start, into: &textScratch)
            } else {
                // Copy the run up to the next entity in one go.
                var end = index + 1
                while end < raw.count, raw[end] != Byte.amp { end += 1 }
                textScratch.append(contentsOf: UnsafeBufferPointer(rebasing: raw[index..<end]))
                index = end
            }
        }
    }

    /// Decodes `&name;` or `&#N;`/`&#xH;` at `index`; returns the index after the `;`.
    func decodeEntity(in raw: UnsafeBufferPointer<UInt8>, at index: Int, baseOffset: Int,
                      into output: inout [UInt8]) throws(XMLTree.ParseError) -> Int {
        var end = index + 1
        while end < raw.count, raw[end] != Byte.semicolon, end - index < 12 { end += 1 }
        guard end < raw.count, raw[end] == Byte.semicolon else {
            throw failure("a \"&\" is not followed by an entity ending in \";\"", at: baseOffset + index)
        }
        let body = UnsafeBufferPointer(rebasing: raw[(index + 1)..<end])
        let name = String(decoding: body, as: UTF8.self)
        switch name {
        case "amp": output.append(Byte.amp)
        case "lt": output.append(Byte.lt)
        case "gt": output.append(Byte.gt)
        case "quot": output.append(Byte.quote)
        case "apos": output.append(Byte.apostrophe)
        default:
            guard body.first == Byte.hash else {
                throw failure("unknown entity &\(name);", at: baseOffset + index)
            }
            let digits = name.dropFirst()
            let value: UInt32? = digits.first == "x" || digits.first == "X"
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            guard let value, let scalar = Unicode.Scalar(value) else {
                throw failure("invalid character reference &\(name);", at: baseOffset + index)
            }
            output.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
        return end + 1
    }

    mutating func cdata() throws(XMLTree.ParseError) {
        position += 9 // "<![CDATA["
        let start = position
        guard let end = find("]]>") else { throw failure("a CDATA section is never closed", at: start) }
        textScratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<end]))
        position = end + 3
    }

    mutating func skipComment() throws(XMLTree.ParseError) {
        let start = position
        position += 4
        guard let end = find("-->") else { throw failure("a comment is never closed", at: start) }
        position = end + 3
    }

    mutating func skipProcessingInstruction() throws(XMLTree.ParseError) {
        let start = position
        guard let end = find("?>") else { throw failure("a processing instruction is never closed", at: start) }
        position = end + 2
    }

    /// Skips `<!DOCTYPE ...>` including an internal subset in brackets.
    mutating func skipDoctype() throws(XMLTree.ParseError) {
        let start = position
        var depth = 0
        position += 2
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            if byte == Byte.openBracket { depth += 1 }
            else if byte == Byte.closeBracket { depth -= 1 }
            else if byte == Byte.gt, depth <= 0 { return }
        }
        throw failure("a <!DOCTYPE> declaration is never closed", at: start)
    }

    mutating func skipSpace() {
        while position < bytes.count, Byte.isSpace(bytes[position]) { position += 1 }
    }

    func hasPrefix(_ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let start = prefix.utf8Start
        for offset in 0..<count where bytes[position + offset] != start[offset] { return false }
        return true
    }

    func find(_ marker: StaticString) -> Int? {
        let count = marker.utf8CodeUnitCount
        let start = marker.utf8Start
        var index = position
        while index + count <= bytes.count {
            if bytes[index] == start[0] {
                var matched = true
                for offset in 1..<count where bytes[index + offset] != start[offset] { matched = false; break }
                if matched { return index }
            }
            index += 1
        }
        return nil
    }

    func failure(_ reason: String, at offset: Int? = nil) -> XMLTree.ParseError {
        let end = min(offset ?? position, bytes.count)
        var line = 1
        for index in 0..<end where bytes[index] == Byte.newline { line += 1 }
        return XMLTree.ParseError(reason: reason, line: line)
    }
}

import CYAML

/// Reads YAML through libyaml's event API and builds a `YAMLNode` tree. Only what configuration
/// files need: mappings, sequences and scalars. Aliases are refused rather than expanded, which
/// also rules out "billion laughs" documents.
public enum YAML {
    /// The document's root node, or nil when the text holds no document (empty or only comments).
    public static func parse(_ text: String) throws -> YAMLNode? {
        let bytes = Array(text.utf8)
        if bytes.isEmpty { return nil }
        return try bytes.withUnsafeBufferPointer { buffer -> YAMLNode? in
            let parser = UnsafeMutablePointer<yaml_parser_t>.allocate(capacity: 1)
            defer { parser.deallocate() }
            guard yaml_parser_initialize(parser) == 1 else {
                throw YAMLError(line: 0, column: 0, problem: "the YAML parser could not start (the system is out of memory)")
            }
            defer { yaml_parser_delete(parser) }
            yaml_parser_set_input_string(parser, buffer.baseAddress, buffer.count)

            var builder = TreeBuilder()
            var event = yaml_event_t()
            while true {
                guard yaml_parser_parse(parser, &event) == 1 else {
                    throw error(from: parser.pointee, bytes: buffer)
                }
                defer { yaml_event_delete(&event) }
                if try builder.handle(event) { break }
            }
            return builder.root
        }
    }

    private static func error(from parser: yaml_parser_t, bytes: UnsafeBufferPointer<UInt8>) -> YAMLError {
        let problem = parser.problem.map { String(cString: $0) } ?? "the document could not be parsed"
        let context = parser.context.map { String(cString: $0) }
        let text = YAMLProblemText.sentence(problem: problem, context: context)
        switch parser.error {
        case YAML_READER_ERROR:
            // The reader reports a byte offset, not a mark.
            let (line, column) = position(ofOffset: parser.problem_offset, in: bytes)
            return YAMLError(line: line, column: column, problem: text)
        case YAML_SCANNER_ERROR where context != nil
            && (problem == "found unexpected end of stream" || problem == "could not find expected ':'"):
            // An unclosed quote or a key without ':' is noticed far away (at the end of the file,
            // or lines later); the useful position is where the unfinished thing started.
            return YAMLError(line: Int(parser.context_mark.line) + 1, column: Int(parser.context_mark.column) + 1,
                             problem: text)
        default:
            return YAMLError(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1,
                             problem: text)
        }
    }

    private static func position(ofOffset offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (Int, Int) {
        var line = 1, column = 1
        for byte in bytes.prefix(offset) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else { column += 1 }
        }
        return (line, column)
    }
}

/// Turns the flat event stream into a tree with an explicit stack (no recursion, so deep nesting
/// cannot overflow the Swift stack).
private struct TreeBuilder {
    private enum Frame {
        case sequence(line: Int, column: Int, items: [YAMLNode])
        case mapping(line: Int, column: Int, entries: [YAMLEntry], pendingKey: (String, Int, Int)?, keyLines: [String: Int])
    }

    /// No configuration file needs more; a hostile one 40,000 levels deep would otherwise cost
    /// quadratic time here and recursion (destroying the tree, reading it) wherever it is used.
    static let maximumDepth = 64

    private var stack: [Frame] = []
    private var documents = 0
    private(set) var root: YAMLNode?

    /// Returns true at the end of the stream.
    mutating func handle(_ event: yaml_event_t) throws -> Bool {
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        switch event.type {
        case YAML_STREAM_END_EVENT:
            return true
        case YAML_DOCUMENT_START_EVENT:
            documents += 1
            if documents > 1 {
                throw YAMLError(line: line, column: column,
                                problem: "the file holds more than one YAML document (remove the second '---' and what follows it)")
            }
        case YAML_ALIAS_EVENT:
            let name = string(event.data.alias.anchor) ?? ""
            throw YAMLError(line: line, column: column,
                            problem: "aliases such as *\(name) are not supported (write the value out in full)")
        case YAML_SCALAR_EVENT:
            let scalar = event.data.scalar
            let text = scalar.value.map { String(decoding: UnsafeBufferPointer(start: $0, count: scalar.length), as: UTF8.self) } ?? ""
            // An explicit !!str tag makes a plain scalar a string, exactly like quoting it.
            let strTag = string(scalar.tag) == "tag:yaml.org,2002:str"
            let quoted = scalar.style != YAML_PLAIN_SCALAR_STYLE || strTag
            try add(YAMLNode(.scalar(text, quoted: quoted), line: line, column: column))
        case YAML_SEQUENCE_START_EVENT:
            try checkDepth(line: line, column: column)
            stack.append(.sequence(line: line, column: column, items: []))
        case YAML_MAPPING_START_EVENT:
            try checkDepth(line: line, column: column)
            stack.append(.mapping(line: line, column: column, entries: [], pendingKey: nil, keyLines: [:]))
        case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
            switch stack.removeLast() {
            case .sequence(let l, let c, let items):
                try add(YAMLNode(.sequence(items), line: l, column: c))
            case .mapping(let l, let c, let entries, _, _):
                try add(YAMLNode(.mapping(entries), line: l, column: c))
            }
        default:
            break
        }
        return false
    }

    private func checkDepth(line: Int, column: Int) throws {
        guard stack.count < Self.maximumDepth else {
            throw YAMLError(line: line, column: column,
                            problem: "lists and mappings are nested more than \(Self.maximumDepth) levels deep here (no stacktop file needs that many; check the file)")
        }
    }

    private mutating func add(_ node: YAMLNode) throws {
        guard let top = stack.popLast() else {
            root = node
            return
        }
        switch top {
        case .sequence(let l, let c, var items):
            items.append(node)
            stack.append(.sequence(line: l, column: c, items: items))
        case .mapping(let l, let c, var entries, let pendingKey, var keyLines):
            if let (key, keyLine, keyColumn) = pendingKey {
                entries.append(YAMLEntry(key: key, keyLine: keyLine, keyColumn: keyColumn, value: node))
                stack.append(.mapping(line: l, column: c, entries: entries, pendingKey: nil, keyLines: keyLines))
                return
            }
            guard case .scalar(let key, _) = node.kind else {
                throw YAMLError(line: node.line, column: node.column,
                                problem: "a mapping key must be a single value, not \(node.kindDescription)")
            }
            if let first = keyLines[key] {
                throw YAMLError(line: node.line, column: node.column,
                                problem: "the key '\(key)' appears twice (it is already set on line \(first); keep one)")
            }
            keyLines[key] = node.line
            stack.append(.mapping(line: l, column: c, entries: entries, pendingKey: (key, node.line, node.column),
                                  keyLines: keyLines))
        }
    }

    private func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}

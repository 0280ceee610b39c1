import TextSafety

/// A document that could not be read: where, and what is wrong, in words a person can act on.
public struct YAMLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based; 0 when libyaml gave no position.
    public var line: Int
    public var column: Int
    /// A lower-case clause without a final period ("a mapping key is missing its ':'"), so callers can
    /// embed it in their own sentence ("Theme file x.yaml, line 3: ...").
    public var problem: String

    public init(line: Int, column: Int, problem: String) {
        // Problems quote keys, and a quoted key may hold any character ("\e" is ESC): control characters
        // are shown as their pictures by the one sanitizer (TextSafety; found by the fuzz suite).
        self.line = line; self.column = column; self.problem = TerminalText.sanitize(problem)
    }

    public var description: String {
        let text = problem.prefix(1).uppercased() + problem.dropFirst()
        return line > 0 ? "Line \(line), column \(column): \(text)." : "\(text)."
    }
}

/// libyaml reports problems in parser vocabulary ("did not find expected key"). These are the ones
/// a hand-edited file actually hits, reworded to say what to fix.
enum YAMLProblemText {
    static func sentence(problem: String, context: String?) -> String {
        switch problem {
        case "mapping values are not allowed in this context":
            return "a ':' appears where it is not allowed (put quotes around a value that contains ': ', or fix the indentation)"
        case "found character that cannot start any token":
            return "found a character that cannot start a value (indent with spaces, not tabs, and quote values that start with @ or `)"
        case "did not find expected key":
            return "expected a 'key: value' line here (check that this line is indented like its neighbours)"
        case "did not find expected '-' indicator":
            return "expected a '- item' line here (check that this line is indented like the other list items)"
        case "could not find expected ':'":
            return "a key is missing its ':' (a key and its ':' must be on one line)"
        case "found unexpected end of stream":
            return "the file ends inside a quoted string or a { } / [ ] block (close the quote or bracket)"
        case "did not find expected ',' or '}'":
            return "a { ... } mapping is not closed properly (separate entries with ',' and end it with '}')"
        case "did not find expected ',' or ']'":
            return "a [ ... ] list is not closed properly (separate items with ',' and end it with ']')"
        case "found a tab character that violates indentation", "found a tab character where an indentation space is expected":
            return "a tab is used for indentation (YAML allows only spaces)"
        case "block sequence entries are not allowed in this context":
            return "a '- item' appears where it is not allowed (put the list on its own lines under the key)"
        case "found unknown escape character":
            return "a double-quoted string contains an unknown backslash escape (use single quotes, or write \\\\ for a backslash)"
        case "invalid leading UTF-8 octet", "incomplete UTF-8 octet sequence", "invalid trailing UTF-8 octet",
             "invalid length of a UTF-8 sequence", "invalid Unicode character":
            return "the file is not valid UTF-8 text (save it as UTF-8)"
        case "control characters are not allowed":
            return "the file contains a control character (remove it, or save the file as plain UTF-8 text)"
        case "did not find expected node content":
            return "a value is missing or starts with a character that is not allowed here"
        case "found undefined tag handle":
            return "a '!' tag uses an undefined handle (remove the tag)"
        default:
            if let context { return "\(context), \(problem)" }
            return problem
        }
    }
}

/// Any error as the one sentence a user sees.
public enum ErrorText {
    public static func sentence(_ error: any Error) -> String {
        if let backend = error as? BackendError { return backend.message }
        let text = String(describing: error)
        return text.hasSuffix(".") ? text : text + "."
    }
}

extension ErrorText {
    /// `text` with its control characters shown rather than obeyed: C0 as their control pictures (`␛` for
    /// ESC, `␊` for a line break), DEL as `␡`, C1 as `�`, the replacements TerminalUI's sanitizer makes.
    /// Refusals quote text from outside (a cloud's error body, a key in a reply, a name in a guest's XML);
    /// applied where the sentence is made, no refusal can move a cursor or ring a bell, whoever prints it,
    /// and it stays one line (the fuzz suite found raw ESC and NUL in them).
    public static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            let v = scalar.value
            if v < 0x20 { out.append(Unicode.Scalar(0x2400 + v)!) }
            else if v == 0x7F { out.append("\u{2421}") }
            else if v >= 0x80 && v < 0xA0 { out.append("\u{FFFD}") }
            else { out.append(scalar) }
        }
        return String(out)
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value < 0xA0)
    }
}

import TextSafety

/// Any error as the one sentence a user sees.
public enum ErrorText {
    public static func sentence(_ error: any Error) -> String {
        if let backend = error as? BackendError { return backend.message }
        let text = String(describing: error)
        return text.hasSuffix(".") ? text : text + "."
    }
}

extension ErrorText {
    /// `text` with its control characters shown rather than obeyed (`TerminalText`: C0 as their control
    /// pictures, `␛` for ESC and `␊` for a line break, DEL as `␡`, C1 and bidi controls as `�`).
    /// Refusals quote text from outside (a cloud's error body, a key in a reply, a name in a guest's XML);
    /// applied where the sentence is made, no refusal can move a cursor or ring a bell, whoever prints it,
    /// and it stays one line (the fuzz suite found raw ESC and NUL in them).
    public static func visible(_ text: String) -> String { TerminalText.sanitize(text) }
}

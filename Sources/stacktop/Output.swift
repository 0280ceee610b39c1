import Glibc
import TerminalUI
import TextSafety

/// Every line stacktop prints for a person passes here: text from outside (names, error bodies, URLs)
/// is shown, never obeyed by the terminal (TerminalText). Newlines and tabs are kept.
func printOut(_ text: String, terminator: String = "\n") {
    writeAll(1, TerminalText.sanitize(text, allowNewline: true, allowTab: true) + terminator)
}

func printError(_ message: String, terminator: String = "\n") {
    writeAll(2, "stacktop: " + TerminalText.sanitize(message, allowNewline: true, allowTab: true) + terminator)
}

/// Output that stacktop made itself and that must reach the terminal byte for byte (`render --format
/// ansi` carries colour sequences; its cells were made safe as they were drawn).
func printVerbatim(_ text: String, terminator: String = "\n") {
    writeAll(1, text + terminator)
}

private func writeAll(_ descriptor: Int32, _ text: String) {
    var text = text
    text.withUTF8 { bytes in
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 && errno == EINTR { continue }
            guard written > 0 else { return }   // a closed pipe: nothing more to say
            offset += written
        }
    }
}

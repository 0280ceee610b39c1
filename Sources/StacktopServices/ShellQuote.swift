/// A word for a POSIX shell, quoted so that pasting the line runs exactly one command with it as one
/// argument, whatever the word holds (cloud URLs, names): `'` + the word with each `'` as `'\''` + `'`.
public enum ShellQuote {
    public static func quote(_ word: String) -> String {
        if !word.isEmpty, word.unicodeScalars.allSatisfy({ safeUnquoted($0) }) { return word }
        return "'" + word.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    private static func safeUnquoted(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".", "/", ":", "@", "%", "+", ",", "=": true
        default: false
        }
    }
}

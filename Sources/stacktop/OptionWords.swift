/// One word of a command line read as an option: `--state=PATH` is the flag `--state` with `PATH` glued on.
struct OptionWord {
    /// The word as it was typed.
    let word: String
    let flag: String
    /// The value glued on with `=`; only long options (`--name=value`) take one.
    let inline: String?

    init(_ word: String) {
        self.word = word
        if word.hasPrefix("--"), let eq = word.firstIndex(of: "=") {
            flag = String(word[..<eq])
            inline = String(word[word.index(after: eq)...])
        } else {
            flag = word
            inline = nil
        }
    }

    /// True for a switch (`--readonly`); a value glued on (`--readonly=no`) is refused rather than ignored,
    /// since ignoring it would turn on what the user meant to turn off.
    func switchedOn() throws -> Bool {
        if let inline {
            throw UsageError(description: "\(flag) is a switch and takes no value; leave out \"=\(inline)\" (or the whole switch).")
        }
        return true
    }
}

extension ArraySlice<String> {
    /// The next word as an option; nil when none is left.
    mutating func popOption() -> OptionWord? { popFirst().map(OptionWord.init) }

    /// What the option takes: the value glued on, else the next word. `hint` follows "needs a value" in the refusal.
    mutating func value(of option: OptionWord, hint: String = "") throws -> String {
        guard let value = option.inline ?? popFirst() else {
            throw UsageError(description: "\(option.flag) needs a value\(hint).")
        }
        return value
    }
}

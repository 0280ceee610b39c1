import StacktopServices

/// What to tell an operator about a serial console that is a websocket URL (Nova's serial proxy).
enum RemoteSerialConsole {
    static func lines(name: String, url: String) -> [String] {
        [
            "The serial console of \(name) is a websocket behind Nova's serial proxy:",
            "  \(url)",
            "stacktop shows it rather than attaching to it. Attach with a websocket client,",
            "e.g. `websocat --binary \(ShellQuote.quote(url))`; the token in it is short-lived.",
        ]
    }
}

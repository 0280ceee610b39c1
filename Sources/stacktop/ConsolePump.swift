import Glibc
import StacktopServices

/// How a console session ended.
enum ConsoleEnd: Equatable {
    /// The escape key (Ctrl-] unless changed).
    case escape
    /// The guest side closed (guest shut down, console taken over); `reason` when libvirt gave one.
    case streamEnded(reason: String?)
    /// SIGTERM, SIGHUP or SIGINT while attached.
    case signal
    /// stdin reached end of file (a pipe ran out, or the terminal went away).
    case inputClosed
    case failed(String)
}

/// Hands the terminal to a serial console: raw bytes stdin -> guest and guest -> stdout with
/// poll(2), until the escape byte, the end of the stream or a quit signal. The terminal is put
/// in raw mode for the duration and always put back as it was.
enum ConsolePump {
    /// `quitRequested` is asked at least every quarter second: true when a quit signal arrived through
    /// the terminal's signal machinery (whose wake-up descriptor is not ours to poll).
    static func run(_ session: any SerialConsoleSession, escape: UInt8,
                    quitRequested: () -> Bool = { false }) -> ConsoleEnd {
        let raw = RawMode.enter(STDIN_FILENO)
        defer { raw?.restore() }
        var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0),
                           pollfd(fd: session.outputDescriptor, events: Int16(POLLIN), revents: 0)]
        var buffer = [UInt8](repeating: 0, count: 16384)
        var stdinOpen = true
        while true {
            for index in descriptors.indices { descriptors[index].revents = 0 }
            // A closed stdin (a script's pipe ran dry) keeps showing the guest until the stream ends.
            descriptors[0].fd = stdinOpen ? STDIN_FILENO : -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), 250)
            let pollError = errno  // before quitRequested, which makes calls of its own
            if quitRequested() { return .signal }
            if ready < 0 {
                // EINTR: a resize (SIGWINCH) or a quit signal, which quitRequested has just seen.
                if pollError == EINTR || pollError == EAGAIN { continue }
                return .failed("Waiting for console input failed: \(String(cString: strerror(pollError))).")
            }
            if descriptors[1].revents != 0 {
                let got = read(session.outputDescriptor, &buffer, buffer.count)
                if got < 0 && errno == EINTR { continue }
                if got <= 0 { return session.failure.map { .failed($0) } ?? .streamEnded(reason: session.endReason) }
                writeAll(STDOUT_FILENO, buffer, count: got)
            }
            if stdinOpen, descriptors[0].revents != 0 {
                let got = read(STDIN_FILENO, &buffer, buffer.count)
                if got < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                if got <= 0 {
                    if raw != nil { return .inputClosed }
                    stdinOpen = false
                    continue
                }
                let chunk = Array(buffer[..<got])
                let escapeAt = raw != nil ? chunk.firstIndex(of: escape) : nil
                let typed = escapeAt.map { Array(chunk[..<$0]) } ?? chunk
                if !typed.isEmpty {
                    do { try session.send(typed) } catch { return .failed(ErrorText.sentence(error)) }
                }
                if escapeAt != nil { return .escape }
            }
        }
    }

    static func writeAll(_ fd: Int32, _ buffer: [UInt8], count: Int) {
        var offset = 0
        while offset < count {
            let written = buffer.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
            if written < 0 && errno == EINTR { continue }
            if written <= 0 { return }
            offset += written
        }
    }

    /// "^]" -> 0x1d, "^X" -> 0x18, a single character -> itself.
    static func escapeByte(_ text: String) -> UInt8? {
        let bytes = Array(text.utf8)
        if bytes.count == 2, bytes[0] == UInt8(ascii: "^") {
            let upper = (0x61...0x7a).contains(bytes[1]) ? bytes[1] - 0x20 : bytes[1]
            guard (0x40...0x5f).contains(upper) else { return nil }
            return upper & 0x1f
        }
        if bytes.count == 1, bytes[0] < 0x80 { return bytes[0] }
        return nil
    }

    /// How the escape byte is shown: "Ctrl-]" for 0x1d.
    static func escapeName(_ byte: UInt8) -> String {
        byte < 0x20 ? "Ctrl-" + String(UnicodeScalar(byte | 0x40)) : String(UnicodeScalar(byte))
    }
}

/// The terminal's settings before raw mode, put back by `restore`.
struct RawMode {
    let fd: Int32
    let saved: termios

    /// Nil when `fd` is not a terminal (a pipe needs no raw mode).
    static func enter(_ fd: Int32) -> RawMode? {
        var settings = termios()
        guard isatty(fd) == 1, tcgetattr(fd, &settings) == 0 else { return nil }
        let saved = settings
        cfmakeraw(&settings)
        guard tcsetattr(fd, TCSAFLUSH, &settings) == 0 else { return nil }
        return RawMode(fd: fd, saved: saved)
    }

    func restore() {
        var settings = saved
        _ = tcsetattr(fd, TCSAFLUSH, &settings)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CLibvirt

/// Process-wide libvirt set-up and error reading.
enum LibvirtRuntime {
    /// Runs once per process. libvirt's default error handler prints every error to stderr, which
    /// lands on the curses screen; errors are read with `virGetLastErrorMessage()` instead.
    /// `virInitialize` must come first in a multi-threaded program.
    static let prepared: Void = {
        _ = virInitialize()
        virSetErrorFunc(nil) { _, _ in }
    }()

    /// The calling thread's last libvirt error, as a clause to embed in a sentence. XML errors
    /// continue with the offending source line and a caret; only the first line is kept.
    static func lastErrorMessage() -> String {
        guard let cString = virGetLastErrorMessage() else { return "unknown libvirt error" }
        var message = String(String(cString: cString).split(separator: "\n", maxSplits: 1).first ?? "")
        while message.last == "." || message.last == "\n" || message.last == " " { message.removeLast() }
        return message.isEmpty ? "unknown libvirt error" : message
    }

    static func lastErrorCode() -> Int32 { virGetLastErrorCode() }

    /// glibc's `malloc_trim(0)`: gives freed heap pages back to the system. Looked up at run time because
    /// Swift's Glibc module leaves out `malloc.h`; a C library without it simply keeps its pages.
    static func returnFreedMemory() {
        #if canImport(Glibc)
        typealias Trim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: Trim.self)(0)
        #endif
    }

    /// Takes ownership of a libvirt-allocated C string.
    static func consume(_ cString: UnsafeMutablePointer<CChar>?) -> String? {
        guard let cString else { return nil }
        defer { free(cString) }
        return String(cString: cString)
    }
}

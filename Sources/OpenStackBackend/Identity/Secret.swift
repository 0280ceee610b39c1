/// A password, application-credential secret or token. Every way of printing it (description,
/// debugDescription, `dump`, interpolation of an enclosing value) shows `<redacted>`, so a secret
/// cannot reach an error message or a log by accident.
public struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Internal on purpose: only this module's request builders read the value.
    let exposedValue: String

    public init(_ value: String) { exposedValue = value }

    public var isEmpty: Bool { exposedValue.isEmpty }
    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

import StacktopServices

/// Why no usable cloud configuration could be built. `message` is one sentence naming the file,
/// key and line (when known) and what to do about it.
public struct CloudConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        case noConfiguration, cloudNotFound, noCloudSelected, nameConflict
        case malformedFile, invalidValue, missingValue
        case unknownAuthType, badInterface, cacertMissing, unknownRegion
    }

    public var kind: Kind
    public var message: String
    /// The file at fault, when there is one.
    public var file: String?
    /// The key at fault ("auth_url", "interface"), when there is one.
    public var key: String?
    /// 1-based line in `file`, when known.
    public var line: Int?

    public init(kind: Kind, message: String, file: String? = nil, key: String? = nil, line: Int? = nil) {
        // Cloud names and keys come from the file ("\e" is ESC in a quoted YAML key): shown, not obeyed.
        self.kind = kind; self.message = ErrorText.visible(message); self.file = file; self.key = key; self.line = line
    }

    public var description: String { message }

    init(_ kind: Kind, _ message: String, key: String? = nil, origin: ConfigOrigin?) {
        self.init(kind: kind, message: message, file: origin?.file, key: key, line: origin?.line)
    }
}

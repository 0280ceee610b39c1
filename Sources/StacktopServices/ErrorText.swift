/// Any error as the one sentence a user sees.
public enum ErrorText {
    public static func sentence(_ error: any Error) -> String {
        if let backend = error as? BackendError { return backend.message }
        let text = String(describing: error)
        return text.hasSuffix(".") ? text : text + "."
    }
}

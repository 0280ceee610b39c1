import StacktopServices
import XCTest

/// The `BackendError` that `body` throws, so a test can assert the refusal's case and data rather than its
/// sentence; nil, and a failed test, when `body` returns or throws something else.
public func backendError<T>(file: StaticString = #filePath, line: UInt = #line,
                            _ body: () throws -> T) -> BackendError? {
    backendError(Result { try body() }, file: file, line: line)
}

/// `backendError` for async work.
public func backendError<T>(file: StaticString = #filePath, line: UInt = #line,
                            _ body: () async throws -> T) async -> BackendError? {
    do {
        return backendError(.success(try await body()), file: file, line: line)
    } catch {
        return backendError(Result<T, any Error>.failure(error), file: file, line: line)
    }
}

private func backendError<T>(_ result: Result<T, any Error>, file: StaticString, line: UInt) -> BackendError? {
    switch result {
    case .failure(let error as BackendError):
        return error
    case .failure(let error):
        XCTFail("expected a BackendError, got \(error)", file: file, line: line)
    case .success(let value):
        XCTFail("expected a BackendError, got \(value)", file: file, line: line)
    }
    return nil
}
